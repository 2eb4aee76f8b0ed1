import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { modelFileBytes, modelFileText } from '../../src/model/io.js';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import { FolderStore } from '../../src/store/folder-store.js';
import type { StoredModel } from '../../src/store/store.js';
import { summaryOf, summaryOfFile } from '../../src/store/summary.js';
import { memoryCost } from '../../src/server/model-cache.js';
import { ModelRegistry } from '../../src/server/registry.js';
import { cleanupTempDirs, tempDir } from '../helpers.js';
import { appOf, botSource, expectNativeError, listen, modelOf, pizzaSource } from './server-helpers.js';

/** The registry on a store: models load on first request, under a memory budget, and follow the store's changes. */

afterAll(cleanupTempDirs);

/**
 * A bot of its own per name (its own id); names of the same length give models of the same size
 * (JAICP's settings: no stored regression, whose kept weights would vary with the words).
 */
const botNamed = (name: string, extra = 0): IntentsFileInput => ({
  ...botSource,
  settings: { ...botSource.settings, preset: 'jaicp' },
  intents: [
    ...botSource.intents!,
    { path: `/${name}`, phrases: [`only ${name} says this`, ...Array.from({ length: extra }, (_, i) => `${name} phrase number w${i}`)] },
  ],
});

/** A folder store holding these models, written as the server writes them. */
async function folderWith(names: string[], big: string[] = []): Promise<FolderStore> {
  const store = new FolderStore(tempDir('sts-registry-'));
  for (const name of names) {
    const model = modelOf(botNamed(name, big.includes(name) ? 200 : 0));
    await store.write(name, modelFileBytes(model), summaryOf(model));
  }
  return store;
}

const costOf = (name: string, extra = 0) => memoryCost(Buffer.byteLength(modelFileText(modelOf(botNamed(name, extra)))));

async function loads(registry: ModelRegistry, outcome = 'ok'): Promise<number> {
  return (await registry.metrics.loads.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}

const opened: ModelRegistry[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((r) => r.close()));
});

async function openRegistry(store: FolderStore, options: { budget?: number; defaultName?: string } = {}): Promise<ModelRegistry> {
  const registry = new ModelRegistry(store, options.defaultName, undefined, undefined, { memoryBudgetBytes: options.budget });
  await registry.open({ recheckMs: 60_000 });
  opened.push(registry);
  return registry;
}

describe('loading on first request', () => {
  test('the store\'s models are listed without loading; concurrent first requests share one load', async () => {
    const registry = await openRegistry(await folderWith(['m1', 'm2']));
    expect(registry.get('m1')).toBeUndefined();
    const listed = (await request(appOf(registry)).get('/v1/models')).body.models as { name: string; loadedAt?: string }[];
    expect(listed.map((m) => [m.name, m.loadedAt])).toEqual([
      ['m1', undefined],
      ['m2', undefined],
    ]);
    const entries = await Promise.all(Array.from({ length: 5 }, () => registry.resolve('m1')));
    expect(new Set(entries).size).toBe(1);
    expect(entries[0]!.head.id).toBe(modelOf(botNamed('m1')).id);
    expect(await loads(registry)).toBe(1);
    const after = (await request(appOf(registry)).get('/v1/models')).body.models as { name: string; loadedAt?: string }[];
    expect(after.find((m) => m.name === 'm1')!.loadedAt).toEqual(expect.any(String));
  });

  test('a classify request names a model that is not loaded: it waits for the load and gets that model', async () => {
    const registry = await openRegistry(await folderWith(['m1', 'm2']), { defaultName: 'm1' });
    const res = await request(appOf(registry)).post('/v1/classify').send({ text: 'only m2 says this', model: 'm2' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ intent: '/m2', modelId: modelOf(botNamed('m2')).id });
  });

  test('a model the registry has not heard of yet is looked up in the store; an unknown one is a 404', async () => {
    const store = await folderWith([]);
    const registry = await openRegistry(store);
    const late = modelOf(botNamed('late'));
    // Written by another process, before any notice of it arrived.
    await new FolderStore(store.dir).write('late', modelFileBytes(late), summaryOf(late));
    expect((await registry.resolve('late'))?.head.id).toBe(late.id);
    expectNativeError(await request(appOf(registry)).post('/v1/classify').send({ text: 'hi', model: 'nope' }), 404, 'not_found');
    expect(await loads(registry, 'not_found')).toBe(1);
  });

  test('a damaged model in the store → 500 io_error that names the model and not the file', async () => {
    const store = await folderWith(['good']);
    writeFileSync(store.fileOf('bad'), modelFileText(modelOf(pizzaSource)).replace('"pizza', '"pasta'));
    const registry = await openRegistry(store, { defaultName: 'good' });
    const res = await request(appOf(registry)).post('/v1/classify').send({ text: 'hi', model: 'bad' });
    const error = expectNativeError(res, 500, 'io_error');
    expect(error.message).toMatch(/^model "bad" in the store cannot be loaded: damaged model/);
    expect(error.message).not.toContain(store.dir);
    expect(await loads(registry, 'error')).toBe(1);
    // The same file fails the same way: the next requests get the error without a read and a check.
    for (let i = 0; i < 3; i++) expect(expectNativeError(await request(appOf(registry)).post('/v1/classify').send({ text: 'hi', model: 'bad' }), 500, 'io_error').message).toBe(error.message);
    expect(await loads(registry, 'error')).toBe(1);
    // Mended (by another process: no notice of it yet), it serves at once: the store's revision changed.
    writeFileSync(store.fileOf('bad'), modelFileText(modelOf(pizzaSource)));
    expect((await request(appOf(registry)).post('/v1/classify').send({ text: 'order a pizza', model: 'bad' })).status).toBe(200);
    expect(await loads(registry, 'ok')).toBeGreaterThanOrEqual(1);
  });

  test('a load that an upload overtakes serves the upload, never the older read', async () => {
    const base = await folderWith(['bot']);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let gated = false;
    class SlowStore extends FolderStore {
      override async read(name: string): Promise<StoredModel | undefined> {
        const read = await super.read(name);
        if (gated) await gate;
        return read;
      }
    }
    const registry = await openRegistry(new SlowStore(base.dir));
    gated = true; // reads from here on wait for the gate
    const loading = registry.resolve('bot');
    const uploaded = await registry.put('bot', pizzaSource);
    release();
    expect((await loading)?.head.id).toBe(uploaded.entry.head.id);
    expect(registry.get('bot')?.head.id).toBe(modelOf(pizzaSource).id);
  });
});

describe('the memory budget', () => {
  test('evicts the least recently used model first', async () => {
    const registry = await openRegistry(await folderWith(['m1', 'm2', 'm3']), { budget: costOf('m1') + costOf('m2') + 1 });
    await registry.resolve('m1');
    await registry.resolve('m2');
    await registry.resolve('m1'); // m1 is now the most recently used
    // Listings and ids read the models without using them: the order stays.
    expect(registry.list().map((m) => m.name)).toEqual(['m1', 'm2', 'm3']);
    expect(registry.idOf('m2')).toBe(modelOf(botNamed('m2')).id);
    await registry.resolve('m3');
    expect(registry.get('m2')).toBeUndefined();
    expect(registry.get('m1')).toBeDefined();
    expect(registry.get('m3')).toBeDefined();
    expect((await registry.metrics.evictions.get()).values[0]!.value).toBe(1);
    // m2 loads again on its next request.
    expect((await registry.resolve('m2'))?.head.id).toBe(modelOf(botNamed('m2')).id);
    expect(await loads(registry)).toBe(4);
    expect(registry.get('m1')).toBeUndefined();
  });

  test('a request that holds a model when it is evicted finishes on it; the next request loads it again', async () => {
    const registry = await openRegistry(await folderWith(['m1', 'm2']), { budget: costOf('m1') + 1 });
    const held = (await registry.resolve('m1'))!;
    await registry.resolve('m2');
    expect(registry.get('m1')).toBeUndefined();
    expect((await held.classifier.classify('only m1 says this')).modelId).toBe(modelOf(botNamed('m1')).id);
    const again = await registry.resolve('m1');
    expect(again).not.toBe(held);
    expect(again!.head.id).toBe(held.head.id);
  });

  test('requests racing each other over two models and one model of room: every answer comes from the model it named', async () => {
    const registry = await openRegistry(await folderWith(['m1', 'm2']), { budget: costOf('m1') + 1, defaultName: 'm1' });
    const running = await listen(appOf(registry));
    try {
      const names = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 'm2' : 'm1'));
      const results = await Promise.all(names.map((name) => request(running.server).post('/v1/classify').send({ text: `only ${name} says this`, model: name })));
      expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
      results.forEach((r, i) => expect([names[i], r.body.intent, r.body.modelId]).toEqual([names[i], `/${names[i]}`, modelOf(botNamed(names[i]!)).id]));
      expect((await registry.metrics.evictions.get()).values[0]!.value).toBeGreaterThan(0);
    } finally {
      await running.close();
    }
  });

  test('a model bigger than the budget: a request gets 507 model_too_large, an upload 413 and nothing is written', async () => {
    const store = await folderWith(['small', 'big'], ['big']);
    const registry = await openRegistry(store, { budget: costOf('small') + 1, defaultName: 'small' });
    expect((await request(appOf(registry)).post('/v1/classify').send({ text: 'hi', model: 'small' })).status).toBe(200);
    const app = appOf(registry);
    const error = expectNativeError(await request(app).post('/v1/classify').send({ text: 'hi', model: 'big' }), 507, 'model_too_large');
    expect(error.message).toMatch(/^model "big" needs about \d+ MB of memory once loaded, more than the model memory budget of \d+ MB \(STS_MODEL_MEMORY_MB\)/);
    const put = expectNativeError(await request(app).put('/v1/models/other').send(botNamed('other', 200)), 413, 'payload_too_large');
    expect(put.message).toContain('STS_MODEL_MEMORY_MB');
    expect(existsSync(store.fileOf('other'))).toBe(false);
  });
});

describe('following the store', () => {
  test('an upload and a delete through another process are followed (the folder is watched)', async () => {
    const store = await folderWith(['bot', 'extra']);
    const here = await openRegistry(new FolderStore(store.dir), { defaultName: 'bot' });
    const there = await openRegistry(new FolderStore(store.dir), { defaultName: 'bot' });
    await here.resolve('bot');
    const started = Date.now();
    const { entry } = await there.put('bot', pizzaSource);
    while (here.get('bot')?.head.id !== entry.head.id && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(here.get('bot')?.head.id).toBe(entry.head.id);
    await there.delete('extra');
    while (here.has('extra') && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(here.has('extra')).toBe(false);
  });

  test('the periodic re-check picks up a change nobody was told of', async () => {
    const store = await folderWith(['bot']);
    class DeafStore extends FolderStore {
      override watch(): void {}
    }
    const registry = await openRegistry(new DeafStore(store.dir));
    await registry.resolve('bot');
    const pizza = modelOf(pizzaSource);
    await store.write('bot', modelFileBytes(pizza), summaryOf(pizza));
    await store.write('new', modelFileBytes(pizza), summaryOf(pizza));
    expect(registry.get('bot')?.head.id).not.toBe(pizza.id);
    await registry.recheck();
    expect(registry.get('bot')?.head.id).toBe(pizza.id);
    expect(registry.has('new')).toBe(true);
    await store.remove('new');
    await registry.recheck();
    expect(registry.has('new')).toBe(false);
  });

  test('a file damaged by hand, either way, leaves the version in memory serving, read and told of once; mended, it is followed', async () => {
    const store = await folderWith(['bot', 'other']);
    const problems: string[] = [];
    class DeafStore extends FolderStore {
      reads = 0;
      override watch(): void {}
      override read(name: string) {
        this.reads++;
        return super.read(name);
      }
    }
    const deaf = new DeafStore(store.dir, (file, message) => problems.push(`${path.basename(file)}: ${message}`));
    const registry = await openRegistry(deaf, { defaultName: 'other' });
    const served = (await registry.resolve('bot'))!.head.id;
    const pizza = modelOf(pizzaSource);
    for (const damaged of ['{"format": "sts-classifier/model", "id"', modelFileText(pizza).replace('"pizza', '"pasta')]) {
      writeFileSync(store.fileOf('bot'), damaged);
      const readsBefore = deaf.reads;
      for (let i = 0; i < 3; i++) await registry.recheck();
      expect(registry.get('bot')?.head.id).toBe(served);
      expect(registry.list().find((m) => m.name === 'bot')?.id).toBe(served);
      expect((await request(appOf(registry)).post('/v1/classify').send({ text: 'hi', model: 'bot' })).status).toBe(200);
      // Once to list the new version and once to load it, not once per re-check.
      expect(deaf.reads - readsBefore).toBeLessThanOrEqual(2);
    }
    expect(problems).toEqual(['bot.model.json: not an sts-classifier model (damaged, or another kind of JSON): not served']);
    expect(await loads(registry, 'error')).toBe(1);
    await store.write('bot', modelFileBytes(pizza), summaryOf(pizza));
    await registry.recheck();
    expect(registry.get('bot')?.head.id).toBe(pizza.id);
  });

  test('a request for a model whose file is not a model → 500 io_error that names the model, answered once per version', async () => {
    const store = await folderWith(['good']);
    writeFileSync(store.fileOf('bad'), 'not json at all');
    const registry = await openRegistry(store, { defaultName: 'good' });
    expect(registry.has('bad')).toBe(false);
    for (let i = 0; i < 3; i++) {
      const error = expectNativeError(await request(appOf(registry)).post('/v1/classify').send({ text: 'hi', model: 'bad' }), 500, 'io_error');
      expect(error.message).toBe('model "bad" in the store cannot be loaded: not an sts-classifier model (damaged, or another kind of JSON)');
    }
    expect(await loads(registry, 'error')).toBe(1);
    writeFileSync(store.fileOf('bad'), modelFileText(modelOf(pizzaSource)));
    expect((await request(appOf(registry)).post('/v1/classify').send({ text: 'order a pizza', model: 'bad' })).status).toBe(200);
  });

  test('a listed model not in memory whose file stops being a model is unlisted at the next re-check, answers 500, and can be deleted', async () => {
    const store = await folderWith(['good', 'idle']);
    const registry = await openRegistry(store, { defaultName: 'good' });
    expect(registry.has('idle')).toBe(true);
    writeFileSync(store.fileOf('idle'), 'not json');
    await registry.recheck();
    expect(registry.has('idle')).toBe(false);
    expect(registry.list().map((m) => m.name)).toEqual(['good']);
    expectNativeError(await request(appOf(registry)).post('/v1/classify').send({ text: 'hi', model: 'idle' }), 500, 'io_error');
    expect((await request(appOf(registry)).delete('/v1/models/idle')).status).toBe(204);
    expect(existsSync(store.fileOf('idle'))).toBe(false);
    expectNativeError(await request(appOf(registry)).post('/v1/classify').send({ text: 'hi', model: 'idle' }), 404, 'not_found');
    expectNativeError(await request(appOf(registry)).delete('/v1/models/idle'), 404, 'not_found');
  });

  test('a load of a file that is not a model, overtaken by an upload of its name, serves the upload', async () => {
    const seed = await folderWith(['good']);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const store = new FolderStore(seed.dir, undefined, async (file) => {
      const summary = summaryOfFile(file);
      if (!summary) await gate; // the damaged file's summary is held until the upload is in
      return summary;
    });
    const registry = await openRegistry(store, { defaultName: 'good' });
    writeFileSync(seed.fileOf('bad'), '{"not": "a model"}'); // by another process, not yet heard of
    const resolving = registry.resolve('bad');
    await new Promise((r) => setTimeout(r, 5));
    const { entry } = await registry.put('bad', pizzaSource);
    release();
    expect((await resolving)?.head.id).toBe(entry.head.id);
    // The overtaken load is not a failed one.
    expect(await loads(registry, 'error')).toBe(0);
  });

  test('/readyz: a default model not in memory whose file fails to load makes the replica unready until the file is mended', async () => {
    const store = await folderWith(['bot']);
    const registry = await openRegistry(store, { defaultName: 'bot' });
    const app = appOf(registry);
    writeFileSync(store.fileOf('bot'), modelFileText(modelOf(pizzaSource)).replace('"pizza', '"pasta'));
    expect((await request(app).get('/readyz')).status).toBe(200); // nothing failed yet
    expectNativeError(await request(app).post('/v1/classify').send({ text: 'hi' }), 500, 'io_error');
    const unready = await request(app).get('/readyz');
    expect(unready.status).toBe(503);
    expect(unready.body.status).toMatch(/^the default model cannot be loaded: model "bot" in the store cannot be loaded: damaged model/);
    writeFileSync(store.fileOf('bot'), modelFileText(modelOf(pizzaSource)));
    expect((await request(app).get('/readyz')).status).toBe(200);
    expect((await request(app).post('/v1/classify').send({ text: 'order a pizza' })).status).toBe(200);
  });

  test('/metrics shows loads, load time, evictions, memory in use and the budget', async () => {
    const registry = await openRegistry(await folderWith(['m1', 'm2']), { budget: costOf('m1') + 1, defaultName: 'm1' });
    const app = appOf(registry);
    await request(app).post('/v1/classify').send({ text: 'hi', model: 'm1' });
    await request(app).post('/v1/classify').send({ text: 'hi', model: 'm2' });
    const text = (await request(app).get('/metrics')).text;
    const sample = (series: string) => Number(text.split('\n').find((l) => l.startsWith(series + ' '))?.slice(series.length + 1));
    expect(sample('sts_model_loads_total{outcome="ok"}')).toBe(2);
    expect(sample('sts_model_load_seconds_count')).toBe(2);
    expect(sample('sts_model_evictions_total')).toBe(1);
    expect(sample('sts_models_stored')).toBe(2);
    expect(sample('sts_models_loaded')).toBe(1);
    expect(sample('sts_model_memory_bytes')).toBe(costOf('m2'));
    expect(sample('sts_model_memory_budget_bytes')).toBe(costOf('m1') + 1);
    expect(sample('sts_store_up')).toBe(1);
    expect(path.basename(registry.store!.kind)).toBe('folder');
  });
});

test('a periodic re-check that outlasts its interval is not started again beside itself; close waits for it', async () => {
  const store = await folderWith(['bot']);
  let lists = 0;
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const list = store.list.bind(store);
  store.list = async () => {
    if (++lists > 1) await held; // the first is open()'s; every re-check then waits
    return list();
  };
  const registry = new ModelRegistry(store, undefined, undefined, undefined, {});
  await registry.open({ recheckMs: 5 });
  await new Promise((r) => setTimeout(r, 100)); // twenty intervals
  expect(lists).toBe(2);
  let closed = false;
  const closing = registry.close().then(() => (closed = true));
  await new Promise((r) => setTimeout(r, 20));
  expect(closed).toBe(false);
  release();
  await closing;
  expect(lists).toBe(2);
});
