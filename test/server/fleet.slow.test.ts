import pg from 'pg';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import { builtFile, cleanupTempDirs } from '../helpers.js';
import { startPostgres, type TestPostgres } from '../support/postgres.mjs';
import { freePort, killStarted, MAIN, modelsDir, startProcess, waitFor, type Proc } from './processes.js';
import { botSource } from './server-helpers.js';

/**
 * Replicas of `npm start` on one real PostgreSQL (STS_STORE): changes reach every replica, a
 * replica killed in the middle of an upload leaves the old model whole, and an outage of
 * PostgreSQL stops the changes but not the classification of loaded models.
 */

let postgres: TestPostgres;
let databases = 0;
beforeAll(async () => {
  builtFile('server/main.js');
  postgres = await startPostgres();
}, 180_000);
afterEach(killStarted);
afterAll(async () => {
  await postgres?.destroy();
  cleanupTempDirs();
});

/** A fresh database on the test's PostgreSQL: an empty store. */
async function freshDatabase(): Promise<string> {
  const name = `fleet_${++databases}`;
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return postgres.url.replace(/\/postgres$/, `/${name}`);
}

interface Replica {
  proc: Proc;
  base: string;
}

async function startReplica(store: string, models = modelsDir()): Promise<Replica> {
  const port = await freePort();
  const proc = startProcess([MAIN], { PORT: String(port), STS_MODELS: models, HOST: '127.0.0.1', STS_ADMIN_TOKEN: '', STS_STORE: store, STS_STORE_RECHECK_MS: '1000' });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/readyz`, proc, 30_000);
  return { proc, base };
}

async function call(replica: Replica, method: string, pathname: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(replica.base + pathname, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const classify = (replica: Replica, model: string, text = 'hello') => call(replica, 'POST', '/v1/classify', { text, model });

/** Polls until `check` holds (a behaviour, not a speed: the bench measures how soon). */
async function eventually(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`not within ${ms} ms: ${what}`);
}

const version = (k: number): IntentsFileInput => ({ ...botSource, intents: [...botSource.intents!, { path: `/v${k}`, phrases: [`version number ${k}`] }] });

test('three replicas: 20 uploads, each through one replica, reach the other two; a delete too; no request fails or gets a model never uploaded', async () => {
  const store = await freshDatabase();
  const replicas = [await startReplica(store), await startReplica(store), await startReplica(store)];
  const uploaded = new Set<string>();
  const first = await call(replicas[0]!, 'PUT', '/v1/models/bot', version(0));
  expect(first.status).toBe(201);
  uploaded.add((first.json.model as { id: string }).id);
  await eventually(async () => (await Promise.all(replicas.map((r) => classify(r, 'bot')))).every((a) => a.status === 200), 'every replica serves bot');

  // Requests go on all the time, to every replica.
  let running = true;
  const answers: { status: number; modelId: unknown }[] = [];
  const traffic = (async () => {
    for (let i = 0; running; i++) {
      const a = await classify(replicas[i % 3]!, 'bot');
      answers.push({ status: a.status, modelId: a.json.modelId });
    }
  })();

  for (let k = 1; k <= 20; k++) {
    const via = replicas[k % 3]!;
    const put = await call(via, 'PUT', '/v1/models/bot', version(k));
    expect(put.status).toBe(200);
    const id = (put.json.model as { id: string }).id;
    uploaded.add(id);
    const others = replicas.filter((r) => r !== via);
    await eventually(async () => (await Promise.all(others.map((r) => classify(r, 'bot', `version number ${k}`)))).every((a) => a.json.modelId === id && a.json.intent === `/v${k}`), `version ${k} on the other replicas`);
  }
  running = false;
  await traffic;
  expect(answers.length).toBeGreaterThan(20);
  expect(answers.filter((a) => a.status !== 200)).toEqual([]);
  expect(answers.filter((a) => !uploaded.has(a.modelId as string))).toEqual([]);

  expect((await call(replicas[2]!, 'DELETE', '/v1/models/bot')).status).toBe(204);
  await eventually(async () => (await Promise.all(replicas.map((r) => classify(r, 'bot')))).every((a) => a.status === 404), 'the delete on every replica');
  for (const r of replicas) expect((await call(r, 'GET', '/v1/models')).json.models).toEqual([expect.objectContaining({ name: 'demo', default: true })]);
});

test('a replica killed -9 in the middle of an upload: the store keeps the old model whole, the others serve on, the restarted replica serves it', async () => {
  const store = await freshDatabase();
  const [a, b] = [await startReplica(store), await startReplica(store)];
  const old = await call(a, 'PUT', '/v1/models/bot', version(1));
  const oldId = (old.json.model as { id: string }).id;
  await eventually(async () => (await classify(b, 'bot')).json.modelId === oldId, 'b serves the first version');

  // A test connection locks the row: A's write of the new version then waits inside its
  // transaction, its INSERT (the whole model file) sent, until A is killed.
  // (pg_stat_activity is read on another connection: inside a transaction it would not change.)
  const [db, watch] = [new pg.Client({ connectionString: store }), new pg.Client({ connectionString: store })];
  for (const c of [db, watch]) {
    c.on('error', () => undefined);
    await c.connect();
  }
  await db.query('BEGIN');
  await db.query("SELECT name FROM sts_models WHERE name = 'bot' FOR UPDATE");
  const upload = call(a, 'PUT', '/v1/models/bot', version(2)).catch((e: unknown) => e);
  const writing = "SELECT 1 FROM pg_stat_activity WHERE application_name = 'sts-classifier' AND query LIKE 'INSERT INTO sts_models%'";
  await eventually(async () => (await watch.query(`${writing} AND wait_event_type = 'Lock'`)).rows.length === 1, "A's write waiting in its transaction");
  a.proc.child.kill('SIGKILL');
  expect(await a.proc.exited).toBe('SIGKILL');
  expect(await upload).toMatchObject({ message: 'fetch failed' }); // the connection died with A
  await db.query('ROLLBACK');
  // PostgreSQL sees A's connection close and rolls its transaction back.
  await eventually(async () => (await watch.query(`${writing} AND state <> 'idle'`)).rows.length === 0, "A's transaction rolled back");
  const { rows } = await watch.query("SELECT id, (SELECT count(*) FROM sts_models) AS models FROM sts_models WHERE name = 'bot'");
  await Promise.all([db.end(), watch.end()]);
  expect(rows).toEqual([{ id: oldId, models: '2' }]);

  expect(await classify(b, 'bot')).toMatchObject({ status: 200, json: { modelId: oldId } });
  const restarted = await startReplica(store);
  expect(await classify(restarted, 'bot', 'version number 1')).toMatchObject({ status: 200, json: { modelId: oldId, intent: '/v1' } });
});

test('PostgreSQL stops: loaded models classify on, /readyz says the store is down, uploads get 503; all recovers when it is back', async () => {
  const store = await freshDatabase();
  const [a, b] = [await startReplica(store), await startReplica(store)];
  expect((await call(a, 'PUT', '/v1/models/bot', version(1))).status).toBe(201);
  expect((await call(a, 'PUT', '/v1/models/cold', version(2))).status).toBe(201);
  await eventually(async () => (await classify(b, 'bot')).status === 200, 'b serves bot');

  await postgres.stop();
  try {
    for (const r of [a, b]) {
      await eventually(async () => ((await call(r, 'GET', '/readyz')).json.store as { status: string }).status === 'down', '/readyz reports the store down');
      const ready = await call(r, 'GET', '/readyz');
      expect(ready.status).toBe(200); // the default model is in memory: the replica still serves
      expect((await classify(r, 'demo')).status).toBe(200);
      expect((await classify(r, 'bot')).status).toBe(200);
    }
    const put = await call(a, 'PUT', '/v1/models/bot', version(3));
    expect(put).toMatchObject({ status: 503, json: { error: { code: 'store_unavailable' } } });
    expect((put.json.error as { message: string }).message).toMatch(/model store is unavailable/);
    expect((await classify(a, 'bot', 'version number 1')).json.intent).toBe('/v1'); // the old model serves on
    // A model not in memory on b cannot be read now: 503, not a wrong model or a 404.
    expect(await classify(b, 'cold')).toMatchObject({ status: 503, json: { error: { code: 'store_unavailable' } } });
  } finally {
    await postgres.start();
  }
  for (const r of [a, b]) await eventually(async () => ((await call(r, 'GET', '/readyz')).json.store as { status: string }).status === 'up', 'the store up again', 30_000);
  const put = await call(b, 'PUT', '/v1/models/bot', version(4));
  expect(put.status).toBe(200);
  const id = (put.json.model as { id: string }).id;
  await eventually(async () => (await classify(a, 'bot')).json.modelId === id, 'a serves the upload made through b after the outage');
  expect((await classify(b, 'cold', 'version number 2')).json.intent).toBe('/v2');
});
