import request from 'supertest';
import { checkModel } from '../../src/model/validate-model.js';
import { headOf } from '../../src/model/model-head.js';
import { fileText, modelFileBytes } from '../../src/model/io.js';
import { ModelRegistry } from '../../src/server/registry.js';
import { FolderStore } from '../../src/store/folder-store.js';
import { summaryOf } from '../../src/store/summary.js';
import { cleanupTempDirs, tempDir } from '../helpers.js';
import { appOf, modelOf, pizzaSource } from './server-helpers.js';

/**
 * A model loads on its first request, and that request's time limit holds while it loads: at
 * the deadline it is answered timeLimit (Caila: nothing found), and the load goes on for the
 * requests after it.
 */

afterAll(cleanupTempDirs);

const pizza = modelOf({ ...pizzaSource, settings: { ...pizzaSource.settings, preset: 'jaicp' } });

/** A registry on a folder holding "pizza", whose load waits until release() (a model slow to load). */
async function slowToLoad() {
  const store = new FolderStore(tempDir('sts-load-deadline-'));
  await store.write('pizza', modelFileBytes(pizza), summaryOf(pizza));
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const checker = {
    check: async (file: Uint8Array) => {
      await held;
      return headOf(checkModel(JSON.parse(fileText(file))).model);
    },
    cailaExport: () => Promise.reject(new Error('not used here')),
  };
  const registry = new ModelRegistry(store, 'pizza', undefined, undefined, { checker });
  await registry.open({ recheckMs: 60_000 });
  return { registry, release };
}

test('a classification whose model is still loading at its deadline is answered timeLimit then, with the limit it had', async () => {
  const { registry, release } = await slowToLoad();
  const app = appOf(registry);
  try {
    const late = await request(app).post('/v1/classify').send({ text: 'i want a pizza', timeLimit: 50 });
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ event: 'timeLimit', intent: null, limit: { kind: 'time', max: 50 }, modelId: pizza.id });
    expect(late.body.limit.actual).toBeGreaterThanOrEqual(50);
    expect(late.body.elapsedMs).toBe(late.body.limit.actual);
    // With no limit of its own, a batch waits for the load within the server's cap (the default 10 s).
    const batch = request(app)
      .post('/v1/classify/batch')
      .send({ texts: ['i want a pizza', 'hello'] })
      .then((r) => r);
    await new Promise((r) => setTimeout(r, 100));
    release();
    expect((await batch).body.results.map((e: { event: string }) => e.event)).toEqual(['match', 'noMatch']);
    const after = await request(app).post('/v1/classify').send({ text: 'i want a pizza', timeLimit: 50 });
    expect(after.body).toMatchObject({ event: 'match', intent: '/pizza/order' });
  } finally {
    release();
    await registry.close();
  }
});

test('the server cap bounds the wait for a load; the Caila routes then find nothing', async () => {
  const { registry, release } = await slowToLoad();
  const app = appOf(registry, { maxTimeLimitMs: 40 });
  try {
    const native = await request(app).post('/v1/classify/batch').send({ texts: ['i want a pizza', 'hello'] });
    expect(native.body.results).toEqual([
      expect.objectContaining({ event: 'timeLimit', limit: expect.objectContaining({ max: 40 }) }),
      expect.objectContaining({ event: 'timeLimit', limit: expect.objectContaining({ max: 40 }) }),
    ]);
    const base = '/cailapub/api/caila/p/pizza';
    expect((await request(app).get(`${base}/nlu/inference?query=i+want+a+pizza`)).body).toEqual({ intent: null, confidence: 0, slots: [] });
    expect((await request(app).post(`${base}/nlu/inference`).send({ phrase: { text: 'i want a pizza' } })).body).toEqual({ phrase: { text: 'i want a pizza', entities: [] }, variants: [] });
    expect((await request(app).get(`${base}/nlu/entities?query=two+pizzas`)).body).toMatchObject({ text: 'two pizzas', entities: [] });
    release();
    await registry.resolve('pizza');
    expect((await request(app).get(`${base}/nlu/inference?query=i+want+a+pizza`)).body).toMatchObject({ intent: { path: '/pizza/order' } });
  } finally {
    release();
    await registry.close();
  }
});
