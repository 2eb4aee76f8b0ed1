import { createClassifier } from '../../src/lexicons.js';
import request from 'supertest';
import { ModelRegistry, type ModelEntry } from '../../src/server/registry.js';
import { StsEventSchema, BatchResponse } from '../../src/server/schemas.js';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import { appOf, botSource, expectNativeError, modelOf, pizzaSource, registryOf, servedModel } from './server-helpers.js';

/** POST /v1/classify and /v1/classify/batch: events, model selection, overrides and every error path. */

const registry = registryOf({ bot: botSource, pizza: pizzaSource });
const app = appOf(registry);

const classify = (body: unknown, a = app) => request(a).post('/v1/classify').send(body as object);

describe('POST /v1/classify: events', () => {
  test('match: the event shape, intent, answer, alternatives best first', async () => {
    const res = await classify({ text: 'reserve a table for two please' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const e = StsEventSchema.parse(res.body);
    expect(e).toMatchObject({ event: 'match', intent: '/table', answer: 'For how many?' });
    expect(e.score).toBeGreaterThan(0.3);
    expect(e.modelId).toBe(registry.get('bot')!.head.id);
    expect(e.alternatives[0]).toMatchObject({ intent: '/table', score: e.score, phrase: e.phrase });
    const scores = e.alternatives.map((a) => a.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(e.alternatives.length).toBeLessThanOrEqual(3); // the model's nBest
    expect(e.explanation).toBeUndefined(); // explain defaults to false over HTTP
    expect(e.limit).toBeUndefined();
  });

  test('the HTTP event equals the library event (minus elapsedMs)', async () => {
    const text = 'hello there';
    const res = await classify({ text });
    const direct = createClassifier(servedModel(registry, 'bot')).classifySync(text, { explain: false });
    expect({ ...res.body, elapsedMs: 0 }).toEqual({ ...direct, elapsedMs: 0 });
  });

  test('noMatch: no intent, no answer, the best score still reported', async () => {
    const res = await classify({ text: 'xyzzy plugh quux' });
    expect(res.status).toBe(200);
    const e = StsEventSchema.parse(res.body);
    expect(e).toMatchObject({ event: 'noMatch', intent: null });
    expect(e.answer).toBeUndefined();
    expect(typeof e.score).toBe('number');
  });

  test('noMatch below the threshold keeps its alternatives', async () => {
    // "table" alone is a weak match; a threshold of 0.99 turns it into noMatch with the same ranking.
    const res = await classify({ text: 'a table', threshold: 0.99 });
    const e = StsEventSchema.parse(res.body);
    expect(e.event).toBe('noMatch');
    expect(e.alternatives[0]?.intent).toBe('/table');
  });

  test('lengthLimit: 401 characters', async () => {
    const res = await classify({ text: 'a'.repeat(401) });
    expect(res.status).toBe(200);
    const e = StsEventSchema.parse(res.body);
    expect(e).toMatchObject({ event: 'lengthLimit', intent: null, score: null, phrase: null, alternatives: [] });
    expect(e.limit).toEqual({ kind: 'symbols', max: 400, actual: 401 });
  });

  test('400 characters is not a lengthLimit', async () => {
    const res = await classify({ text: 'hello '.repeat(66) + 'hell' });
    expect(res.body.event).not.toBe('lengthLimit');
  });

  describe('timeLimit', () => {
    // Thousands of phrases that all share "table": the first look at the clock comes after the request
    // analysis and the candidate search over all of them, which take far longer than 0.001 ms.
    const big: IntentsFileInput = {
      language: 'en',
      settings: { preset: 'jaicp' },
      intents: Array.from({ length: 40 }, (_, i) => ({
        path: `/big/i${i}`,
        phrases: Array.from({ length: 100 }, (_, j) => `table w${i}x${j} book a table number ${j} v${(i * 7 + j) % 53}`),
      })),
    };
    const bigApp = appOf(registryOf({ big }));

    test('a deadline of 0.001 ms gives timeLimit with the time limit info', async () => {
      const res = await classify({ text: 'book a table number 7', timeLimit: 0.001 }, bigApp);
      expect(res.status).toBe(200);
      const e = StsEventSchema.parse(res.body);
      expect(e).toMatchObject({ event: 'timeLimit', intent: null, score: null, alternatives: [] });
      expect(e.limit).toMatchObject({ kind: 'time', max: 0.001 });
      expect(e.limit!.actual).toBeGreaterThan(0.001);
    });

    test('timeLimit 0 asks for no deadline: the server\'s cap (the model\'s own 10 s here) is left', async () => {
      const res = await classify({ text: 'book a table number 7', timeLimit: 0 }, bigApp);
      expect(StsEventSchema.parse(res.body).event).toBe('match');
    });
  });
});

describe('POST /v1/classify: model selection and overrides', () => {
  test('`model` selects a model; without it the default answers', async () => {
    const a = await classify({ text: 'order a pizza', model: 'pizza' });
    expect(a.body).toMatchObject({ event: 'match', intent: '/pizza/order', modelId: registry.get('pizza')!.head.id });
    const b = await classify({ text: 'order a pizza' });
    expect(b.body.modelId).toBe(registry.get('bot')!.head.id);
  });

  test('an unknown model → 404 not_found', async () => {
    const res = await classify({ text: 'hi', model: 'nope' });
    const error = expectNativeError(res, 404, 'not_found');
    expect(error.message).toContain('nope');
  });

  test('an empty registry → 404 on classify', async () => {
    const res = await classify({ text: 'hi' }, appOf(new ModelRegistry(undefined, undefined)));
    expectNativeError(res, 404, 'not_found');
  });

  test('nBest limits the alternatives', async () => {
    const one = await classify({ text: 'book a table or order a taxi', nBest: 1 });
    expect(one.body.alternatives).toHaveLength(1);
    const many = await classify({ text: 'book a table or order a taxi', nBest: 10 });
    expect(many.body.alternatives.length).toBeGreaterThanOrEqual(2);
    expect(many.body.alternatives[0]).toEqual(one.body.alternatives[0]);
  });

  test('threshold decides match vs noMatch on the same score', async () => {
    const base = StsEventSchema.parse((await classify({ text: 'reserve a table for tonight' })).body);
    expect(base.event).toBe('match');
    const above = await classify({ text: 'reserve a table for tonight', threshold: base.score! });
    expect(above.body).toMatchObject({ event: 'noMatch', score: base.score }); // match needs score > threshold
    const below = await classify({ text: 'reserve a table for tonight', threshold: 0 });
    expect(below.body).toMatchObject({ event: 'match', intent: '/table' });
  });

  test('onlyAboveThreshold: the alternatives above the threshold, the same as without it; a noMatch has none', async () => {
    const text = 'reserve a cab for dinner tomorrow'; // three alternatives: 0.42, 0.29, 0.18
    const all = StsEventSchema.parse((await classify({ text, nBest: 10, threshold: 0.2 })).body);
    expect(all.alternatives.filter((a) => a.score <= 0.2).length).toBeGreaterThan(0); // some are left out below
    const above = StsEventSchema.parse((await classify({ text, nBest: 10, threshold: 0.2, onlyAboveThreshold: true })).body);
    expect(above.alternatives).toEqual(all.alternatives.filter((a) => a.score > 0.2));
    expect(above.alternatives.length).toBeGreaterThanOrEqual(2);
    expect(above).toMatchObject({ event: all.event, intent: all.intent, score: all.score });
    const none = StsEventSchema.parse((await classify({ text: 'qwxz vbnm book', onlyAboveThreshold: true, threshold: 0.9 })).body);
    expect(none).toMatchObject({ event: 'noMatch', intent: null, score: 0, alternatives: [] });
  });

  test('explain: true adds the alignment of the best phrase', async () => {
    const res = await classify({ text: 'reserve a table', explain: true });
    const e = StsEventSchema.parse(res.body);
    expect(e.explanation).toBeDefined();
    expect(e.explanation!.phrase).toBe(e.phrase);
    expect(e.explanation!.aligned.map((a) => a.request)).toEqual(expect.arrayContaining(['reserve', 'table']));
  });

  test('a client x-request-id is echoed back', async () => {
    const res = await request(app).post('/v1/classify').set('x-request-id', 'abc-123').send({ text: 'hi' });
    expect(res.headers['x-request-id']).toBe('abc-123');
  });

  // app.ts:64 takes the client's id with `??`: an empty header is kept, so the response has an empty
  // x-request-id and the error body no requestId (errorBody skips a falsy id). Fix: `|| randomUUID()`.
  test('an empty client x-request-id is replaced by a generated one', async () => {
    const res = await request(app).post('/v1/classify').set('x-request-id', '').send({ nope: 1 });
    expect(res.status).toBe(400);
    expect(res.headers['x-request-id']).toMatch(/\S/);
    expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
  });
});

describe('POST /v1/classify: invalid requests', () => {
  test.each([
    { name: 'text missing', body: {}, at: 'body.text' },
    { name: 'text a number', body: { text: 42 }, at: 'body.text' },
    { name: 'text null', body: { text: null }, at: 'body.text' },
    { name: 'an unknown key', body: { text: 'hi', foo: 1 }, at: 'body' },
    { name: 'threshold negative', body: { text: 'hi', threshold: -0.1 }, at: 'body.threshold' },
    { name: 'nBest 0', body: { text: 'hi', nBest: 0 }, at: 'body.nBest' },
    { name: 'nBest not an integer', body: { text: 'hi', nBest: 1.5 }, at: 'body.nBest' },
    { name: 'timeLimit negative', body: { text: 'hi', timeLimit: -1 }, at: 'body.timeLimit' },
    { name: 'explain a string', body: { text: 'hi', explain: 'yes' }, at: 'body.explain' },
    { name: 'onlyAboveThreshold a number', body: { text: 'hi', onlyAboveThreshold: 1 }, at: 'body.onlyAboveThreshold' },
    { name: 'model empty', body: { text: 'hi', model: '' }, at: 'body.model' },
  ])('$name → 400 invalid_request at $at', async ({ body, at }) => {
    const res = await classify(body);
    const error = expectNativeError(res, 400, 'invalid_request');
    expect(error.details?.map((d) => d.path)).toContain(at);
    expect(error.details?.every((d) => typeof d.message === 'string' && d.message.length > 0)).toBe(true);
  });

  test('the unknown key is named in the message', async () => {
    const res = await classify({ text: 'hi', foo: 1 });
    expect(res.body.error.message).toContain('foo');
  });

  test.each([
    ['a JSON array', [1, 2]],
    ['a JSON string', 'hello'],
  ])('%s body → 400', async (_name, body) => {
    const res = await request(app).post('/v1/classify').set('content-type', 'application/json').send(JSON.stringify(body));
    expectNativeError(res, 400, 'invalid_request');
  });

  test('no body at all → 400 (not a crash)', async () => {
    const res = await request(app).post('/v1/classify');
    expectNativeError(res, 400, 'invalid_request');
  });

  test('malformed JSON → 400 invalid_request', async () => {
    const res = await request(app).post('/v1/classify').set('content-type', 'application/json').send('{"text": "hi"');
    const error = expectNativeError(res, 400, 'invalid_request');
    expect(error.message).toMatch(/not valid JSON/);
  });

  test.each([
    ['text/plain', 'hello'],
    ['application/x-www-form-urlencoded', 'text=hello'],
    ['application/xml', '<text>hi</text>'],
  ])('Content-Type %s → 415', async (type, body) => {
    const res = await request(app).post('/v1/classify').set('content-type', type).send(body);
    const error = expectNativeError(res, 415, 'unsupported_media_type');
    expect(error.message).toContain(type);
  });

  test('application/json with a charset is accepted', async () => {
    const res = await request(app).post('/v1/classify').set('content-type', 'application/json; charset=utf-8').send(JSON.stringify({ text: 'hello' }));
    expect(res.status).toBe(200);
  });

  test('a body over bodyLimit → 413 payload_too_large', async () => {
    const small = appOf(registry, { bodyLimit: 1000 });
    const res = await classify({ text: 'x'.repeat(2048) }, small);
    const error = expectNativeError(res, 413, 'payload_too_large');
    expect(error.message).toContain('1000');
    // Under the limit is fine on the same app.
    expect((await classify({ text: 'hello' }, small)).status).toBe(200);
  });
});

describe('unknown routes and methods', () => {
  test.each([
    ['GET', '/nope'],
    ['POST', '/v1/nope'],
    ['GET', '/v1/classify'],
    ['DELETE', '/v1/classify'],
    ['GET', '/web/nope.js'],
  ])('%s %s → 404 JSON, never HTML', async (method, url) => {
    const res = await request(app)[method.toLowerCase() as 'get'](url);
    const error = expectNativeError(res, 404, 'not_found');
    expect(res.text).not.toMatch(/<html|<!DOCTYPE|<pre>/i);
    expect(error.message).toContain(url);
  });

  test('an unknown route under /cailapub/ answers in Caila\'s error shape', async () => {
    const res = await request(app).get('/cailapub/whatever');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: expect.any(String), errors: [{ code: 'caila.not_found', message: expect.any(String) }] });
    expect(typeof res.headers['x-request-id']).toBe('string');
  });
});

describe('internal errors', () => {
  class BrokenRegistry extends ModelRegistry {
    override get(_name: string): ModelEntry | undefined {
      throw new Error('disk on fire at /secret/path/file.ts:12');
    }
  }
  const broken = new BrokenRegistry(undefined, 'bot');
  const brokenApp = appOf(broken);

  test('a throwing registry → 500 internal, a generic message, no stack or cause', async () => {
    const res = await classify({ text: 'hi' }, brokenApp);
    const error = expectNativeError(res, 500, 'internal');
    expect(error.message).toBe('internal error');
    expect(res.text).not.toContain('disk on fire');
    expect(res.text).not.toContain('/secret/path');
    expect(res.body.error).not.toHaveProperty('stack');
    expect(res.body.error).not.toHaveProperty('details');
  });

  test('the batch route too', async () => {
    const res = await request(brokenApp).post('/v1/classify/batch').send({ texts: ['hi'] });
    expectNativeError(res, 500, 'internal');
  });

  test('the Caila route answers 500 in its own shape without the message', async () => {
    const res = await request(brokenApp).post('/cailapub/api/caila/p/bot/nlu/inference').send({ phrase: { text: 'hi' } });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'internal error', errors: [{ code: 'caila.internal', message: 'internal error' }] });
  });

  test('the error is logged with the request id', async () => {
    const lines: Record<string, unknown>[] = [];
    const { pino } = await import('pino');
    const logger = pino({}, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
    const res = await classify({ text: 'hi' }, appOf(broken, {}, logger));
    expect(res.status).toBe(500);
    const logged = lines.find((l) => l.msg === 'unexpected error');
    expect(logged).toMatchObject({ requestId: res.headers['x-request-id'], level: 50 });
    expect(JSON.stringify(logged)).toContain('disk on fire');
  });
});

describe('POST /v1/classify/batch', () => {
  const texts = ['hello', 'order a taxi', 'xyzzy plugh', 'reserve a table', 'a'.repeat(401), 'will it rain tomorrow'];

  test('results in order, one event per text, equal to single classifications', async () => {
    const res = await request(app).post('/v1/classify/batch').send({ texts });
    expect(res.status).toBe(200);
    const { results } = BatchResponse.parse(res.body);
    expect(results.map((r) => r.event)).toEqual(['match', 'match', 'noMatch', 'match', 'lengthLimit', 'match']);
    expect(results.map((r) => r.intent)).toEqual(['/hello', '/taxi', null, '/table', null, '/weather']);
    for (const [k, text] of texts.entries()) {
      const one = await classify({ text });
      expect({ ...results[k], elapsedMs: 0 }).toEqual({ ...one.body, elapsedMs: 0 });
    }
  });

  test('model and overrides apply to every text', async () => {
    const res = await request(app).post('/v1/classify/batch').send({ texts: ['order a pizza', 'where is my pizza'], model: 'pizza', nBest: 1, explain: true });
    const { results } = BatchResponse.parse(res.body);
    expect(results.map((r) => r.intent)).toEqual(['/pizza/order', '/pizza/status']);
    for (const r of results) {
      expect(r.alternatives).toHaveLength(1);
      expect(r.explanation).toBeDefined();
    }
  });

  test('empty texts → 400 at body.texts', async () => {
    const res = await request(app).post('/v1/classify/batch').send({ texts: [] });
    const error = expectNativeError(res, 400, 'invalid_request');
    expect(error.details?.map((d) => d.path)).toContain('body.texts');
  });

  test.each([
    { name: 'texts missing', body: {}, at: 'body.texts' },
    { name: 'a non-string text', body: { texts: ['hi', 3] }, at: 'body.texts.1' },
    { name: '`text` instead of `texts`', body: { text: 'hi' }, at: 'body.texts' },
  ])('$name → 400 at $at', async ({ body, at }) => {
    const res = await request(app).post('/v1/classify/batch').send(body);
    const error = expectNativeError(res, 400, 'invalid_request');
    expect(error.details?.map((d) => d.path)).toContain(at);
  });

  test('more than batchLimit texts → 400 whose message says the cap', async () => {
    const capped = appOf(registry, { batchLimit: 3 });
    const ok = await request(capped).post('/v1/classify/batch').send({ texts: ['a', 'b', 'c'] });
    expect(ok.status).toBe(200);
    const res = await request(capped).post('/v1/classify/batch').send({ texts: ['a', 'b', 'c', 'd'] });
    const error = expectNativeError(res, 400, 'invalid_request');
    expect(error.message).toMatch(/at most 3\b/);
    expect(error.message).toContain('4');
    expect(error.details).toEqual([{ path: 'body.texts', message: expect.stringContaining('3') }]);
  });

  test('an unknown model in a batch → 404', async () => {
    const res = await request(app).post('/v1/classify/batch').send({ texts: ['hi'], model: 'nope' });
    expectNativeError(res, 404, 'not_found');
  });
});

test('modelOf helper sanity: the two bots differ', () => {
  expect(modelOf(botSource).id).not.toBe(modelOf(pizzaSource).id);
});
