import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/** A worker that dies this soon after it started listening counts as a crash loop when it happens again and again. */
const QUICK_DEATH_MS = 10_000;
/** Replacements of quickly dying workers wait this long, doubling up to the most. */
const RESPAWN_MIN_MS = 100;
const RESPAWN_MAX_MS = 10_000;

export interface PrimaryOptions {
  workers: number;
  logger: Logger;
}

/**
 * The primary process of `--workers N`: runs N copies of this same command (node:cluster), which
 * share the port (the primary hands each new connection to the next worker in turn), replaces a
 * worker that dies, and on SIGTERM or SIGINT lets each worker drain its requests, then resolves
 * with the exit code: 0 once all stopped, 1 if a worker could not start at all (a bad model, a
 * busy port: the others are stopped, since a replacement would fail the same way). Each worker
 * serves on its own: it loads models from the store itself, and hears of uploads through
 * another worker as it hears of any other process's (the store's watch).
 */
export function runPrimary({ workers, logger }: PrimaryOptions): Promise<number> {
  return new Promise((resolve) => {
    const listening = new Set<number>();
    const startedAt = new Map<number, number>();
    let announced = false;
    let stopping = false;
    let exitCode = 0;
    let respawnMs = RESPAWN_MIN_MS;

    const fork = (): Worker => {
      const worker = cluster.fork();
      startedAt.set(worker.id, Date.now());
      return worker;
    };
    const alive = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    const stop = (reason: string, code: number) => {
      if (stopping) return;
      stopping = true;
      exitCode = code;
      logger.info({ reason, workers: alive().length }, 'shutting down: each worker finishes its requests in flight');
      for (const w of alive()) w.process.kill('SIGTERM');
      if (alive().length === 0) finish();
    };
    const finish = () => {
      logger.info('stopped');
      resolve(exitCode);
    };

    cluster.on('listening', (worker, address) => {
      listening.add(worker.id);
      if (!announced && listening.size >= workers) {
        announced = true;
        logger.info({ workers, port: address.port }, 'all workers listening');
      }
    });
    cluster.on('exit', (worker, code, signal) => {
      const wasListening = listening.delete(worker.id);
      const lived = Date.now() - (startedAt.get(worker.id) ?? Date.now());
      startedAt.delete(worker.id);
      if (stopping) {
        if (alive().length === 0) finish();
        return;
      }
      // At the start, a worker that cannot listen means none can; a replacement may meet a passing
      // problem (the store down), and is tried again.
      if (!wasListening && !announced) {
        logger.fatal({ pid: worker.process.pid, code, signal }, 'a worker could not start (its log says why): stopping the others');
        return stop('a worker could not start', 1);
      }
      respawnMs = !wasListening || lived < QUICK_DEATH_MS ? Math.min(respawnMs * 2, RESPAWN_MAX_MS) : RESPAWN_MIN_MS;
      logger.error({ pid: worker.process.pid, code, signal, restartInMs: respawnMs }, wasListening ? 'a worker died: starting another' : 'a new worker could not start: trying again');
      setTimeout(() => {
        if (!stopping) fork();
      }, respawnMs);
    });

    process.once('SIGTERM', () => stop('SIGTERM', 0));
    process.once('SIGINT', () => stop('SIGINT', 0));
    logger.info({ workers }, 'starting workers');
    for (let i = 0; i < workers; i++) fork();
  });
}
