import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isStsError } from '../errors.js';
import { runPrimary } from './cluster.js';
import { serverConfigFromEnv, workerCount } from './config.js';
import { boundHeapGrowth } from './heap.js';
import { listenErrorMessage } from './listen-error.js';
import { stdoutLog } from './log.js';
import { startServer } from './start.js';

/**
 * `npm start`: serves the models folder (the demo model by default) on PORT (8080).
 * Environment: PORT, HOST, STS_MODELS (file or folder, default models/), STS_DEFAULT_MODEL,
 * STS_ADMIN_TOKEN, STS_READ_TOKEN, STS_BODY_LIMIT, STS_BATCH_LIMIT, STS_CAILA_TOKENS ("token=model,…"),
 * LOG_TEXT=1, STS_WORKERS (N or auto), STS_STORE (postgres://…), STS_MODEL_MEMORY_MB,
 * STS_STORE_RECHECK_MS (docs/deployment.md), STS_MAX_TIME_LIMIT_MS, STS_DRAIN_MS, STS_CLASSIFY_THREADS (docs/limits.md).
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const env = process.env;
const log = stdoutLog();
const logger = log.logger;

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

try {
  const config = serverConfigFromEnv(env);
  const workers = workerCount(config.workers, availableParallelism(), config.classifyThreads);
  if (workers > 1 && cluster.isPrimary) {
    const code = await runPrimary({ workers, logger });
    await log.end();
    process.exit(code);
  }
  boundHeapGrowth();
  const running = await startServer({
    model: env.STS_MODELS ?? `${root}models`,
    defaultModel: env.STS_DEFAULT_MODEL,
    logger,
    version,
    config,
  });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    void running.close().then(() => {
      logger.info('stopped');
      void log.end().then(() => process.exit(0));
    });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
} catch (e) {
  const listen = listenErrorMessage(e, env.PORT || 8080, env.HOST);
  if (listen) process.stderr.write(`${listen}\n`);
  logger.fatal(isStsError(e) ? { code: e.code } : { err: e }, `cannot start: ${listen ?? (e as Error).message}`);
  process.exit(1);
}
