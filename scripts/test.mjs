#!/usr/bin/env node
// npm test: the type check (npm run typecheck) and the fast tier of Jest, side by side. The suite
// keeps the cores busy but for the moments its tests wait on processes and threads; the type
// check, run at the lowest priority, takes those moments, so even a cold one (a fresh clone, no
// incremental state) adds little to the run, and the suite keeps its pace. Jest's output comes
// as it runs, the type check's at the end. Arguments go to Jest (`npm test -- test/cli`). Exits 0
// only when both passed.
import { spawn } from 'node:child_process';
import { constants, setPriority } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LOWEST_PRIORITY = 19;

// npm sets npm_execpath for the scripts it runs: node runs that npm directly, with no shell (on
// Windows, npm itself is a .cmd file, which only a shell starts).
const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
const typecheck = spawn(npm[0], [...npm.slice(1), 'run', '--silent', 'typecheck'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
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

const jest = spawn(process.execPath, ['--experimental-vm-modules', path.join(repo, 'node_modules/jest/bin/jest.js'), ...process.argv.slice(2)], { cwd: repo, stdio: 'inherit' });
const tested = new Promise((resolve) => {
  jest.once('error', (e) => {
    console.error(`Jest did not start: ${e.message}`);
    resolve(1);
  });
  jest.once('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
});

/** A signal this process got and passed on to both: the run was stopped, not failed. */
let stoppedBy;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stoppedBy = signal;
    typecheck.kill(signal);
    jest.kill(signal);
  });
}

const jestCode = await tested;
if (typecheck.exitCode === null && typecheck.signalCode === null && stoppedBy === undefined) console.error('\nWaiting for the type check (npm run typecheck)…');
const { code, error } = await typechecked;
if (stoppedBy !== undefined) {
  console.error(`\nStopped by ${stoppedBy}.`);
  process.exitCode = 128 + constants.signals[stoppedBy];
} else {
  if (code === 0) console.error('\nType check (npm run typecheck): no errors.');
  else console.error(`\nType check (npm run typecheck) failed${error ? ` (${error})` : ''}:\n${typecheckOutput.trimEnd()}`);
  // exitCode, not exit(): stderr to a pipe is written asynchronously, and a long list of errors would be cut.
  process.exitCode = jestCode !== 0 ? jestCode : code === 0 ? 0 : 1;
}
