import { pino, type Logger } from 'pino';

/** Lines a stdout nobody reads may hold back before pino drops them (bytes). */
const MAX_BUFFERED = 16 * 1024 * 1024;
/** How long a stuck stdout may hold the exit up before the process kills itself (ms). */
const EXIT_GRACE_MS = 2000;

/** The log of `npm start` and `sts serve`, and what ends it. */
export interface ServerLog {
  logger: Logger;
  /**
   * Writes out what is still buffered, in order, and closes the log: call it last, then exit.
   * A stdout nobody reads any more would hold the exit up for ever (a write to it blocks, and
   * exiting waits for it): after 2 s the process kills itself.
   */
  end(): Promise<void>;
}

/**
 * JSON lines on stdout through pino's asynchronous stream (its default), so a log line never
 * blocks a request, even when the reader of stdout is slow (a synchronous log froze the server
 * once the pipe was full); past 16 MB held back, lines are dropped rather than kept. Exiting
 * at once after the last line would write it (pino flushes at exit) while an earlier one may
 * still be on its way: "stopped" landed before "shutting down". end() keeps them in order.
 */
export function stdoutLog(): ServerLog {
  const stream = pino.destination({ dest: 1, sync: false, maxLength: MAX_BUFFERED });
  return {
    logger: pino(stream),
    end: () =>
      new Promise<void>((resolve) => {
        stream.once('close', () => resolve());
        setTimeout(() => process.kill(process.pid, 'SIGKILL'), EXIT_GRACE_MS).unref();
        stream.end();
      }),
  };
}
