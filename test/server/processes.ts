import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { REPO, tempDir } from '../helpers.js';
import { DEMO_SOURCE } from './server-helpers.js';

/** Real server processes for the tests that run them (`npm start`, `sts serve`, workers, replicas): the built dist/. */

export const MAIN = path.join(REPO, 'dist/server/main.js');
export const CLI = path.join(REPO, 'bin/sts.js');

/** The processes started by a test file; register `afterEach(killStarted)`. */
export const children: ChildProcess[] = [];
export function killStarted(): void {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

export { freePort } from '../support/free-port.mjs';

export interface Proc {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  exited: Promise<number | string>;
  /** Resolves when a stdout line contains the text. */
  waitForOutput: (text: string) => Promise<void>;
}

export function startProcess(args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const w of waiters.splice(0)) (out.includes(w.text) ? w.resolve() : waiters.push(w));
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    output: () => out,
    exited,
    waitForOutput: (text) => (out.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ text, resolve }))),
  };
}

/** Polls a URL until it answers 200; fails with the process output if it exits or takes too long. */
export async function waitFor(url: string, proc: Proc, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  let exited: number | string | undefined;
  void proc.exited.then((c) => (exited = c));
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`the server exited (${exited}) before ${url} answered:\n${proc.output()}`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer 200 in ${ms} ms:\n${proc.output()}`);
}

/**
 * A temp models folder with the demo model: models/demo.model.json when the dist/ build that
 * serves it loads it, else compiled from models/demo/intents.yaml by that build (`sts train`), so
 * a model-format change in progress (the file not yet rebuilt) cannot make these tests fail;
 * test/model checks that the file is a fresh compile. Loading takes a fraction of a compile.
 */
let demoBuilt: string | undefined;
export function modelsDir(): string {
  const dir = path.join(tempDir('sts-real-'), 'models');
  mkdirSync(dir);
  if (demoBuilt === undefined) {
    const shipped = path.join(REPO, 'models/demo.model.json');
    if (spawnSync(process.execPath, [CLI, 'classify', '--model', shipped, 'hello'], { cwd: REPO }).status === 0) {
      demoBuilt = shipped;
    } else {
      demoBuilt = path.join(tempDir('sts-real-demo-'), 'demo.model.json');
      const train = spawnSync(process.execPath, [CLI, 'train', DEMO_SOURCE, '--out', demoBuilt], { cwd: REPO, encoding: 'utf8' });
      if (train.status !== 0) throw new Error(`sts train failed:\n${train.stdout}\n${train.stderr}`);
    }
  }
  copyFileSync(demoBuilt, path.join(dir, 'demo.model.json'));
  return dir;
}

