import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { modelToCailaProject } from '../../src/model/caila-export.js';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import { ModelRegistry } from '../../src/server/registry.js';
import { CailaInferenceResponse, CailaSimpleInferenceResponse } from '../../src/server/caila-schemas.js';
import { StsEventSchema } from '../../src/server/schemas.js';
import { cleanupTempDirs, tempDir } from '../helpers.js';
import { appOf, modelOf } from './server-helpers.js';

/**
 * Slots through the Caila API (reference §3): `intent.slots` are the slot definitions of the
 * intent, `slots` of the matched variant the values found, `[{name, value, array}]` with string
 * values and one entry per value of an array slot (as JAICF reads them); and a model
 * with entities, patterns and slots survives POST /export → POST /import.
 */

afterAll(cleanupTempDirs);

const BASE = '/cailapub/api/caila/p';

// JAICP's scoring (the jaicp preset): the tests turn on which variant matches.
const TRIP: IntentsFileInput = {
  language: 'en',
  settings: { preset: 'jaicp', threshold: 0.3 },
  allowedPatterns: ['City'],
  entities: [
    {
      name: 'City',
      records: [
        { type: 'synonyms', value: 'Moscow', words: ['Moscow', 'Moskva'] },
        { type: 'synonyms', value: 'Paris', words: ['Paris'] },
        { type: 'synonyms', value: 'New York', words: ['New York', 'NYC'] },
      ],
    },
    { name: 'Code', records: [{ type: 'pattern', pattern: '[A-Z]{2}\\d{3,4}', value: 'flight' }] },
  ],
  intents: [
    {
      path: '/trip',
      answer: 'Where to?',
      phrases: ['a trip from @City to @City', 'book a trip to Paris'],
      patterns: ['fly * to @City'],
      slots: [
        { name: 'cities', entity: 'City', array: true },
        { name: 'people', entity: 'duckling.number', required: true, prompts: ['How many of you are going?', 'For how many people?'] },
        { name: 'flight', entity: 'Code' },
      ],
    },
    { path: '/weather', phrases: ['weather in @City', 'will it rain in @City'], slots: [{ name: 'city', entity: '@City', required: true }] },
    { path: '/hello', answer: 'Hi!', phrases: ['hello there', 'good morning'] },
  ],
};

const TRIP_DEFS = [
  { name: 'cities', entity: 'City', required: false, prompts: [], array: true },
  { name: 'people', entity: 'duckling.number', required: true, prompts: ['How many of you are going?', 'For how many people?'], array: false },
  { name: 'flight', entity: 'Code', required: false, prompts: [], array: false },
];

function setup(config: Parameters<typeof appOf>[1] = {}) {
  const dir = path.join(tempDir('sts-caila-slots-'), 'models');
  mkdirSync(dir);
  const registry = new ModelRegistry(dir, undefined);
  registry.add('trip', modelOf(TRIP));
  return { dir, registry, app: appOf(registry, config) };
}

describe('Caila inference with slots', () => {
  const env = setup();
  const infer = (text: string, nBest = 5) => request(env.app).post(`${BASE}/trip/nlu/inference`).send({ phrase: { text }, nBest });

  test('variants[0].intent.slots are the slot definitions; variants[0].slots the values found, as {name, value, array}', async () => {
    const res = await infer('a trip from Moscow to New York for 2 people');
    expect(res.status).toBe(200);
    const body = CailaInferenceResponse.parse(res.body);
    expect(body.variants[0]).toEqual({
      intent: { id: 1, path: '/trip', answer: 'Where to?', customData: null, slots: TRIP_DEFS },
      confidence: expect.any(Number),
      slots: [
        { name: 'cities', value: 'Moscow', array: true },
        { name: 'cities', value: 'New York', array: true },
        { name: 'people', value: '2', array: false },
      ],
      debug: null,
    });
  });

  test('only the matched variant has slot values; the others list their definitions and no values', async () => {
    const res = await infer('a trip to weather in Paris', 5);
    const body = CailaInferenceResponse.parse(res.body);
    expect(body.variants.length).toBeGreaterThanOrEqual(2);
    const [first, ...rest] = body.variants;
    expect(first!.intent.path).toBe('/weather');
    expect(first!.slots).toEqual([{ name: 'city', value: 'Paris', array: false }]);
    expect(rest.map((v) => v.intent.path)).toContain('/trip'); // Paris is a City for its slots too, but it did not match
    for (const v of rest) {
      expect(v.slots).toEqual([]);
      if (v.intent.path === '/weather') expect(v.intent.slots).toEqual([{ name: 'city', entity: 'City', required: true, prompts: [], array: false }]);
      if (v.intent.path === '/trip') expect(v.intent.slots).toEqual(TRIP_DEFS);
    }
  });

  test('a slot the request does not fill is left out (Caila has no missingSlots); an intent without slots has slots: []', async () => {
    const weather = CailaInferenceResponse.parse((await infer('weather in London', 1)).body);
    expect(weather.variants).toEqual([
      {
        intent: { id: 2, path: '/weather', answer: null, customData: null, slots: [{ name: 'city', entity: 'City', required: true, prompts: [], array: false }] },
        confidence: expect.any(Number),
        slots: [],
        debug: null,
      },
    ]);
    const hello = CailaInferenceResponse.parse((await infer('hello there', 1)).body);
    expect(hello.variants).toEqual([{ intent: { id: 3, path: '/hello', answer: 'Hi!', customData: null, slots: [] }, confidence: 1, slots: [], debug: null }]);
  });

  test('a pattern decides the variant and fills its slot from the capture and a pattern record', async () => {
    const res = await infer('fly AB1234 to NYC', 1);
    expect(res.body.variants).toEqual([
      {
        intent: { id: 1, path: '/trip', answer: 'Where to?', customData: null, slots: TRIP_DEFS },
        confidence: 1,
        slots: [
          { name: 'cities', value: 'New York', array: true },
          { name: 'flight', value: 'flight', array: false },
        ],
        debug: null,
      },
    ]);
  });

  test('GET ?query= answers with the first variant of the POST, slots included', async () => {
    const text = 'a trip from Paris to Moscow for three people';
    const get = await request(env.app).get(`${BASE}/trip/nlu/inference`).query({ query: text });
    expect(get.status).toBe(200);
    const body = CailaSimpleInferenceResponse.parse(get.body);
    expect(body.slots).toEqual([
      { name: 'cities', value: 'Paris', array: true },
      { name: 'cities', value: 'Moscow', array: true },
      { name: 'people', value: '3', array: false },
    ]);
    expect(get.body).toEqual((await infer(text, 1)).body.variants[0]);
  });

  test('the native event of the same text has the full slots (text, offsets) and missingSlots', async () => {
    const text = 'a trip from Paris to Moscow';
    const res = await request(env.app).post('/v1/classify').send({ text, model: 'trip' });
    expect(res.status).toBe(200);
    const event = StsEventSchema.parse(res.body);
    expect(event).toMatchObject({ intent: '/trip', rule: 'phrase', missingSlots: ['people'] });
    expect(event.slots).toEqual([
      { name: 'cities', entity: 'City', value: 'Paris', text: 'Paris', start: 12, end: 17 },
      { name: 'cities', entity: 'City', value: 'Moscow', text: 'Moscow', start: 21, end: 27 },
    ]);
    const caila = await infer(text, 1);
    expect(caila.body.variants[0].slots).toEqual([
      { name: 'cities', value: 'Paris', array: true },
      { name: 'cities', value: 'Moscow', array: true },
    ]);
  });

  // Caila sends every slot value as a string, one entry per value of an array slot (its responses:
  // {"name": "time", "value": "10 am", "array": null}), and JAICF reads them as
  // CailaKnownSlotData(name: String, value: String, array: Boolean): a JSON number or a list would
  // fail that client's decoding of the whole variant. The native API keeps the typed values.
  test('slot values are strings, one entry per value of an array slot, as Caila sends them', async () => {
    const res = await infer('a trip from Moscow to New York for 2 people', 1);
    expect(res.body.variants[0].slots).toEqual([
      { name: 'cities', value: 'Moscow', array: true },
      { name: 'cities', value: 'New York', array: true },
      { name: 'people', value: '2', array: false },
    ]);
  });
});

describe('POST /export → POST /import of a model with entities, patterns and slots', () => {
  const TEXTS = [
    'a trip from Moscow to New York for 2 people',
    'a trip from Moskva to NYC',
    'book a trip to New York', // allowedPatterns: "Paris" in the phrase stands for any City
    'fly AB1234 to Paris',
    'fly there to London',
    'weather in Paris',
    'will it rain in New York tomorrow',
    'weather in London',
    'hello there',
    'good morning bot',
    'qwxz vbnm',
    '',
  ];

  test('the export carries entities, allowedPatterns, patterns and slots', async () => {
    const { app } = setup();
    const res = await request(app).post(`${BASE}/trip/export`);
    expect(res.status).toBe(200);
    const project = res.body;
    expect(project).toEqual(JSON.parse(JSON.stringify(modelToCailaProject(modelOf(TRIP), 'trip'))));
    expect(project.settings.extendedSettings.allowedPatterns).toEqual(['City']);
    expect(project.entities.map((e: { entity: { name: string }; records: unknown[] }) => [e.entity.name, e.records.length])).toEqual([
      ['City', 3],
      ['Code', 1],
    ]);
    expect(project.intents[0].patterns).toEqual(['fly * to @City']);
    expect(project.intents[0].slots).toEqual(TRIP_DEFS); // prompts: [] for a slot without any, as Caila writes it
    expect(project.intents[1].slots).toEqual([{ name: 'city', entity: 'City', required: true, array: false, prompts: [] }]);
  });

  test('imported into another token: the same model id, the same Caila and native answers, slots included', async () => {
    const { app, dir } = setup({ cailaTokens: { src: 'trip', dst: 'trip-copy' } });
    const exported = await request(app).post(`${BASE}/src/export`);
    const imported = await request(app).post(`${BASE}/dst/import`).send(exported.body);
    expect(imported.status).toBe(200);
    expect(imported.body.warnings).toEqual([]);
    expect(imported.body.model).toMatchObject({ name: 'trip-copy', intents: 3, default: false });
    expect(existsSync(path.join(dir, 'trip-copy.model.json'))).toBe(true);

    const original = await request(app).get('/v1/models/trip');
    const copy = await request(app).get('/v1/models/trip-copy');
    expect(copy.status).toBe(200);
    expect(copy.body.id).toBe(original.body.id);
    expect(copy.body.intentList).toEqual(original.body.intentList);
    // The model keeps prompts only where there are some (the id of a model without any is as before).
    expect(copy.body.intentList[0].slots).toEqual(TRIP_DEFS.map(({ prompts, ...d }) => (prompts.length > 0 ? { ...d, prompts } : d)));

    let slotsSeen = 0;
    for (const text of TEXTS) {
      const a = await request(app).post(`${BASE}/src/nlu/inference`).send({ phrase: { text }, nBest: 5 });
      const b = await request(app).post(`${BASE}/dst/nlu/inference`).send({ phrase: { text }, nBest: 5 });
      expect([text, b.status, b.body]).toEqual([text, 200, a.body]);
      slotsSeen += (a.body.variants[0]?.slots.length ?? 0) as number;
      const na = await request(app).post('/v1/classify').send({ text, model: 'trip', nBest: 5 });
      const nb = await request(app).post('/v1/classify').send({ text, model: 'trip-copy', nBest: 5 });
      const strip = (e: Record<string, unknown>) => ({ ...e, elapsedMs: 0 });
      expect([text, strip(nb.body)]).toEqual([text, strip(na.body)]); // the same id, so modelId too
    }
    expect(slotsSeen).toBeGreaterThanOrEqual(8); // the comparison is not of empty slot lists
  });
});
