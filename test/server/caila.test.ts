import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { SETTING_KEYS } from '../../src/config.js';
import { modelToCailaProject } from '../../src/model/caila-export.js';
import { ModelRegistry } from '../../src/server/registry.js';
import { CailaInferenceResponse, CailaSimpleInferenceResponse } from '../../src/server/caila-schemas.js';
import { cleanupTempDirs, tempDir } from '../helpers.js';
import { appOf, botSource, demoModel, expectCailaError, modelOf, pizzaSource } from './server-helpers.js';

/** The Caila-compatible API (reference §3): inference POST/GET, export, import, error shape, tokens. */

afterAll(cleanupTempDirs);

const BASE = '/cailapub/api/caila/p';
const STS_KEYS = [
  'exactMatch', 'lemmaMatch', 'jaccardMatch', 'jaccardMatchThreshold', 'acronymMatch', 'synonymMatch',
  'synonymContextWeight', 'patternMatch', 'throughPatternMatch', 'wordSequence1', 'wordSequence2',
  'wordSequence3', 'idfShift', 'idfMultiplier', 'namedEntitiesRequired',
];

/** A registry in a nested temp folder (so a write outside it is visible) with `bot` (default) and `demo`. */
async function setup(config: Parameters<typeof appOf>[1] = {}) {
  const parent = tempDir('sts-caila-');
  const dir = path.join(parent, 'models');
  mkdirSync(dir);
  const registry = new ModelRegistry(dir, undefined);
  registry.add('bot', modelOf(botSource));
  registry.add('demo', await demoModel());
  registry.add('pizza', modelOf(pizzaSource));
  return { parent, dir, registry, app: appOf(registry, config) };
}

describe('POST /nlu/inference', () => {
  let env: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    env = await setup();
  });
  const infer = (token: string, body: unknown) => request(env.app).post(`${BASE}/${token}/nlu/inference`).send(body as object);

  test('{phrase:{text}, nBest} → phrase with entities and variants, best first, at most nBest, above the threshold', async () => {
    const threshold = env.registry.get('demo')!.head.settings.threshold;
    for (const [text, nBest] of [['I want to book a table for two', 5], ['hello, what is the weather', 3], ['order a taxi please', 1]] as const) {
      const res = await infer('demo', { phrase: { text }, nBest });
      expect(res.status).toBe(200);
      const body = CailaInferenceResponse.parse(res.body);
      // "two" is a number: Caila's phrase.entities lists it under Caila's name for the built-in,
      // with slot and entityId null as Caila's recorded answers have them for a system entity.
      const entities = text.includes(' two') ? [{ entity: 'duckling.number', slot: null, startPos: text.indexOf('two'), endPos: text.indexOf('two') + 3, text: 'two', value: '2', default: false, system: true, entityId: null }] : [];
      expect(body.phrase).toEqual({ text, entities });
      expect(body.variants.length).toBeGreaterThan(0);
      expect(body.variants.length).toBeLessThanOrEqual(nBest);
      const confidences = body.variants.map((v) => v.confidence);
      expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
      for (const v of body.variants) {
        expect(v.confidence).toBeGreaterThan(threshold);
        expect(v.slots).toEqual([]);
        expect(v.intent).toEqual({ id: expect.any(Number), path: expect.any(String), answer: expect.anything(), customData: null, slots: [] });
        expect(v.debug).toBeNull(); // present, as JAICF's decoder requires, and null unless asked for
      }
      expect(new Set(body.variants.map((v) => v.intent.path)).size).toBe(body.variants.length);
    }
  });

  test('the variants are the native alternatives above the threshold, with ids and answers of the model', async () => {
    const text = 'book a table or order a taxi';
    const native = await request(env.app).post('/v1/classify').send({ text, model: 'bot', nBest: 4 });
    const res = await infer('bot', { phrase: { text }, nBest: 4 });
    const model = env.registry.get('bot')!.head;
    const expected = (native.body.alternatives as { intent: string; score: number }[])
      .filter((a) => a.score > model.settings.threshold)
      .map((a) => {
        const k = model.intents.findIndex((i) => i.path === a.intent);
        return { intent: { id: k + 1, path: a.intent, answer: model.intents[k]!.answer ?? null, customData: null, slots: [] }, confidence: a.score, slots: [], debug: null };
      });
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(res.body.variants).toEqual(expected);
    const byPath = Object.fromEntries((res.body.variants as { intent: { path: string; answer: string | null } }[]).map((v) => [v.intent.path, v.intent.answer]));
    expect(byPath).toMatchObject({ '/table': 'For how many?', '/taxi': null });
  });

  test('nBest defaults to 1', async () => {
    const res = await infer('bot', { phrase: { text: 'book a table or order a taxi' } });
    expect(res.body.variants).toHaveLength(1);
  });

  test('gibberish → variants: []', async () => {
    const res = await infer('demo', { phrase: { text: 'qwxz vbnm zzkq' }, nBest: 5 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ phrase: { text: 'qwxz vbnm zzkq', entities: [] }, variants: [] });
  });

  test('a match below the threshold is not a variant (Caila lists only variants above it)', async () => {
    const res = await infer('bot', { phrase: { text: 'a table' }, nBest: 5 });
    const native = await request(env.app).post('/v1/classify').send({ text: 'a table', model: 'bot', nBest: 5 });
    const above = (native.body.alternatives as { score: number }[]).filter((a) => a.score > 0.3).length;
    expect(res.body.variants).toHaveLength(above);
  });

  test('showDebugInfo: true adds debug to each variant', async () => {
    const res = await infer('bot', { phrase: { text: 'reserve a table' }, nBest: 2, showDebugInfo: true });
    const body = CailaInferenceResponse.parse(res.body);
    expect(body.variants.length).toBeGreaterThan(0);
    for (const v of body.variants) expect(v.debug).toEqual({ phrase: expect.any(String), event: 'match' });
  });

  test('the extra fields Caila clients send are accepted (knownSlots, clientId, phrase.entities, stagedPhraseIdx)', async () => {
    const res = await infer('bot', {
      phrase: { text: 'hello', entities: [], stagedPhraseIdx: null },
      knownSlots: [{ name: 'x', value: '1', array: false }],
      nBest: 5,
      clientId: 'c-1',
      showDebugInfo: false,
    });
    expect(res.status).toBe(200);
    expect(res.body.variants[0].intent.path).toBe('/hello');
  });

  test('a lengthLimit text → variants: []', async () => {
    const res = await infer('bot', { phrase: { text: 'hello '.repeat(80) }, nBest: 5 });
    expect(res.status).toBe(200);
    expect(res.body.variants).toEqual([]);
  });

  test.each([
    ['phrase missing', { nBest: 1 }],
    ['phrase.text missing', { phrase: {} }],
    ['phrase.text a number', { phrase: { text: 1 } }],
    ['phrase a string', { phrase: 'hello' }],
    ['nBest 0', { phrase: { text: 'hi' }, nBest: 0 }],
    ['nBest a string', { phrase: { text: 'hi' }, nBest: '5' }],
  ])('%s → 400 in Caila\'s error shape', async (_name, body) => {
    const res = await infer('bot', body);
    const error = expectCailaError(res, 400);
    expect(error.errors[0]!.code).toBe('caila.invalid_request');
    expect(error.error).toBe(error.errors[0]!.message);
  });

  test('malformed JSON and a non-JSON body answer in Caila\'s shape too', async () => {
    const bad = await request(env.app).post(`${BASE}/bot/nlu/inference`).set('content-type', 'application/json').send('{"phrase":');
    expect(expectCailaError(bad, 400).errors[0]!.code).toBe('caila.invalid_request');
    const text = await request(env.app).post(`${BASE}/bot/nlu/inference`).set('content-type', 'text/plain').send('hello');
    expect(expectCailaError(text, 415).errors[0]!.code).toBe('caila.unsupported_media_type');
    // Routing ignores case, and so does the choice of the error's shape.
    const upper = await request(env.app).post(`${BASE.toUpperCase()}/bot/NLU/INFERENCE`).set('content-type', 'application/json').send('{"phrase":');
    expect(expectCailaError(upper, 400).errors[0]!.code).toBe('caila.invalid_request');
  });

  test('an unknown token → 404 {error: string, errors: [{code, message}]}', async () => {
    const res = await infer('no-such-token', { phrase: { text: 'hello' } });
    const error = expectCailaError(res, 404);
    expect(error).toEqual({ error: expect.stringContaining('no-such-token'), errors: [{ code: 'caila.not_found', message: error.error }] });
  });
});

describe('GET /nlu/inference?query=', () => {
  let env: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    env = await setup();
  });

  test('→ {intent, confidence, slots} of the best variant', async () => {
    const res = await request(env.app).get(`${BASE}/bot/nlu/inference`).query({ query: 'reserve a table' });
    expect(res.status).toBe(200);
    const body = CailaSimpleInferenceResponse.parse(res.body);
    expect(body.intent).toEqual({ id: 2, path: '/table', answer: 'For how many?', customData: null, slots: [] });
    expect(body.confidence).toBeGreaterThan(0.3);
    expect(body.slots).toEqual([]);
    const post = await request(env.app).post(`${BASE}/bot/nlu/inference`).send({ phrase: { text: 'reserve a table' } });
    expect(res.body).toEqual(post.body.variants[0]);
  });

  test('an intent without an answer has answer: null', async () => {
    const res = await request(env.app).get(`${BASE}/bot/nlu/inference?query=order%20a%20taxi`);
    expect(res.body.intent).toMatchObject({ path: '/taxi', answer: null });
  });

  test.each([['gibberish', 'qwxz vbnm'], ['an empty query', '']])('%s → intent: null', async (_name, query) => {
    const res = await request(env.app).get(`${BASE}/bot/nlu/inference`).query({ query });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ intent: null, confidence: 0, slots: [] });
  });

  test('missing query → 400 in Caila\'s error shape', async () => {
    const res = await request(env.app).get(`${BASE}/bot/nlu/inference`);
    const error = expectCailaError(res, 400);
    expect(error.errors[0]).toEqual({ code: 'caila.invalid_request', message: expect.stringContaining('query') });
  });

  test('a repeated query parameter → 400, not a crash', async () => {
    const res = await request(env.app).get(`${BASE}/bot/nlu/inference?query=a&query=b`);
    expectCailaError(res, 400);
  });

  test('an unknown token → 404 in Caila\'s shape', async () => {
    const res = await request(env.app).get(`${BASE}/nope/nlu/inference?query=hi`);
    expect(expectCailaError(res, 404).errors[0]!.code).toBe('caila.not_found');
  });
});

describe('tokens', () => {
  test('config.cailaTokens maps a token to a model; without a mapping, a model\'s name is its token', async () => {
    const { app, registry } = await setup({ cailaTokens: { abc: 'demo', xyz: 'pizza' } });
    const viaAbc = await request(app).post(`${BASE}/abc/nlu/inference`).send({ phrase: { text: 'what is the weather tomorrow' }, nBest: 3 });
    const viaName = await request((await setup()).app).post(`${BASE}/demo/nlu/inference`).send({ phrase: { text: 'what is the weather tomorrow' }, nBest: 3 });
    expect(viaAbc.status).toBe(200);
    expect(viaAbc.body).toEqual(viaName.body);
    expect(viaAbc.body.variants[0].intent.path).toBe('/Weather/Forecast');
    const pizza = await request(app).get(`${BASE}/xyz/nlu/inference?query=where%20is%20my%20pizza`);
    expect(pizza.body.intent.path).toBe('/pizza/status');
    expect(registry.get('abc')).toBeUndefined();
  });

  test('a token mapped to a model that is not loaded → 404', async () => {
    const { app } = await setup({ cailaTokens: { abc: 'gone' } });
    expectCailaError(await request(app).post(`${BASE}/abc/nlu/inference`).send({ phrase: { text: 'hi' } }), 404);
  });

  // caila.ts:22 and :77 look the token up with `config.cailaTokens[token]`: a plain object, so tokens
  // such as "constructor" or "toString" find Object.prototype's functions instead of falling back.
  test('a token that is an Object.prototype key still selects the model of that name', async () => {
    const { app } = await setup();
    expect((await request(app).put('/v1/models/constructor').send(botSource)).status).toBe(201);
    const res = await request(app).post(`${BASE}/constructor/nlu/inference`).send({ phrase: { text: 'hello' } });
    expect(res.status).toBe(200);
  });
});

describe('POST /export', () => {
  test('a Caila project: project, settings with the 15 stsSettings keys, intents with phrase objects, entities', async () => {
    const { app } = await setup({ cailaTokens: { abc: 'demo' } });
    const res = await request(app).post(`${BASE}/abc/export`);
    expect(res.status).toBe(200);
    const project = res.body;
    const model = await demoModel();
    expect(project).toEqual(modelToCailaProject(model, 'demo'));
    expect(project.project).toEqual({ id: 'demo', name: 'demo', folder: '/demo' });
    expect(project.settings).toMatchObject({ language: 'en', classificationAlgorithm: 'sts' });
    const sts = project.settings.extendedSettings.stsSettings as Record<string, unknown>;
    expect(Object.keys(sts).sort()).toEqual([...STS_KEYS].sort());
    expect(Object.keys(sts)).toHaveLength(15);
    for (const k of STS_KEYS) expect(sts[k]).toBe(model.settings[k as keyof typeof model.settings]);
    expect(STS_KEYS.every((k) => (SETTING_KEYS as string[]).includes(k))).toBe(true);
    expect(project.intents).toHaveLength(model.intents.length);
    const phrases = (project.intents as { phrases: { text: string }[] }[]).flatMap((i) => i.phrases);
    expect(phrases).toHaveLength(model.phrases.length);
    for (const p of phrases) expect(p).toEqual({ text: expect.any(String) });
    expect(project.intents[0]).toMatchObject({ id: 1, path: model.intents[0]!.path, enabled: true, customData: null, slots: [] });
    expect(project.entities).toEqual([]);
  });

  test('intent ids of the export are the ids inference answers with', async () => {
    const { app } = await setup();
    const project = (await request(app).post(`${BASE}/demo/export`)).body as { intents: { id: number; path: string }[] };
    const res = await request(app).post(`${BASE}/demo/nlu/inference`).send({ phrase: { text: 'call me a taxi to the airport' }, nBest: 5 });
    expect(res.body.variants.length).toBeGreaterThan(0);
    for (const v of res.body.variants as { intent: { id: number; path: string } }[]) {
      expect(project.intents.find((i) => i.id === v.intent.id)?.path).toBe(v.intent.path);
    }
  });

  test('an unknown token → 404 in Caila\'s shape', async () => {
    const { app } = await setup();
    expectCailaError(await request(app).post(`${BASE}/nope/export`), 404);
  });
});

describe('POST /import', () => {
  const TEXTS = [
    'hi there', 'hello bot', 'good evening', 'bye bye', 'thank you so much', 'what can you do', 'who are you',
    'will it rain tomorrow', 'what time is it', 'book a table for 4 people tonight', 'i want a large pepperoni pizza',
    'call me a cab to the station', 'cancel my order', 'where is my order', 'when are you open', 'let me talk to a human',
    'i want to complain', 'i forgot my password', 'pay my bill', 'track my parcel', 'wake me up at 7', 'tell me a joke',
    'привет', 'пока', 'спасибо', 'какая погода завтра', 'вызови такси', 'забронируй столик', 'где мой заказ',
    'qwxz vbnm', 'table', 'pizza taxi weather', '', 'a'.repeat(401),
  ];

  test('export → import into a new token → the same intents and scores for every text', async () => {
    const { app, dir } = await setup({ cailaTokens: { abc: 'demo', fresh: 'demo-copy' } });
    const exported = await request(app).post(`${BASE}/abc/export`);
    const imported = await request(app).post(`${BASE}/fresh/import`).send(exported.body);
    expect(imported.status).toBe(200);
    expect(imported.body.model).toMatchObject({ name: 'demo-copy', intents: 30, phrases: 245, default: false });
    expect(imported.body.warnings).toEqual([]);
    expect(existsSync(path.join(dir, 'demo-copy.model.json'))).toBe(true);

    const decide = async (token: string, text: string) => {
      const res = await request(app).post(`${BASE}/${token}/nlu/inference`).send({ phrase: { text }, nBest: 5 });
      expect(res.status).toBe(200);
      return res.body;
    };
    for (const text of TEXTS) {
      expect([text, await decide('fresh', text)]).toEqual([text, await decide('abc', text)]);
      const a = await request(app).post('/v1/classify').send({ text, model: 'demo', nBest: 5 });
      const b = await request(app).post('/v1/classify').send({ text, model: 'demo-copy', nBest: 5 });
      const strip = (e: Record<string, unknown>) => ({ ...e, elapsedMs: 0, modelId: '' });
      expect([text, strip(b.body)]).toEqual([text, strip(a.body)]);
    }
  });

  test('importing into an existing token replaces its model (200)', async () => {
    const { app } = await setup();
    const project = modelToCailaProject(modelOf(pizzaSource), 'p');
    const res = await request(app).post(`${BASE}/bot/import`).send(project);
    expect(res.status).toBe(200);
    expect(res.body.model).toMatchObject({ name: 'bot', id: modelOf(pizzaSource).id, default: true });
    const after = await request(app).get(`${BASE}/bot/nlu/inference?query=where%20is%20my%20pizza`);
    expect(after.body.intent.path).toBe('/pizza/status');
  });

  test('a project that does not compile → 422 in Caila\'s shape; the old model keeps serving', async () => {
    const { app } = await setup();
    const before = await request(app).get(`${BASE}/bot/nlu/inference?query=hello`);
    const res = await request(app).post(`${BASE}/bot/import`).send({ project: { id: 'x' }, intents: [] });
    expect(expectCailaError(res, 422).errors[0]!.code).toBe('caila.invalid_source');
    expect((await request(app).get(`${BASE}/bot/nlu/inference?query=hello`)).body).toEqual(before.body);
  });

  test('needs the admin token when one is configured (Caila-shaped 401/403)', async () => {
    const { app } = await setup({ adminToken: 'secret' });
    const project = modelToCailaProject(modelOf(pizzaSource), 'p');
    const none = await request(app).post(`${BASE}/newone/import`).send(project);
    expect(expectCailaError(none, 401).errors[0]!.code).toBe('caila.unauthorized');
    const wrong = await request(app).post(`${BASE}/newone/import`).set('authorization', 'Bearer nope').send(project);
    expect(expectCailaError(wrong, 403).errors[0]!.code).toBe('caila.forbidden');
    expect((await request(app).get(`${BASE}/newone/nlu/inference?query=hi`)).status).toBe(404);
    const ok = await request(app).post(`${BASE}/newone/import`).set('authorization', 'Bearer secret').send(project);
    expect(ok.status).toBe(200);
    // Inference stays open; the export reads the training data: it needs a token too (access.test.ts).
    expect((await request(app).get(`${BASE}/newone/nlu/inference?query=order%20a%20pizza`)).body.intent.path).toBe('/pizza/order');
    expect((await request(app).post(`${BASE}/newone/export`)).status).toBe(401);
    expect((await request(app).post(`${BASE}/newone/export`).set('authorization', 'Bearer secret')).status).toBe(200);
  });

  // caila.ts:76-80: the token becomes the model name without the ModelName check PUT applies
  // (native.ts:81), and registry.put joins it into a file path: "..%2Fescaped" writes <dir>/../escaped.model.json.
  test('a token that is not a valid model name is rejected, and nothing is written outside the folder', async () => {
    const { app, parent, dir } = await setup();
    const project = modelToCailaProject(modelOf(pizzaSource), 'p');
    const res = await request(app).post(`${BASE}/..%2Fescaped/import`).send(project);
    expect(readdirSync(parent)).toEqual(['models']);
    expect(readdirSync(dir)).toEqual([]);
    expect(res.status).toBe(400);
  });

  // Same lookup as above (caila.ts:77): token "toString" imports a model whose name is a function,
  // written to "function toString() { [native code] }.model.json"; GET /v1/models then fails with 500.
  test('importing into token "toString" creates the model "toString" and the listing keeps working', async () => {
    const { app, dir } = await setup();
    const project = modelToCailaProject(modelOf(pizzaSource), 'p');
    const res = await request(app).post(`${BASE}/toString/import`).send(project);
    const list = await request(app).get('/v1/models');
    expect(list.status).toBe(200);
    expect(res.status).toBe(200);
    expect(readdirSync(dir)).toEqual(['toString.model.json']);
  });
});
