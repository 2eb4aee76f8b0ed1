/** What a CLI command may touch, injected so tests drive commands in-process with a temp dir. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Lines of standard input, or undefined when stdin is a terminal with nothing piped. */
  stdinLines: () => AsyncIterable<string> | undefined;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
  /** A person reads stdout (else a pipe or a file: keep it machine-readable). Absent = no. */
  stdoutIsTTY?: boolean;
  cwd: string;
}

/** A usage mistake: exit code 2 and the command's help hint, never a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A progress bar on stderr, drawn only when stderr is a terminal (so logs and pipes stay clean). */
export function progress(io: CliIo, label: string, total: number): { tick: (done: number) => void; end: () => void } {
  if (!io.stderrIsTTY || total < PROGRESS_MIN_ROWS) return { tick: () => undefined, end: () => undefined };
  let last = -1;
  return {
    tick(done) {
      const pct = Math.floor((done / total) * 100);
      if (pct === last) return;
      last = pct;
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      io.stderr(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% ${done}/${total}`);
    },
    end: () => io.stderr('\r\x1b[K'),
  };
}

/** Below this many rows a bar would only flicker. */
const PROGRESS_MIN_ROWS = 200;

/**
 * A status line on stderr for work that cannot report a fraction (one compile call): shown
 * only on a terminal, erased when the work ends, so pipes and logs never see it.
 */
export function status(io: CliIo, text: string): { end: () => void } {
  if (!io.stderrIsTTY) return { end: () => undefined };
  io.stderr(`${text}…`);
  return { end: () => io.stderr('\r\x1b[K') };
}
