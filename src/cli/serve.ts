import path from 'node:path';
import { stdoutLog } from '../server/log.js';
import { startServer } from '../server/start.js';
import { serverConfigFromEnv } from '../server/config.js';
import { listenErrorMessage } from '../server/listen-error.js';
import { parse } from './args.js';
import { UsageError, type CliIo } from './io.js';

export const SERVE_HELP = `Usage: sts serve --model FILE_OR_DIR [--port N] [--host H] [--default NAME]

Serves one model file, or every *.model.json in a folder, over HTTP (native API under /v1,
Caila-compatible API under /cailapub/api/caila/p/{token}; see README, "HTTP service").
Uploaded models are written to that folder (or the file's folder).

Options:
  -m, --model PATH     model file or folder (required)
  -p, --port N         port (default 8080; 0 = any free port)
      --host H         address to bind (default 127.0.0.1, or 0.0.0.0 when STS_ADMIN_TOKEN is set)
      --default NAME   model used when a request names none
  -h, --help           this help

Environment: STS_ADMIN_TOKEN (bearer token for uploads and deletes), STS_BODY_LIMIT,
STS_BATCH_LIMIT, STS_CAILA_TOKENS ("token=model,..."), LOG_TEXT=1. Stops on SIGTERM/SIGINT
after finishing the requests in flight.
`;

export async function serve(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse('serve', argv, {
    model: { type: 'string', short: 'm' },
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    default: { type: 'string' },
  });
  if (values.help) return io.stdout(SERVE_HELP), 0;
  if (!values.model) throw new UsageError('sts serve: --model FILE_OR_DIR is required');
  const log = stdoutLog();
  const config = serverConfigFromEnv(process.env, {
    ...(values.port !== undefined && { port: values.port as string }),
    ...(values.host !== undefined && { host: values.host as string }),
  });
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
