import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { formatLocation, isStsError } from '../errors.js';
import { UsageError, type CliIo } from './io.js';

export const HELP = `Usage: sts COMMAND [options]

A self-hosted STS intent classifier with JAICP's events and settings.

Commands:
  train      compile intent sources into a model file: our YAML/JSON, JSONL and CSV, JAICP and
             Caila exports, Rasa NLU YAML, NLP.js corpora
  classify   classify texts with a model: JSON Lines, or a readable line per phrase on a terminal
  eval       per-intent precision, recall and F1, misclassified texts, an HTML report
  doctor     check training data before shipping it: near duplicates, confused intents, ...
  export     write a model as a Caila / JAICP project export
  serve      serve models over HTTP (native API, Caila-compatible API, a page to try them)

Run "sts help COMMAND" (or "sts COMMAND --help") for a command's options.
Global: --verbose prints stack traces; --version prints the version.
`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

/** Loaded on demand: `sts --help` or `sts train` need not load express and the server. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  train: async () => (await import('./train.js')).train,
  classify: async () => (await import('./classify.js')).classify,
  eval: async () => (await import('./eval.js')).evaluate,
  doctor: async () => (await import('./doctor.js')).doctor,
  export: async () => (await import('./export.js')).exportModel,
  serve: async () => (await import('./serve.js')).serve,
};

/** Runs one CLI invocation; returns the exit code (0 ok, 1 error, 2 usage). Never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const verbose = argv.includes('--verbose');
  const args = argv.filter((a) => a !== '--verbose');
  const [first, ...afterFirst] = args;
  if (first === '--version' || first === '-V' || first === 'version') {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  // "sts help train" is "sts train --help".
  const [name, ...rest] = first === 'help' && afterFirst.length > 0 ? [afterFirst[0]!, '--help'] : args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`sts: unknown command "${name}" (try: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  try {
    return await (await command())(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${e.message} (see sts ${name} --help)\n`);
      return 2;
    }
    if (isStsError(e)) {
      io.stderr(`sts ${name}: error [${e.code}]: ${e.message}\n`);
      if (verbose) for (const d of e.details) io.stderr(`  ${formatLocation(d)}\n`);
    } else {
      io.stderr(`sts ${name}: unexpected error: ${(e as Error)?.message ?? String(e)}\n`);
    }
    if (verbose && e instanceof Error && e.stack) io.stderr(e.stack + '\n');
    return 1;
  }
}

/** The version in package.json (dist/cli/ and src/cli/ both sit two folders below it). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** The process shell: real stdio, real exit code. */
export async function main(): Promise<void> {
  // `sts classify … | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const io: CliIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdinLines: () => (process.stdin.isTTY && !process.stdin.readable ? undefined : createInterface({ input: process.stdin, crlfDelay: Infinity })),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
  };
  process.exitCode = await runCli(process.argv.slice(2), io);
}
