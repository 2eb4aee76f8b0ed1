#!/usr/bin/env node
// npm test: the type check (npm run typecheck) and the fast tier of Jest, side by side. The suite
// keeps the cores busy but for the moments its tests wait on processes and threads; the type
// check, run at the lowest priority, takes those moments, so even a cold one (a fresh clone, no
// incremental state) adds little to the run, and the suite keeps its pace. Jest's output comes
// as it runs, the type check's at the end. Arguments go to Jest (`npm test -- test/cli`). Exits 0
// only when both passed.
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LOWEST_PRIORITY = 19;

const windows = process.platform === 'win32';
// Each child leads a process group of its own (but on Windows), so that a signal reaches its
// children too: Jest's workers, and the servers its tests start.
const ownGroup = !windows;
// npm sets npm_execpath for the scripts it runs: node runs that npm directly, with no shell. Run
// otherwise, npm is on the PATH; on Windows it is a .cmd file, which only a shell starts.
const [npmFile, ...npmArgs] = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : [windows ? 'npm.cmd' : 'npm'];
const typecheck = spawn(npmFile, [...npmArgs, 'run', '--silent', 'typecheck'], {
  cwd: repo,
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: ownGroup,
  shell: windows && !process.env.npm_execpath,
});
try {
  setPriority(typecheck.pid, LOWEST_PRIORITY); // inherited by the tsc it starts
} catch {
  // not allowed here, or it did not start: it runs at the normal priority
}
let typecheckOutput = '';
for (const stream of [typecheck.stdout, typecheck.stderr]) {
  stream.setEncoding('utf8');
  stream.on('data', (text) => (typecheckOutput += text));
}
const typechecked = new Promise((resolve) => {
  typecheck.once('error', (e) => resolve({ code: 1, error: e.message }));
  typecheck.once('close', (code, signal) => resolve({ code: code ?? 1, error: signal ? `stopped by ${signal}` : undefined }));
});

const jest = spawn(process.execPath, ['--experimental-vm-modules', path.join(repo, 'node_modules/jest/bin/jest.js'), ...process.argv.slice(2)], { cwd: repo, stdio: 'inherit', detached: ownGroup });
const tested = new Promise((resolve) => {
  jest.once('error', (e) => {
    console.error(`Jest did not start: ${e.message}`);
    resolve(1);
  });
  jest.once('close', (code, signal) => {
    if (signal) console.error(`\nJest was stopped by ${signal}.`);
    resolve(code ?? 1);
  });
});

/** Sends a signal to a child and, where it leads a group, to everything it started. */
function signal(child, name) {
  try {
    if (ownGroup && child.pid !== undefined) process.kill(-child.pid, name);
    else child.kill(name);
  } catch {
    // already gone
  }
}

/** A signal this process got and passed on to both: the run was stopped, not failed. */
let stoppedBy;
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(name, () => {
    stoppedBy = name;
    signal(typecheck, name);
    signal(jest, name);
  });
}

const jestCode = await tested;
if (typecheck.exitCode === null && typecheck.signalCode === null && stoppedBy === undefined) console.error('\nWaiting for the type check (npm run typecheck)…');
const { code, error } = await typechecked;
if (stoppedBy !== undefined) {
  // Ended by the signal itself, as the shell expects of a program it interrupted (a loop stops).
  process.removeAllListeners(stoppedBy);
  process.kill(process.pid, stoppedBy);
} else {
  if (code === 0) console.error('\nType check (npm run typecheck): no errors.');
  else console.error(`\nType check (npm run typecheck) failed${error ? ` (${error})` : ''}:\n${typecheckOutput.trimEnd()}`);
  // exitCode, not exit(): stderr to a pipe is written asynchronously, and a long list of errors would be cut.
  process.exitCode = jestCode !== 0 ? jestCode : code === 0 ? 0 : 1;
}
