import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { isStsError } from '../errors.js';
import { serverConfigFromEnv } from './config.js';
import { startServer } from './start.js';

/**
 * `npm start`: serves the models folder (the demo model by default) on PORT (8080).
 * Environment: PORT, HOST, STS_MODELS (file or folder, default models/), STS_DEFAULT_MODEL,
 * STS_ADMIN_TOKEN, STS_BODY_LIMIT, STS_BATCH_LIMIT, STS_CAILA_TOKENS ("token=model,…"), LOG_TEXT=1.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const env = process.env;
// pino's asynchronous stdout (its default): a log line never blocks a request, even when the
// reader of stdout is slow; what a reader that stopped reading leaves unwritten is dropped past
// 16 MB rather than kept. At shutdown the stream is ended, so its lines are out, in order,
// before the process exits.
const log = pino.destination({ dest: 1, sync: false, maxLength: 16 * 1024 * 1024 });
const logger = pino(log);

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

try {
  const running = await startServer({
    model: env.STS_MODELS ?? `${root}models`,
    defaultModel: env.STS_DEFAULT_MODEL,
    logger,
    version,
    config: serverConfigFromEnv(env),
  });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    void running.close().then(() => {
      logger.info('stopped');
      // Exiting at once would write the buffered "stopped" synchronously while "shutting down"
      // may still be on its way (it landed second). Ending the stream writes both, in order.
      // A stdout nobody reads any more would hold any exit up for ever (a write to it blocks,
      // and exiting waits for it): after 2 s the process kills itself.
      log.once('close', () => process.exit(0));
      setTimeout(() => process.kill(process.pid, 'SIGKILL'), 2000).unref();
      log.end();
    });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
} catch (e) {
  logger.fatal(isStsError(e) ? { code: e.code } : { err: e }, `cannot start: ${(e as Error).message}`);
  process.exit(1);
}
