import { runCli } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import type { StsEvent } from '../../src/engine/event/events.js';

/**
 * Runs `sts ARGV` in-process: stdout and stderr collected, cwd a folder, stdin given lines.
 * `tty` says which streams a person reads (default: none, as in a pipe).
 */
export async function sts(argv: string[], options: { cwd: string; stdin?: string[]; tty?: { stdin?: boolean; stdout?: boolean; stderr?: boolean } }) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    stdinLines: () =>
      options.stdin === undefined
        ? undefined
        : (async function* () {
            yield* options.stdin!;
          })(),
    stderrIsTTY: options.tty?.stderr ?? false,
    stdinIsTTY: options.tty?.stdin ?? false,
    stdoutIsTTY: options.tty?.stdout ?? false,
    cwd: options.cwd,
  };
  const code = await runCli(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

export const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as StsEvent);
