import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import request from 'supertest';
import type { StsEvent } from '../../src/engine/event/events.js';
import { serverConfigFromEnv } from '../../src/server/config.js';
import type { ServerConfigInput } from '../../src/server/config.js';
import { stsErrorOf } from '../helpers.js';
import { appOf, botSource, expectCailaError, expectNativeError, listen, registryOf } from './server-helpers.js';

/** The bot, with a deadline no classification can meet: any time limit that applies shows in the event. */
const hurried = { ...botSource, settings: { ...botSource.settings, timeLimit: 0.001 } };

/** An app on the bot whose pino log lines are kept. */
function logged(config: ServerConfigInput = {}, source = botSource) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { app: appOf(registryOf({ bot: source }), config, pino({}, stream)), lines };
}

describe('time limits a client cannot lift', () => {
  test.each([0, 1e308, 60_000])('a request asking for timeLimit %d runs within the model\'s own timeLimit', async (timeLimit) => {
    const { app } = logged({}, hurried);
    const res = await request(app).post('/v1/classify').send({ text: 'book a table for two', timeLimit });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ event: 'timeLimit', limit: { kind: 'time', max: 0.001 } });
  });

  test('STS_MAX_TIME_LIMIT_MS caps every request, whatever the model or the request says', async () => {
    const { app } = logged({ maxTimeLimitMs: 0.001 });
    for (const timeLimit of [undefined, 0, 5000]) {
      const res = await request(app).post('/v1/classify').send({ text: 'book a table for two', timeLimit });
      expect(res.body).toMatchObject({ event: 'timeLimit', limit: { max: 0.001 } });
    }
  });

  test('a lower timeLimit than the cap is kept', async () => {
    const { app } = logged({ maxTimeLimitMs: 60_000 });
    const res = await request(app).post('/v1/classify').send({ text: 'book a table for two', timeLimit: 5000 });
    expect(res.body).toMatchObject({ event: 'match', intent: '/table' });
  });

  test('a batch runs within the cap as a whole: once it is spent, the texts left answer timeLimit at once', async () => {
    const { app } = logged({ maxTimeLimitMs: 0.001 });
    const res = await request(app).post('/v1/classify/batch').send({ texts: ['hello', 'book a table', 'order a taxi'], timeLimit: 0 });
    expect(res.status).toBe(200);
    const results = res.body.results as StsEvent[];
    expect(results.map((r) => r.event)).toEqual(['timeLimit', 'timeLimit', 'timeLimit']);
    for (const r of results) expect(r.limit!.max).toBeLessThanOrEqual(0.001);
  });

  test('Caila inference and the entity lookup run within the cap too', async () => {
    const withCities = { ...hurried, entities: [{ name: 'City', records: [{ type: 'synonyms' as const, value: 'Paris', words: ['paris'] }] }] };
    const { app } = logged({}, withCities);
    const inference = await request(app).post('/cailapub/api/caila/p/bot/nlu/inference').send({ phrase: { text: 'hello paris' } });
    expect(inference.body.variants).toEqual([]);
    const analyze = await request(app).post('/cailapub/api/caila/p/bot/nlu/analyze').send({ data: { phrase: { text: 'hello paris' } } });
    expect(analyze.status).toBe(200);
    expect(analyze.body.entitiesLookup.entities).toEqual([]);
    const lookup = await request(app).get('/cailapub/api/caila/p/bot/nlu/entities?query=hello%20paris');
    expect(lookup.status).toBe(200);
    expect(lookup.body.entities).toEqual([]);
    // Within its time, the lookup finds the city.
    const { app: patient } = logged({}, { ...withCities, settings: { timeLimit: 10_000 } });
    expect((await request(patient).get('/cailapub/api/caila/p/bot/nlu/entities?query=hello%20paris')).body.entities).toMatchObject([{ entity: 'City', value: 'Paris' }]);
  });
});

describe('bad requests are 4xx JSON errors, never a 500, a stack trace or a token in the log', () => {
  test.each(['/v1/models/%', '/v1/models/%E0%A4%A', '/v1/models/a%ZZb'])('GET %s → 400 invalid_request', async (path) => {
    const { app, lines } = logged();
    const e = expectNativeError(await request(app).get(path), 400, 'invalid_request');
    expect(e.message).toMatch(/path/);
    await new Promise((r) => setImmediate(r));
    expect(lines.filter((l) => JSON.parse(l).level >= 50)).toEqual([]);
  });

  test('a malformed escape in a Caila token → 400 in Caila\'s shape; the token is in no log line', async () => {
    const { app, lines } = logged();
    expectCailaError(await request(app).get('/cailapub/api/caila/p/secret123%zz/nlu/inference?query=hi'), 400);
    expectCailaError(await request(app).post('/cailapub/api/caila/p/%ZZ/nlu/inference').send({ phrase: { text: 'hi' } }), 400);
    await new Promise((r) => setImmediate(r));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toMatch(/secret123|at .+\.(ts|js):\d+/);
  });

  // Routing ignores case and a trailing slash, and a 404 still carries the token: none may log it.
  test.each([
    '/CAILAPUB/api/caila/p/secret123/nlu/inference?query=hi',
    '/cailapub/API/Caila/P/secret123/nlu/inference?query=hi',
    '//cailapub/api/caila/p/secret123/nlu/inference?query=hi',
    '/cailapub//api/caila/p/secret123/nlu/inference?query=hi',
  ])('GET %s: the token is in no log line', async (path) => {
    const { app, lines } = logged();
    await request(app).get(path);
    await new Promise((r) => setImmediate(r));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toMatch(/secret123/);
  });

  test.each([
    ['PUT /v1/models/x', (body: string) => request(appOf(registryOf({ bot: botSource }))).put('/v1/models/x').set('content-type', 'application/json').send(body)],
    ['POST /v1/classify', (body: string) => request(appOf(registryOf({ bot: botSource }))).post('/v1/classify').set('content-type', 'application/json').send(body)],
  ])('%s with a body nested 5,000 levels deep → 400 invalid_request', async (_name, send) => {
    const deep = `{"intents":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const e = expectNativeError(await send(deep), 400, 'invalid_request');
    expect(e.message).toMatch(/nests deeper than 64/);
  });

  test('a body nested within the limit is read as usual', async () => {
    const app = appOf(registryOf({ bot: botSource }));
    const ok = await request(app).post('/v1/classify').set('content-type', 'application/json').send(JSON.stringify({ text: 'hello' }));
    expect(ok.status).toBe(200);
  });

  test.each(['gzip', 'deflate', 'br'])('Content-Encoding: %s with bytes that are not → 400 invalid_request', async (encoding) => {
    const { app, lines } = logged();
    const res = await request(app).post('/v1/classify').set('content-type', 'application/json').set('content-encoding', encoding).send('not compressed at all');
    expectNativeError(res, 400, 'invalid_request');
    expect(res.body.error.message).toMatch(/not what its Content-Encoding says/);
    await new Promise((r) => setImmediate(r));
    expect(lines.filter((l) => JSON.parse(l).level >= 50)).toEqual([]);
  });

  test('Content-Encoding: gzip with gzip bytes is read', async () => {
    const server = await listen(appOf(registryOf({ bot: botSource })));
    try {
      const res = await fetch(`${server.url}/v1/classify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify({ text: 'hello' })),
      });
      expect(await res.json()).toMatchObject({ event: 'match', intent: '/hello' });
    } finally {
      await server.close();
    }
  });

  test('a bad setting of a secret never repeats the secret', () => {
    const e = stsErrorOf(() => serverConfigFromEnv({ STS_CAILA_TOKENS: 'ok=bot,supersecret' }));
    expect(e.message).toMatch(/STS_CAILA_TOKENS/);
    expect(e.message).not.toContain('supersecret');
    const drain = stsErrorOf(() => serverConfigFromEnv({ STS_DRAIN_MS: 'soon', STS_MAX_TIME_LIMIT_MS: '-5' }));
    expect(drain.message).toContain('STS_MAX_TIME_LIMIT_MS must be a number of ms above 0, got "-5"');
    expect(drain.message).toContain('STS_DRAIN_MS must be a whole number of ms, at least 0, got "soon"');
  });
});

describe('a request refused while draining', () => {
  // Every late request gets one: a stack trace each would flood the log of a normal shutdown.
  test('is a 503 with Connection: close, logged as a request line only, with no stack trace', async () => {
    const { app, lines } = logged();
    app.locals.draining = true;
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(503);
    expect(res.headers.connection).toBe('close');
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => JSON.parse(l) as { level: number; status?: number })).toEqual([expect.objectContaining({ level: 30, status: 503 })]);
  });
});
