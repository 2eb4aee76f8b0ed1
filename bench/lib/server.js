// The server a bench measures: `node dist/server/main.js` (the built dist/) on a free loopback port.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/support/free-port.mjs';

const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist/server/main.js');

/**
 * Starts the server with `env` over this process's environment (and `defaults` under it, which
 * the caller's environment may override), PORT and HOST set, and waits until /readyz answers.
 * `stdout`: where its log goes (ignored by default; a file descriptor to keep it). Resolves with
 * its base URL, the child process, and stop(), which sends SIGTERM and waits for the exit.
 */
export async function startServer({ env = {}, defaults = {}, stdout = 'ignore' } = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [main], {
    env: { ...defaults, ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', stdout, 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) break;
    if (child.exitCode !== null || i > 300) throw new Error(`the server did not start (${JSON.stringify(env)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, child, stop: () => stopServer(child) };
}

/** Sends SIGTERM to a server and waits until it exits (at once if it has). */
export function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}
