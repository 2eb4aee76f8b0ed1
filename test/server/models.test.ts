import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { loadModel } from '../../src/model/io.js';
import { modelToCailaProject } from '../../src/model/caila-export.js';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import { ModelRegistry } from '../../src/server/registry.js';
import { ModelDetail, ModelList, PutModelResponse, StsEventSchema } from '../../src/server/schemas.js';
import { DEFAULT_SETTINGS } from '../../src/config.js';
import { cleanupTempDirs, LEXICAL_ACCURATE, tempDir } from '../helpers.js';
import { appOf, botSource, expectNativeError, listen, modelOf, pizzaSource, registryOf } from './server-helpers.js';

/** /v1/models: listing, details, uploads (ours and Caila's), failures that change nothing, deletes, auth, hot swap. */

afterAll(cleanupTempDirs);

const LOADED_AT = new Date('2024-05-06T07:08:09.000Z');
const fixedClock = () => LOADED_AT;

/** A fresh registry on a temp folder, with `bot` (default) and `pizza`, their files written by PUT. */
async function setup(config: Parameters<typeof appOf>[1] = {}) {
  // Nested, so a traversal to the parent would show up in a folder only this test uses.
  const dir = path.join(tempDir('sts-models-'), 'models');
  mkdirSync(dir);
  const registry = new ModelRegistry(dir, undefined, fixedClock);
  const app = appOf(registry, config);
  const auth = config.adminToken ? { authorization: `Bearer ${config.adminToken}` } : {};
  for (const [name, source] of [['bot', botSource], ['pizza', pizzaSource]] as const) {
    const res = await request(app).put(`/v1/models/${name}`).set(auth).send(source);
    expect(res.status).toBe(201);
  }
  return { dir, registry, app, auth };
}

const fileOf = (dir: string, name: string) => path.join(dir, `${name}.model.json`);

describe('GET /v1/models', () => {
  test('lists every model with name, id, language, counts, loadedAt and the default flag, by name', async () => {
    const registry = new ModelRegistry(undefined, undefined, fixedClock);
    registry.add('zeta', modelOf(pizzaSource));
    registry.add('alpha', modelOf(botSource));
    const res = await request(appOf(registry)).get('/v1/models');
    expect(res.status).toBe(200);
    const { models } = ModelList.parse(res.body);
    expect(models).toEqual([
      { name: 'alpha', id: modelOf(botSource).id, language: 'en', intents: 4, phrases: 11, loadedAt: LOADED_AT.toISOString(), default: false },
      { name: 'zeta', id: modelOf(pizzaSource).id, language: 'en', intents: 2, phrases: 5, loadedAt: LOADED_AT.toISOString(), default: true },
    ]);
  });

  test('an empty registry lists nothing', async () => {
    const res = await request(appOf(new ModelRegistry(undefined, undefined))).get('/v1/models');
    expect(res.body).toEqual({ models: [] });
  });
});

describe('GET /v1/models/:name', () => {
  test('the summary, the full settings and the intent list with phrase counts', async () => {
    const registry = new ModelRegistry(undefined, undefined, fixedClock);
    registry.add('bot', modelOf(botSource));
    const res = await request(appOf(registry)).get('/v1/models/bot');
    expect(res.status).toBe(200);
    const detail = ModelDetail.parse(res.body);
    expect(detail).toMatchObject({ name: 'bot', default: true, intents: 4, phrases: 11, language: 'en' });
    // The default settings as compiled: γ as tuning left it, tuning and calibration done (they act when a model is compiled).
    const { probabilityWeight } = registry.get('bot')!.head.settings;
    expect(detail.settings).toEqual({ ...DEFAULT_SETTINGS, threshold: 0.3, nBest: 3, probabilityWeight, tuneProbabilityWeight: false, calibrate: false });
    expect(detail.intentList).toEqual([
      { path: '/hello', answer: 'Hi!', phrases: 3 },
      { path: '/table', answer: 'For how many?', phrases: 3 },
      { path: '/taxi', phrases: 3 },
      { path: '/weather', phrases: 2 },
    ]);
  });

  test('an unknown model → 404', async () => {
    const res = await request(appOf(registryOf({ bot: botSource }))).get('/v1/models/nope');
    expectNativeError(res, 404, 'not_found');
  });
});

describe('PUT /v1/models/:name', () => {
  test('creates (201), then replaces (200); the file is written and loads back as the same model', async () => {
    const { dir, app } = await setup();
    const created = await request(app).put('/v1/models/extra').send(pizzaSource);
    expect(created.status).toBe(201);
    const body = PutModelResponse.parse(created.body);
    expect(body.model).toMatchObject({ name: 'extra', id: modelOf(pizzaSource).id, intents: 2, default: false });
    expect(body.warnings).toEqual([]);
    const first = await loadModel(fileOf(dir, 'extra'));
    expect(first.id).toBe(body.model.id);

    const v2: IntentsFileInput = { ...pizzaSource, intents: [...pizzaSource.intents!, { path: '/pizza/cancel', phrases: ['cancel my pizza'] }] };
    const replaced = await request(app).put('/v1/models/extra').send(v2);
    expect(replaced.status).toBe(200);
    expect(replaced.body.model).toMatchObject({ name: 'extra', id: modelOf(v2).id, intents: 3 });
    expect((await loadModel(fileOf(dir, 'extra'))).id).toBe(modelOf(v2).id);
    const res = await request(app).post('/v1/classify').send({ text: 'cancel my pizza', model: 'extra' });
    expect(res.body).toMatchObject({ event: 'match', intent: '/pizza/cancel', modelId: modelOf(v2).id });
    // No temp files left beside the models.
    expect(readdirSync(dir).sort()).toEqual(['bot.model.json', 'extra.model.json', 'pizza.model.json']);
  });

  test('the compile warnings come back in the response', async () => {
    const { app } = await setup();
    const res = await request(app)
      .put('/v1/models/warn')
      .send({ intents: [{ path: '/a', phrases: ['hello there'] }, { path: '/b', phrases: ['hello there', 'bye'] }, { path: '/c', phrases: [] }] });
    expect(res.status).toBe(201);
    expect(res.body.warnings).toEqual(expect.arrayContaining([expect.stringContaining('/c'), expect.stringContaining('hello there')]));
  });

  test('with tuneProbabilityWeight the response says how probabilityWeight was tuned, and the model has it', async () => {
    const { app } = await setup();
    const res = await request(app).put('/v1/models/tuned').send({ ...pizzaSource, settings: LEXICAL_ACCURATE });
    expect(res.status).toBe(201);
    const { tuning } = PutModelResponse.parse(res.body);
    expect(tuning).toMatchObject({ folds: 5, configured: 0.2 });
    expect(tuning!.correct).toHaveLength(9);
    const detail = await request(app).get('/v1/models/tuned');
    expect(detail.body.settings).toMatchObject({ probabilityWeight: tuning!.chosen, tuneProbabilityWeight: false });
    const plain = await request(app).put('/v1/models/plain').send({ ...pizzaSource, settings: { preset: 'jaicp' } });
    expect(plain.body).not.toHaveProperty('tuning');
  });

  test('a Caila project export is accepted (built by modelToCailaProject)', async () => {
    const { app, dir } = await setup();
    const project = modelToCailaProject(modelOf(pizzaSource), 'pizza-export');
    const res = await request(app).put('/v1/models/from-caila').send(project);
    expect(res.status).toBe(201);
    expect(res.body.model).toMatchObject({ name: 'from-caila', intents: 2, phrases: 5 });
    expect(existsSync(fileOf(dir, 'from-caila'))).toBe(true);
    const a = await request(app).post('/v1/classify').send({ text: 'where is my pizza', model: 'from-caila' });
    const b = await request(app).post('/v1/classify').send({ text: 'where is my pizza', model: 'pizza' });
    expect({ ...a.body, elapsedMs: 0, modelId: '' }).toEqual({ ...b.body, elapsedMs: 0, modelId: '' });
  });

  test('a hand-written Caila export: settings are read, patterns kept; a disabled intent, a record without a type and the entity it leaves undefined are warnings', async () => {
    const { app } = await setup();
    const project = {
      project: { id: 'p-1', name: 'shop', folder: '/x' },
      settings: {
        language: 'en',
        classificationAlgorithm: 'sts',
        extendedSettings: { stsSettings: { lemmaMatch: 0.9, intermediateAlternativesLimit: 5 } },
      },
      intents: [
        { id: 1, path: '/Buy', enabled: true, phrases: [{ text: 'i want to buy shoes' }, { text: 'buy @product' }], patterns: ['* buy *'], answer: 'What size?' },
        { id: 2, path: '/Return', phrases: [{ text: 'return my order', entities: null }], answer: null, customData: '{"a":1}' },
        { id: 3, path: '/Off', enabled: false, phrases: [{ text: 'never' }] },
      ],
      entities: [{ entity: { name: 'product' }, records: [{ value: 'shoes' }] }],
    };
    const res = await request(app).put('/v1/models/shop').send(project);
    expect(res.status).toBe(201);
    expect(res.body.model).toMatchObject({ intents: 2, phrases: 3 });
    expect(res.body.warnings).toEqual([
      'settings.extendedSettings.stsSettings.intermediateAlternativesLimit is not supported; ignored',
      '/Off: disabled in the Caila project; skipped',
      // Its only record has no type, so the entity is left without records and dropped ...
      'entity product: a record of type (none) is not supported; dropped',
      // ... and compile reports the phrase that refers to it.
      'unsupported entity @product (used by /Buy): it is not defined and not built in, so it never matches',
    ]);
    const detail = await request(app).get('/v1/models/shop');
    expect(detail.body.settings.lemmaMatch).toBe(0.9);
    const e = await request(app).post('/v1/classify').send({ text: 'buy some shoes', model: 'shop' });
    expect(e.body).toMatchObject({ event: 'match', intent: '/Buy', answer: 'What size?', rule: 'pattern', pattern: '* buy *', score: 1 });
  });

  describe('a source that does not compile → 422, and the old model keeps serving unchanged', () => {
    const cases: { name: string; source: unknown; detail?: string }[] = [
      { name: 'no intents', source: { intents: [] } },
      { name: 'no phrases at all', source: { intents: [{ path: '/a', phrases: [] }] } },
      { name: 'a bad intent path', source: { intents: [{ path: 'no-slash', phrases: ['hi'] }] }, detail: 'intents.0.path' },
      { name: 'an unknown setting', source: { settings: { bogus: 1 }, intents: [{ path: '/a', phrases: ['hi'] }] }, detail: 'settings' },
      { name: 'a setting out of range', source: { settings: { threshold: -1 }, intents: [{ path: '/a', phrases: ['hi'] }] }, detail: 'settings.threshold' },
      { name: 'an unknown top-level key', source: { intentz: [], intents: [{ path: '/a', phrases: ['hi'] }] }, detail: '(root)' },
      { name: 'a phrase that is a number', source: { intents: [{ path: '/a', phrases: [42] }] }, detail: 'intents.0.phrases.0' },
      {
        // 20,000 intents of one 11-word phrase: 220,000 phrase stems × 20,000 intents, over the 4 × 10⁹ multiply-adds a training pass may cost.
        name: 'probabilityWeight on a model too big for its regression',
        source: {
          settings: { probabilityWeight: 0.2 },
          intents: Array.from({ length: 20_000 }, (_, i) => ({ path: `/i${i}`, phrases: [Array.from({ length: 11 }, (_, k) => `w${i}x${k}`).join(' ')] })),
        },
        detail: 'settings.probabilityWeight',
      },
      {
        name: 'a broken Caila export',
        source: { project: { id: 1, name: 'x' }, intents: [{ id: 1, path: 'bad', phrases: [{ text: 'hi' }] }] },
        detail: 'intents.0.path',
      },
    ];
    let env: Awaited<ReturnType<typeof setup>>;
    let before: { text: string; mtime: number; event: unknown };
    const probe = async () => {
      const res = await request(env.app).post('/v1/classify').send({ text: 'reserve a table', model: 'bot', explain: true });
      return { ...res.body, elapsedMs: 0 };
    };
    beforeAll(async () => {
      env = await setup({ bodyLimit: '8mb' }); // the too-big model is a 2.5 MB source
      const file = fileOf(env.dir, 'bot');
      before = { text: readFileSync(file, 'utf8'), mtime: statSync(file).mtimeMs, event: await probe() };
    });

    test.each(cases)('$name', async ({ source, detail }) => {
      const res = await request(env.app).put('/v1/models/bot').send(source as object);
      const error = expectNativeError(res, 422, 'invalid_source');
      expect(error.message.length).toBeGreaterThan(0);
      if (detail) expect(error.details?.map((d) => d.path)).toContain(detail);
      expect(await probe()).toEqual(before.event);
      const file = fileOf(env.dir, 'bot');
      expect(readFileSync(file, 'utf8')).toBe(before.text);
      expect(statSync(file).mtimeMs).toBe(before.mtime);
      expect(readdirSync(env.dir).sort()).toEqual(['bot.model.json', 'pizza.model.json']);
    });

    test('a failed create leaves no model and no file behind', async () => {
      const res = await request(env.app).put('/v1/models/newbie').send({ intents: [] });
      expect(res.status).toBe(422);
      expect((await request(env.app).get('/v1/models/newbie')).status).toBe(404);
      expect(existsSync(fileOf(env.dir, 'newbie'))).toBe(false);
    });
  });

  test('a JSON string body → 400 invalid_request', async () => {
    const { app } = await setup();
    const res = await request(app).put('/v1/models/x').set('content-type', 'application/json').send(JSON.stringify('intents'));
    expectNativeError(res, 400, 'invalid_request');
  });

  test('a JSON array body is read as a JAICP intents export', async () => {
    const { app } = await setup();
    const ok = await request(app).put('/v1/models/x').send([{ path: '/a', phrases: [{ text: 'hi there' }] }]);
    expect(ok.status).toBe(201);
    const bad = await request(app).put('/v1/models/y').send([{ path: '/a', phrases: ['hi'] }]);
    expect(expectNativeError(bad, 422, 'invalid_source').message).toContain('0.phrases.0');
    const unknown = await request(app).put('/v1/models/z').send([1, 2]);
    expectNativeError(unknown, 415, 'unsupported_format');
  });

  test.each([
    ['..%2Fx', 'a path traversal'],
    ['..%2F..%2Fetc%2Fpasswd', 'a deeper traversal'],
    ['.hidden', 'a leading dot'],
    ['a%20b', 'a space'],
    ['x'.repeat(65), '65 characters'],
    ['caf%C3%A9', 'a non-ASCII letter'],
  ])('bad model name %s (%s) → 400 at path.name, no file written', async (name) => {
    const { app, dir } = await setup();
    const res = await request(app).put(`/v1/models/${name}`).send(pizzaSource);
    const error = expectNativeError(res, 400, 'invalid_request');
    expect(error.details?.map((d) => d.path)).toEqual(['path.name']);
    expect(readdirSync(dir).sort()).toEqual(['bot.model.json', 'pizza.model.json']);
    expect(readdirSync(path.dirname(dir))).toEqual(['models']);
  });

  test('a 64-character name and dots, dashes and underscores inside are fine', async () => {
    const { app, dir } = await setup();
    for (const name of ['x'.repeat(64), 'a.b-c_d', '0start']) {
      const res = await request(app).put(`/v1/models/${name}`).send(pizzaSource);
      expect([name, res.status]).toEqual([name, 201]);
      expect(existsSync(fileOf(dir, name))).toBe(true);
    }
  });

  test('a folder that cannot be written: the upload fails and the model is not swapped in', async () => {
    const registry = new ModelRegistry(path.join(tempDir(), 'missing', 'dir'), undefined);
    registry.add('bot', modelOf(botSource));
    const app = appOf(registry);
    const res = await request(app).put('/v1/models/bot').send(pizzaSource);
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('io_error');
    expect(registry.get('bot')!.head.id).toBe(modelOf(botSource).id);
    expect((await request(app).put('/v1/models/other').send(pizzaSource)).status).toBe(500);
    expect(registry.get('other')).toBeUndefined();
  });

  test('memory-only registry (no folder): uploads work without files', async () => {
    const registry = new ModelRegistry(undefined, undefined);
    const app = appOf(registry);
    const res = await request(app).put('/v1/models/mem').send(botSource);
    expect(res.status).toBe(201);
    expect(res.body.model.default).toBe(true); // the first model of an empty registry becomes the default
    expect((await request(app).post('/v1/classify').send({ text: 'hello' })).body.intent).toBe('/hello');
  });
});

describe('DELETE /v1/models/:name', () => {
  test('204, then the model and its file are gone (404 on GET, classify and a second DELETE)', async () => {
    const { app, dir } = await setup();
    const res = await request(app).delete('/v1/models/pizza');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(existsSync(fileOf(dir, 'pizza'))).toBe(false);
    expectNativeError(await request(app).get('/v1/models/pizza'), 404, 'not_found');
    expectNativeError(await request(app).post('/v1/classify').send({ text: 'hi', model: 'pizza' }), 404, 'not_found');
    expectNativeError(await request(app).delete('/v1/models/pizza'), 404, 'not_found');
    expect((await request(app).get('/v1/models')).body.models.map((m: { name: string }) => m.name)).toEqual(['bot']);
  });

  test('deleting the default model → 409 conflict; it keeps serving and its file stays', async () => {
    const { app, dir } = await setup();
    const res = await request(app).delete('/v1/models/bot');
    const error = expectNativeError(res, 409, 'conflict');
    expect(error.message).toContain('bot');
    expect(existsSync(fileOf(dir, 'bot'))).toBe(true);
    expect((await request(app).post('/v1/classify').send({ text: 'hello' })).body.intent).toBe('/hello');
  });

  test('a traversal name is a 404, and deletes nothing outside the folder', async () => {
    const { app, dir } = await setup();
    const res = await request(app).delete('/v1/models/..%2Fbot');
    expect([400, 404]).toContain(res.status);
    expect(readdirSync(dir).sort()).toEqual(['bot.model.json', 'pizza.model.json']);
  });
});

describe('admin token', () => {
  const token = 'secret';

  test.each([
    ['PUT', undefined, 401, 'unauthorized'],
    ['PUT', 'Bearer wrong', 403, 'forbidden'],
    ['PUT', 'Bearer secretx', 403, 'forbidden'],
    ['PUT', 'Basic c2VjcmV0', 401, 'unauthorized'],
    ['PUT', 'secret', 401, 'unauthorized'],
    ['DELETE', undefined, 401, 'unauthorized'],
    ['DELETE', 'Bearer wrong', 403, 'forbidden'],
  ])('%s with Authorization %s → %d %s, nothing changes', async (method, header, status, code) => {
    const { app, dir } = await setup({ adminToken: token });
    const files = readdirSync(dir).sort();
    const req = method === 'PUT' ? request(app).put('/v1/models/pizza').send(botSource) : request(app).delete('/v1/models/pizza');
    if (header) req.set('authorization', header);
    expectNativeError(await req, status, code);
    expect(readdirSync(dir).sort()).toEqual(files);
    expect(readFileSync(fileOf(dir, 'pizza'), 'utf8')).toContain('/pizza/order');
    expect((await request(app).get('/v1/models/pizza').set('authorization', `Bearer ${token}`)).body.id).toBe(modelOf(pizzaSource).id);
  });

  test('the right token: PUT and DELETE work (scheme case-insensitive)', async () => {
    const { app } = await setup({ adminToken: token });
    expect((await request(app).put('/v1/models/pizza').set('authorization', 'Bearer secret').send(botSource)).status).toBe(200);
    expect((await request(app).delete('/v1/models/pizza').set('authorization', 'bearer secret')).status).toBe(204);
  });

  test('classification needs no token (reads of model data do: access.test.ts)', async () => {
    const { app } = await setup({ adminToken: token });
    expect((await request(app).post('/v1/classify').send({ text: 'hello' })).status).toBe(200);
    expect((await request(app).post('/v1/classify/batch').send({ texts: ['hello'] })).status).toBe(200);
    expect((await request(app).post('/cailapub/api/caila/p/bot/nlu/inference').send({ phrase: { text: 'hello' } })).status).toBe(200);
  });

  // RFC 9110 §15.5.2: "A server generating a 401 response MUST send a WWW-Authenticate header field".
  test('a 401 carries WWW-Authenticate: Bearer', async () => {
    const { app } = await setup({ adminToken: token });
    const res = await request(app).delete('/v1/models/pizza');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });
});

describe('hot swap under concurrency', () => {
  test('~200 concurrent classifications while the model is replaced 3 times: all 200, each on one of the versions', async () => {
    const dir = tempDir('sts-swap-');
    const registry = new ModelRegistry(dir, undefined);
    const version = (k: number): IntentsFileInput => ({
      ...botSource,
      intents: [...botSource.intents!, { path: `/version${k}`, answer: `v${k}`, phrases: [`release number ${k}`] }],
    });
    const versions = [0, 1, 2, 3].map(version);
    const ids = versions.map((v) => modelOf(v).id);
    expect(new Set(ids).size).toBe(4);
    registry.add('bot', modelOf(versions[0]!));
    const running = await listen(appOf(registry));
    try {
      const texts = ['reserve a table', 'hello', 'order a taxi', 'will it rain tomorrow'];
      const fire = (n: number) =>
        Array.from({ length: n }, (_, i) => request(running.server).post('/v1/classify').send({ text: texts[i % texts.length]!, model: 'bot' }));
      const classifications: ReturnType<typeof fire> = [];
      const puts: Promise<request.Response>[] = [];
      for (const k of [1, 2, 3]) {
        const wave = fire(50);
        classifications.push(...wave);
        // Once the wave is being answered, swap in the next version while the rest of it is in flight.
        await Promise.race(wave);
        puts.push(request(running.server).put('/v1/models/bot').send(versions[k]!).then((r) => r));
      }
      classifications.push(...fire(50));
      const [results, putResults] = await Promise.all([Promise.all(classifications), Promise.all(puts)]);

      expect(putResults.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(putResults.map((r) => r.body.model.id)).toEqual(ids.slice(1));
      expect(results).toHaveLength(200);
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      // The first wave was answered before any PUT was sent: at least one response is on version 0.
      expect(results.some((r) => r.body.modelId === ids[0])).toBe(true);
      for (const r of results) {
        const e = StsEventSchema.parse(r.body);
        expect(ids).toContain(e.modelId);
        expect(e.event).toBe('match');
      }
      // The last version serves from now on, and is the one on disk.
      const after = await request(running.server).post('/v1/classify').send({ text: 'release number 3' });
      expect(after.body).toMatchObject({ intent: '/version3', modelId: ids[3] });
      expect((await loadModel(fileOf(dir, 'bot'))).id).toBe(ids[3]);
    } finally {
      await running.close();
    }
  });

  test('concurrent PUTs of one name are serialized: all succeed, and the file on disk is the model in memory', async () => {
    const dir = tempDir('sts-swap2-');
    const registry = new ModelRegistry(dir, undefined);
    registry.add('bot', modelOf(botSource));
    const app = appOf(registry);
    const running = await listen(app);
    try {
      const sources = [pizzaSource, botSource, pizzaSource, botSource, pizzaSource];
      const responses = await Promise.all(sources.map((s) => request(running.server).put('/v1/models/bot').send(s)));
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      const served = registry.get('bot')!.head.id;
      expect((await loadModel(fileOf(dir, 'bot'))).id).toBe(served);
      expect([modelOf(pizzaSource).id, modelOf(botSource).id]).toContain(served);
      expect(readdirSync(dir)).toEqual(['bot.model.json']);
    } finally {
      await running.close();
    }
  });
});
