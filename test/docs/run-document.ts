/**
 * Runs a document's examples the way a reader would, and says where the document and the
 * program disagree.
 *
 * Each document gets a fresh folder holding a copy of models/ and links to data/ and
 * node_modules/ (so `import 'sts-classifier'` resolves as in the checkout). Its code blocks run
 * in order in that folder: `check: file` blocks are written there, and each `$ ` command runs in
 * bash with its standard error merged into its standard output, `npx sts` being the checkout's
 * bin/sts.js (what npx runs, without npx's second of start-up). A command that talks to
 * `localhost:8080` gets a server started with `npm start` on a free port (the port is written
 * back as 8080 in its output), serving the folder's models/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { freePort } from '../support/free-port.mjs';
import os from 'node:os';
import path from 'node:path';
import { codeBlocks, commandsOf, directiveOf, SHELL_LANGUAGES, type Command } from './markdown.js';
import { compareOutput } from './expected-output.js';

export type Tier = 'fast' | 'slow';

export interface Mismatch {
  command: Command;
  message: string;
  /** The document's expected lines rewritten to fit, or undefined when only an update by hand can fix it. */
  updated?: string[];
}

export interface DocumentResult {
  file: string;
  ran: number;
  mismatches: Mismatch[];
}

const COMMAND_TIMEOUT_MS = 300_000;
const SERVER_START_MS = 30_000;
const DOCUMENTED_PORT = 8080;

/** Runs the document's examples in order: all of them in the slow tier, all but the `check: slow` blocks in the fast one. */
export async function runDocument(repo: string, file: string, tier: Tier): Promise<DocumentResult> {
  const text = readFileSync(path.join(repo, file), 'utf8');
  const blocks = codeBlocks(text, file);
  const folder = mkdtempSync(path.join(os.tmpdir(), 'sts-docs-'));
  const shims = mkdtempSync(path.join(os.tmpdir(), 'sts-docs-bin-'));
  const server = new DocServer(repo, path.join(folder, 'models'));
  const result: DocumentResult = { file, ran: 0, mismatches: [] };
  try {
    cpSync(path.join(repo, 'models'), path.join(folder, 'models'), { recursive: true });
    symlinkSync(path.join(repo, 'data'), path.join(folder, 'data'));
    symlinkSync(path.join(repo, 'node_modules'), path.join(folder, 'node_modules'));
    writeNpxShim(shims, repo);
    const env = commandEnv(shims);
    for (const block of blocks) {
      const target = directiveOf(block, 'file');
      if (target) {
        mkdirSync(path.dirname(path.join(folder, target.name)), { recursive: true });
        writeFileSync(path.join(folder, target.name), block.lines.join('\n') + '\n');
        continue;
      }
      if (!SHELL_LANGUAGES.has(block.language) || directiveOf(block, 'skip')) continue;
      if (tier === 'fast' && directiveOf(block, 'slow')) continue;
      const serverEnv = directiveOf(block, 'server')?.env ?? {};
      for (const command of commandsOf(block, result.file)) {
        let runnable = command.text;
        let port: number | undefined;
        if (runnable.includes(`:${DOCUMENTED_PORT}`)) {
          port = await server.ensure(serverEnv);
          runnable = runnable.replace(new RegExp(`\\b(localhost|127\\.0\\.0\\.1):${DOCUMENTED_PORT}\\b`, 'g'), `$1:${port}`);
        }
        const run = await runShell(runnable, folder, env);
        let output = run.output;
        if (port !== undefined) output = output.replaceAll(`:${port}`, `:${DOCUMENTED_PORT}`);
        result.ran++;
        const mismatch = judge(result.file, command, run.code, output);
        if (mismatch) result.mismatches.push(mismatch);
      }
    }
  } finally {
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
    rmSync(shims, { recursive: true, force: true });
  }
  return result;
}

function judge(file: string, command: Command, code: number | string, output: string): Mismatch | undefined {
  const comparison = compareOutput(command.expected, output.split('\n'));
  const codeRight = code === command.exitCode;
  if (comparison.matches && codeRight) return undefined;
  const lines = [`${file}:${command.line}: $ ${command.text}`];
  if (!codeRight) lines.push(`  exit code ${code}, the document expects ${command.exitCode}`);
  if (!comparison.matches) {
    lines.push(`  output (- the document, line ${command.expectedLine}; + the command):`);
    lines.push(...comparison.diff.map((l) => `    ${l}`));
    lines.push(`  the document would say (STS_DOCS_UPDATE=1 writes it):`);
    lines.push(...comparison.updated.map((l) => `    ${l}`));
  }
  return { command, message: lines.join('\n'), updated: codeRight ? comparison.updated : undefined };
}

/** Writes the mismatches' updated output into the document (STS_DOCS_UPDATE=1), bottom up so line numbers hold. */
export function updateDocument(repo: string, result: DocumentResult): number {
  const fixable = result.mismatches.filter((m) => m.updated !== undefined);
  if (fixable.length === 0) return 0;
  const file = path.join(repo, result.file);
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks = codeBlocks(lines.join('\n'), result.file);
  for (const m of [...fixable].sort((a, b) => b.command.line - a.command.line)) {
    const block = blocks.filter((b) => b.line < m.command.line).at(-1)!;
    const start = m.command.expectedLine - 1;
    lines.splice(start, m.command.expected.length, ...m.updated!.map((l) => (l === '' ? l : block.indent + l)));
  }
  writeFileSync(file, lines.join('\n'));
  return fixable.length;
}

/** The environment a reader's shell would have: what the test runner or the developer's shell sets must not change what a command prints. */
function readerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of Object.keys(env)) {
    if (name.startsWith('STS_') || name.startsWith('JEST_') || ['NODE_ENV', 'PORT', 'HOST', 'LOG_TEXT'].includes(name)) delete env[name];
  }
  return env;
}

function commandEnv(shims: string): NodeJS.ProcessEnv {
  return { ...readerEnv(), PATH: `${shims}${path.delimiter}${process.env.PATH ?? ''}` };
}

/** `npx sts …` runs the checkout's CLI directly; any other npx call goes to the real npx. */
function writeNpxShim(dir: string, repo: string): void {
  const shim = path.join(dir, 'npx');
  const cli = path.join(repo, 'bin', 'sts.js');
  const others = (process.env.PATH ?? '').split(path.delimiter).map((p) => path.join(p, 'npx'));
  writeFileSync(
    shim,
    [
      '#!/bin/sh',
      `if [ "$1" = sts ]; then shift; exec '${process.execPath}' '${cli}' "$@"; fi`,
      `for npx in ${others.map((p) => `'${p}'`).join(' ')}; do [ -x "$npx" ] && exec "$npx" "$@"; done`,
      'echo "npx not found" >&2; exit 127',
      '',
    ].join('\n'),
  );
  chmodSync(shim, 0o755);
}

function runShell(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | string; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', `exec 2>&1\n${command}`], { cwd, env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), COMMAND_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? `signal ${signal}`, output: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** `npm start` with the document's models/, started when a command first needs it; restarted when a block asks for other settings. */
class DocServer {
  private child: ChildProcess | undefined;
  private key = '';
  private port = 0;
  private log: string[] = [];

  constructor(
    private readonly repo: string,
    private readonly models: string,
  ) {}

  async ensure(env: Record<string, string>): Promise<number> {
    const key = JSON.stringify(env);
    if (this.child && this.key === key) return this.port;
    await this.stop();
    this.port = await freePort();
    this.key = key;
    this.log = [];
    const child = spawn('npm', ['start'], {
      cwd: this.repo,
      env: { ...readerEnv(), PORT: String(this.port), HOST: '127.0.0.1', STS_MODELS: this.models, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    child.stdout!.on('data', (c: Buffer) => this.log.push(c.toString('utf8')));
    child.stderr!.on('data', (c: Buffer) => this.log.push(c.toString('utf8')));
    const deadline = Date.now() + SERVER_START_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      try {
        if ((await fetch(`http://127.0.0.1:${this.port}/readyz`)).status === 200) return this.port;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const log = this.log.join('');
    await this.stop();
    throw new Error(`npm start did not get ready on port ${this.port} in ${SERVER_START_MS} ms:\n${log}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // npm does not pass SIGTERM on to the server: signal the whole process group.
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
