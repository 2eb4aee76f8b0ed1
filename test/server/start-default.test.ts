import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer } from '../../src/server/start.js';
import { cleanupTempDirs, tempDir } from '../helpers.js';
import { DEMO_FILE, silent } from './server-helpers.js';

/** The default model a server picks at start: `demo` when the folder holds it, even damaged, whose load then stops the start. */

afterAll(cleanupTempDirs);

test('a damaged demo.model.json stops the start, naming it, rather than leaving another model to answer in its place', async () => {
  const dir = tempDir('sts-start-demo-');
  copyFileSync(DEMO_FILE, path.join(dir, 'another.model.json'));
  writeFileSync(path.join(dir, 'demo.model.json'), '{"format": "sts-classifier/model", "id":');
  const started = startServer({ model: dir, config: { port: 0, host: '127.0.0.1', classifyThreads: 0 }, logger: silent });
  await expect(started).rejects.toMatchObject({ code: 'io_error', message: 'model "demo" in the store cannot be loaded: not an sts-classifier model (damaged, or another kind of JSON)' });
});

test('with no demo, the first model by name is the default', async () => {
  const dir = tempDir('sts-start-first-');
  copyFileSync(DEMO_FILE, path.join(dir, 'b.model.json'));
  copyFileSync(DEMO_FILE, path.join(dir, 'a.model.json'));
  const running = await startServer({ model: dir, config: { port: 0, host: '127.0.0.1', classifyThreads: 0 }, logger: silent });
  try {
    expect(running.registry.defaultName).toBe('a');
  } finally {
    await running.close();
  }
});
