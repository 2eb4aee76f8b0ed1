import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { runPrimary } from '../server/cluster.js';
import { boundHeapGrowth } from '../server/heap.js';
import { stdoutLog } from '../server/log.js';
import { startServer } from '../server/start.js';
import { serverConfigFromEnv, workerCount } from '../server/config.js';
import { listenErrorMessage } from '../server/listen-error.js';
import { parse } from './args.js';
import { UsageError, type CliIo } from './io.js';

export const SERVE_HELP = `Usage: sts serve --model FILE_OR_DIR [--port N] [--host H] [--default NAME] [--workers N|auto]

Serves every *.model.json of a folder (or of a model file's folder, that model the default)
over HTTP (native API under /v1, Caila-compatible API under /cailapub/api/caila/p/{token}; see
docs/http-api.md). Models load on their first request. Uploaded models are written to
that folder, or, with STS_STORE=postgres://..., to PostgreSQL (then the folder only seeds an
empty database); see docs/deployment.md.

Options:
  -m, --model PATH     model file or folder (required)
  -p, --port N         port (default 8080; 0 = any free port)
      --host H         address to bind (default 127.0.0.1, or 0.0.0.0 when STS_ADMIN_TOKEN is set)
      --default NAME   model used when a request names none
  -w, --workers N      server processes sharing the port: a number, or auto (a core for each
                       one's event loop and each of its classify threads);
                       default 1 (STS_WORKERS)
  -h, --help           this help

Environment: STS_ADMIN_TOKEN (bearer token for uploads and deletes, and reads of model data),
STS_READ_TOKEN (reads only), STS_BODY_LIMIT, STS_BATCH_LIMIT, STS_CAILA_TOKENS
("token=model,..."), LOG_TEXT=1, STS_WORKERS, STS_STORE, STS_MODEL_MEMORY_MB (default 1024, per
worker), STS_STORE_RECHECK_MS, STS_MAX_TIME_LIMIT_MS, STS_CLASSIFY_THREADS (default 1; see
docs/limits.md and docs/security.md). Stops on SIGTERM/SIGINT after finishing the requests in
flight, for at most STS_DRAIN_MS (default 10000).
`;

export async function serve(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse('serve', argv, {
    model: { type: 'string', short: 'm' },
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    default: { type: 'string' },
    workers: { type: 'string', short: 'w' },
  });
  if (values.help) return io.stdout(SERVE_HELP), 0;
  if (!values.model) throw new UsageError('sts serve: --model FILE_OR_DIR is required');
  const config = serverConfigFromEnv(process.env, {
    ...(values.port !== undefined && { port: values.port as string }),
    ...(values.host !== undefined && { host: values.host as string }),
    ...(values.workers !== undefined && { workers: values.workers as string }),
  });
  const log = stdoutLog();
  const workers = workerCount(config.workers, availableParallelism(), config.classifyThreads);
  // The primary runs this same command again in each worker (node:cluster), where it serves.
  if (workers > 1 && cluster.isPrimary) {
    const code = await runPrimary({ workers, logger: log.logger });
    await log.end();
    return code;
  }
  boundHeapGrowth();
  let running: Awaited<ReturnType<typeof startServer>>;
  try {
    running = await startServer({
      logger: log.logger,
      model: path.resolve(io.cwd, values.model as string),
      defaultModel: values.default as string | undefined,
      config,
    });
  } catch (e) {
    const message = listenErrorMessage(e, config.port, config.host, 'PORT or --port');
    if (!message) throw e;
    await log.end();
    io.stderr(`sts serve: ${message}\n`);
    return 1;
  }
  await new Promise<void>((resolve) => {
    const stop = () => void running.close().then(() => log.end()).then(resolve);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}
