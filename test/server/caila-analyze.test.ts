import request from 'supertest';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import { CailaAnalyzeResponse, CailaEntitiesResponse, CailaInferenceResponse } from '../../src/server/caila-schemas.js';
import { StsEventSchema } from '../../src/server/schemas.js';
import { jaicfDecode } from './jaicf-decode.js';
import { appOf, expectCailaError, registryOf } from './server-helpers.js';

/**
 * What JAICF's Caila activator calls (jaicf-kotlin, activators/caila): POST /nlu/analyze to
 * recognise the intent, then, while a required slot is empty, GET /nlu/entities on each answer
 * and the slot's prompts from `intent.slots` to ask for it. Shapes as in Caila's recorded
 * answers that JAICF tests with (caila_responses/analyze/order_10_am.json and entities/…).
 */

const BASE = '/cailapub/api/caila/p';

// JAICF's own test bot, "Order pizza 10 am", with a count (written with our built-in's name) for
// JAICF's duckling.time, which we do not have; scored as JAICP scores it (the jaicp preset).
const ORDER: IntentsFileInput = {
  language: 'en',
  settings: { preset: 'jaicp' },
  entities: [{ name: 'Pizza', records: [{ type: 'synonyms', value: 'margherita', words: ['margherita', 'margarita'] }, { type: 'synonyms', value: 'pepperoni', words: ['pepperoni'] }] }],
  intents: [
    {
      path: '/Order',
      phrases: ['order', 'order a pizza', 'i want to order @Pizza', 'order @Pizza please'],
      slots: [
        { name: 'pizza', entity: 'Pizza', required: true, prompts: ['what do you want to order?'] },
        { name: 'count', entity: 'number', required: true, prompts: ['how many?', 'how many pizzas?'] },
      ],
    },
    { path: '/Hello', phrases: ['hello', 'hi there'] },
  ],
};

const env = { app: appOf(registryOf({ order: ORDER })) };
const analyze = (body: object, token = 'order') => request(env.app).post(`${BASE}/${token}/nlu/analyze`).send(body);
const entities = (query: string) => request(env.app).get(`${BASE}/order/nlu/entities`).query({ query, showAll: true });

describe('the answers decode as JAICF decodes them', () => {
  test.each([
    ['order 2 margaritas, please!'],
    ['order'],
    ['hello'],
    ['qwxz'],
    [''],
  ])('%j: analyze, entities and GET inference', async (text) => {
    jaicfDecode('CailaAnalyzeResponseData', (await analyze({ data: { phrase: { text, entities: [] }, knownSlots: [], nBest: 2, showDebugInfo: false }, showAll: true })).body);
    jaicfDecode('CailaEntitiesLookupResults', (await entities(text)).body);
    // JAICF's simpleInference returns null for intent: null before decoding the rest.
    const simple = (await request(env.app).get(`${BASE}/order/nlu/inference`).query({ query: text })).body;
    if (simple.intent !== null) jaicfDecode('CailaInferenceResultData', simple);
  });

  test('the decoder fails where JAICF fails: a missing nullable field, a null for a non-nullable one', () => {
    const variant = { intent: { id: 1, path: '/a', answer: null, customData: null, slots: [] }, confidence: 1, slots: [], debug: null };
    expect(() => jaicfDecode('CailaInferenceResultData', variant)).not.toThrow();
    const { debug: _d, ...noDebug } = variant;
    expect(() => jaicfDecode('CailaInferenceResultData', noDebug)).toThrow("$.debug: missing (Field 'debug' is required)");
    expect(() => jaicfDecode('CailaInferenceResultData', { ...variant, slots: [{ name: 'n', value: 2 }] })).toThrow('$.slots[0].value: expected string');
    expect(() => jaicfDecode('CailaInferenceResultData', { ...variant, intent: { ...variant.intent, slots: [{ name: 'n', entity: null, required: true, prompts: [], array: null }] } })).toThrow(
      '$.intent.slots[0].entity: null for a non-nullable string',
    );
  });
});

describe('POST /nlu/analyze', () => {
  test('{data: inference request, showAll} → markup, entitiesLookup and the inference /nlu/inference gives', async () => {
    const text = 'Order 2 margaritas, please!';
    const res = await analyze({ data: { phrase: { text, entities: [] }, knownSlots: [], nBest: 2, showDebugInfo: false }, showAll: true });
    expect(res.status).toBe(200);
    const body = CailaAnalyzeResponse.parse(res.body);
    const inference = CailaInferenceResponse.parse((await request(env.app).post(`${BASE}/order/nlu/inference`).send({ phrase: { text }, nBest: 2 })).body);
    expect(body.inference.variants).toEqual(inference.variants);
    expect(body.inference.phrase).toEqual({ ...inference.phrase, stagedPhraseIdx: null, phraseMarkup: null });
    expect(body.entitiesLookup.entities).toEqual(inference.phrase.entities);
    expect(body.entitiesLookup.entities).toEqual([
      { entity: 'duckling.number', slot: null, startPos: 6, endPos: 7, text: '2', value: '2', default: false, system: true, entityId: null },
      { entity: 'Pizza', slot: null, startPos: 8, endPos: 18, text: 'margaritas', value: 'margherita', default: false, system: false, entityId: 1 },
    ]);
    expect(body.inference.variants[0]!.intent).toEqual({
      id: 1,
      path: '/Order',
      answer: null,
      customData: null,
      slots: [
        { name: 'pizza', entity: 'Pizza', required: true, prompts: ['what do you want to order?'], array: false },
        // Named as the lookup names the built-in, so a client can match a slot to its entity.
        { name: 'count', entity: 'duckling.number', required: true, prompts: ['how many?', 'how many pizzas?'], array: false },
      ],
    });
    expect(body.inference.variants[0]!.slots).toEqual([
      { name: 'pizza', value: 'margherita', array: false },
      { name: 'count', value: '2', array: false },
    ]);
    expect(body.markup).toEqual({ source: text, correctedText: text, words: body.entitiesLookup.phraseMarkup });
    // Words and punctuation marks with their offsets; the lemma is our stem.
    expect(body.markup.words.map((w) => [w.source, w.word, w.annotations.lemma, w.startPos, w.endPos, w.punctuation])).toEqual([
      ['Order', 'order', 'order', 0, 5, false],
      ['2', '2', '2', 6, 7, false],
      ['margaritas', 'margaritas', 'margarita', 8, 18, false],
      [',', ',', ',', 18, 19, true],
      ['please', 'please', 'pleas', 20, 26, false],
      ['!', '!', '!', 26, 27, true],
    ]);
  });

  test('markup: a span that normalizes to several words is one entry; an emoji sequence is one mark; invisible characters none', async () => {
    const text = '½ pizza 👨‍👩‍👧 🇩🇪?! \u200d \u00ad';
    const body = CailaAnalyzeResponse.parse((await analyze({ data: { phrase: { text } } })).body);
    expect(body.markup.words.map((w) => [w.source, w.word, w.punctuation, w.startPos, w.endPos])).toEqual([
      ['½', '1 2', false, 0, 1],
      ['pizza', 'pizza', false, 2, 7],
      ['👨‍👩‍👧', '👨‍👩‍👧', true, 8, 16],
      ['🇩🇪', '🇩🇪', true, 17, 21],
      ['?', '?', true, 21, 22],
      ['!', '!', true, 22, 23],
    ]);
    for (const w of body.markup.words) expect(text.slice(w.startPos, w.endPos)).toBe(w.source);
  });

  test('a text over the length limit: no variants, no entities, no markup', async () => {
    const text = `order 2 margaritas ${'a'.repeat(500)}`;
    const body = CailaAnalyzeResponse.parse((await analyze({ data: { phrase: { text } } })).body);
    expect(body.inference.variants).toEqual([]);
    expect(body.entitiesLookup).toEqual({ text, entities: [], stagedPhraseIdx: null, phraseMarkup: [] });
    expect(body.markup.words).toEqual([]);
    expect(CailaEntitiesResponse.parse((await entities(text)).body).phraseMarkup).toEqual([]);
  });

  test('a noMatch has no variants, and still its markup and entities', async () => {
    const body = CailaAnalyzeResponse.parse((await analyze({ data: { phrase: { text: 'qwxz 3' } } })).body);
    expect(body.inference.variants).toEqual([]);
    expect(body.entitiesLookup.entities.map((e) => [e.entity, e.value])).toEqual([['duckling.number', '3']]);
    expect(body.markup.words.map((w) => w.word)).toEqual(['qwxz', '3']);
  });

  test.each([
    ['no data', { phrase: { text: 'hi' } }, 'data'],
    ['data without a phrase', { data: { nBest: 1 } }, 'data.phrase'],
    ['a text that is a number', { data: { phrase: { text: 5 } } }, 'data.phrase.text'],
    ['showAll a string', { data: { phrase: { text: 'hi' } }, showAll: 'yes' }, 'showAll'],
  ])('%s → 400 in Caila\'s error shape, naming the field', async (_name, body, field) => {
    const error = expectCailaError(await analyze(body), 400);
    expect(error.errors[0]!.code).toBe('caila.invalid_request');
    expect(error.error).toContain(field);
  });

  test('an unknown token → 404 in Caila\'s shape', async () => {
    expect(expectCailaError(await analyze({ data: { phrase: { text: 'hi' } } }, 'nope'), 404).errors[0]!.code).toBe('caila.not_found');
  });
});

describe('GET /nlu/entities?query=&showAll=', () => {
  test('the entities of the text and its markup, as the lookup of /nlu/analyze lists them', async () => {
    const text = 'pepperoni, 3 of them';
    const res = await entities(text);
    expect(res.status).toBe(200);
    const body = CailaEntitiesResponse.parse(res.body);
    const analyzed = CailaAnalyzeResponse.parse((await analyze({ data: { phrase: { text } } })).body);
    expect(body).toEqual(analyzed.entitiesLookup);
    expect(body.entities.map((e) => [e.entity, e.text, e.value])).toEqual([
      ['Pizza', 'pepperoni', 'pepperoni'],
      ['duckling.number', '3', '3'],
    ]);
  });

  test('a lookup is not a classification: no event is counted', async () => {
    const events = async () => {
      const text = (await request(env.app).get('/metrics')).text;
      return text.split('\n').filter((l) => l.startsWith('sts_events_total')).join('\n');
    };
    const before = await events();
    expect(CailaEntitiesResponse.parse((await entities('3 pepperoni')).body).entities).toHaveLength(2);
    expect(await events()).toBe(before);
    await request(env.app).get(`${BASE}/order/nlu/inference`).query({ query: '3 pepperoni' });
    expect(await events()).not.toBe(before); // while an inference is
  });

  test('no query, or one given twice → 400 saying so; an empty one has no entities', async () => {
    const missing = await request(env.app).get(`${BASE}/order/nlu/entities`);
    expect(expectCailaError(missing, 400).error).toBe('query parameter "query" is required');
    const twice = await request(env.app).get(`${BASE}/order/nlu/entities?query=a&query=b`);
    expect(expectCailaError(twice, 400).error).toBe('query parameter "query" is given 2 times; give it once');
    expect(CailaEntitiesResponse.parse((await entities('')).body)).toEqual({ text: '', entities: [], stagedPhraseIdx: null, phraseMarkup: [] });
  });
});

/**
 * JAICF's slot filling (CailaSlotFillingHelper), reduced to what it asks of the server: the
 * matched intent's slot definitions and the values found come from analyze; a required slot
 * still empty is filled from the entities lookup of the next answer, by entity name; while one
 * is empty, the bot says one of its prompts (a slot without prompts ends the filling).
 */
async function converse(first: string, answers: string[]) {
  const body = CailaAnalyzeResponse.parse((await analyze({ data: { phrase: { text: first, entities: [] }, knownSlots: [], nBest: 1 }, showAll: true })).body);
  const variant = body.inference.variants[0]!;
  const known = new Map(variant.slots.map((s) => [s.name, s.value]));
  const said: string[] = [];
  const next = () => variant.intent.slots.find((s) => s.required && !known.has(s.name));
  for (let slot = next(); slot; slot = next()) {
    if (slot.prompts.length === 0) break;
    said.push(slot.prompts[0]!);
    const answer = answers.shift();
    if (answer === undefined) break;
    const found = CailaEntitiesResponse.parse((await entities(answer)).body).entities;
    for (const e of found) {
      const s = variant.intent.slots.find((d) => d.entity === e.entity && !known.has(d.name));
      if (s) known.set(s.name, e.value);
    }
  }
  return { intent: variant.intent.path, said, slots: Object.fromEntries(known) };
}

describe('a JAICF-style slot filling conversation', () => {
  test('asks each missing required slot\'s prompt and fills it from the answer\'s entities', async () => {
    expect(await converse('order', ['a margarita', 'three'])).toEqual({
      intent: '/Order',
      said: ['what do you want to order?', 'how many?'],
      slots: { pizza: 'margherita', count: '3' },
    });
  });

  test('asks nothing when the first text fills every required slot', async () => {
    expect(await converse('order 2 pepperoni please', [])).toEqual({ intent: '/Order', said: [], slots: { count: '2', pizza: 'pepperoni' } });
  });

  test('the native event gives the same prompts, for the slots the text leaves empty', async () => {
    const res = await request(env.app).post('/v1/classify').send({ model: 'order', text: 'order 2 please' });
    const event = StsEventSchema.parse(res.body);
    expect(event).toMatchObject({ intent: '/Order', missingSlots: ['pizza'], missingSlotPrompts: { pizza: ['what do you want to order?'] } });
    const full = StsEventSchema.parse((await request(env.app).post('/v1/classify').send({ model: 'order', text: 'order 2 pepperoni' })).body);
    expect(full.missingSlots).toBeUndefined();
    expect(full.missingSlotPrompts).toBeUndefined();
  });
});
