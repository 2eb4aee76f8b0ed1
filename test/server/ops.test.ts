import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { ModelRegistry } from '../../src/server/registry.js';
import { createApp, type StsApp } from '../../src/server/app.js';
import type { ServerConfigInput } from '../../src/server/config.js';
import { appOf, botSource, registryOf, silent } from './server-helpers.js';

/** Health, readiness, Prometheus metrics, the OpenAPI document and the request log. */

const registry = registryOf({ bot: botSource });

describe('health', () => {
  test('/healthz → 200 even with no model', async () => {
    const res = await request(appOf(new ModelRegistry(undefined, undefined))).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('/readyz → 200 with a model', async () => {
    const res = await request(appOf(registry)).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', models: 1 });
  });

  test('/readyz → 503 with an empty registry, JSON', async () => {
    const res = await request(appOf(new ModelRegistry(undefined, undefined))).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ status: 'no model loaded', models: 0 });
  });

  test('/readyz → 503 when the default names a model that is not loaded', async () => {
    const r = new ModelRegistry(undefined, 'gone');
    const res = await request(appOf(r)).get('/readyz');
    expect(res.status).toBe(503);
  });

  test('/readyz turns 200 once a model is uploaded', async () => {
    const app = appOf(new ModelRegistry(undefined, undefined));
    expect((await request(app).get('/readyz')).status).toBe(503);
    expect((await request(app).put('/v1/models/bot').send(botSource)).status).toBe(201);
    expect((await request(app).get('/readyz')).status).toBe(200);
  });
});

describe('/metrics', () => {
  /** The value of one sample line, e.g. `sts_events_total{event="match"}`; undefined when absent. */
  const sample = (text: string, series: string): number | undefined => {
    const line = text.split('\n').find((l) => l.startsWith(series + ' '));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  test('Prometheus text with requests, durations, events and the model count', async () => {
    const app = appOf(registry);
    expect((await request(app).post('/v1/classify').send({ text: 'reserve a table' })).body.event).toBe('match');
    expect((await request(app).post('/v1/classify').send({ text: 'xyzzy plugh' })).body.event).toBe('noMatch');
    expect((await request(app).post('/v1/classify').send({ text: 'a'.repeat(401) })).body.event).toBe('lengthLimit');
    await request(app).post('/v1/classify/batch').send({ texts: ['hello', 'order a taxi'] });
    await request(app).post('/v1/classify').send({ nope: 1 });
    await request(app).get('/no/such/route/123');

    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(text).toContain('# TYPE sts_http_requests_total counter');
    expect(text).toContain('# TYPE sts_classify_duration_seconds histogram');
    expect(text).toMatch(/^sts_classify_duration_seconds_bucket\{le="[^"]+"\} \d+$/m);
    expect(sample(text, 'sts_classify_duration_seconds_count')).toBe(5);
    expect(sample(text, 'sts_classify_duration_seconds_bucket{le="+Inf"}')).toBe(5);
    expect(sample(text, 'sts_events_total{event="match"}')).toBe(3);
    expect(sample(text, 'sts_events_total{event="noMatch"}')).toBe(1);
    expect(sample(text, 'sts_events_total{event="lengthLimit"}')).toBe(1);
    expect(sample(text, 'sts_models')).toBe(1);
    expect(sample(text, 'sts_http_requests_total{route="/v1/classify",method="POST",status="200"}')).toBe(3);
    expect(sample(text, 'sts_http_requests_total{route="/v1/classify",method="POST",status="400"}')).toBe(1);
    expect(sample(text, 'sts_http_requests_total{route="/v1/classify/batch",method="POST",status="200"}')).toBe(1);
    // Unknown paths share one label value: the label set stays bounded whatever clients send.
    expect(sample(text, 'sts_http_requests_total{route="unmatched",method="GET",status="404"}')).toBe(1);
    expect(text).not.toContain('/no/such/route');
  });

  test('Caila requests are labelled by the route pattern, never the token', async () => {
    const app = appOf(registry);
    await request(app).post('/cailapub/api/caila/p/bot/nlu/inference').send({ phrase: { text: 'hello' } });
    const res = await request(app).get('/metrics');
    expect(sample(res.text, 'sts_http_requests_total{route="/cailapub/api/caila/p/:token/nlu/inference",method="POST",status="200"}')).toBe(1);
    expect(sample(res.text, 'sts_events_total{event="match"}')).toBe(1);
  });

  test("the server's event loop: its garbage-collection pauses and how late its timer fired", async () => {
    const app = createApp({ registry, logger: silent, eventLoopMetrics: true });
    try {
      // Young objects enough for a scavenge or two, then a turn for the observer's entries.
      let keep: number[][] = [];
      for (let i = 0; i < 200_000; i++) keep = i % 1000 === 0 ? [] : [...keep.slice(-10), [i]];
      await new Promise((r) => setTimeout(r, 50));
      // The event loop held for 100 ms: its 10 ms timer fires about 90 ms late.
      for (const until = performance.now() + 100; performance.now() < until; );
      await new Promise((r) => setTimeout(r, 20));
      const text = (await request(app).get('/metrics')).text;
      expect(text).toContain('# TYPE sts_event_loop_gc_pause_seconds histogram');
      expect(sample(text, 'sts_event_loop_gc_pause_seconds_count{kind="minor"}')).toBeGreaterThan(0);
      const over50ms = (t: string) => sample(t, 'sts_event_loop_delay_seconds_count')! - sample(t, 'sts_event_loop_delay_seconds_bucket{le="0.05"}')!;
      expect(over50ms(text)).toBeGreaterThanOrEqual(1);
      // Cumulative: a second scrape (another scraper's, say) still counts the stall.
      expect(over50ms((await request(app).get('/metrics')).text)).toBeGreaterThanOrEqual(over50ms(text));
      // An app that was not asked for them (each test's app) has none.
      expect((await request(appOf(registry)).get('/metrics')).text).not.toContain('sts_event_loop');
    } finally {
      app.locals.metrics.stop();
    }
  });

  test('each app has its own counters; sts_models follows the registry', async () => {
    const app = appOf(registryOf({ a: botSource, b: botSource }));
    const text = (await request(app).get('/metrics')).text;
    expect(sample(text, 'sts_models')).toBe(2);
    expect(text).not.toMatch(/^sts_events_total\{/m);
    expect(sample((await request(appOf(new ModelRegistry(undefined, undefined))).get('/metrics')).text, 'sts_models')).toBe(0);
  });
});

describe('/openapi.json', () => {
  type Doc = {
    openapi: string;
    info: { title: string; version: string };
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[]; properties?: Record<string, unknown> } }> }; responses?: Record<string, unknown> }>>;
  };
  let doc: Doc;
  beforeAll(async () => {
    const res = await request(appOf(registry)).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    doc = res.body as Doc;
  });

  /** Every route the Express app serves, as OpenAPI paths ("/v1/models/{name}") with their methods. */
  function appRoutes(app: StsApp): Map<string, Set<string>> {
    type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
    const routes = new Map<string, Set<string>>();
    const walk = (stack: Layer[]) => {
      for (const layer of stack) {
        if (layer.route) {
          const p = layer.route.path.replace(/:(\w+)/g, '{$1}');
          const methods = routes.get(p) ?? new Set<string>();
          for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') methods.add(m);
          routes.set(p, methods);
        } else if (layer.handle?.stack) {
          walk(layer.handle.stack);
        }
      }
    };
    walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
    return routes;
  }

  test('is OpenAPI 3.1 with a title and a version', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title).toBe('sts-classifier');
    expect(typeof doc.info.version).toBe('string');
  });

  const EXPECTED: Record<string, string[]> = {
    '/v1/classify': ['post'],
    '/v1/classify/batch': ['post'],
    '/v1/models': ['get'],
    '/v1/models/{name}': ['get', 'put', 'delete'],
    '/healthz': ['get'],
    '/readyz': ['get'],
    '/metrics': ['get'],
    '/': ['get'],
    '/docs': ['get'],
    '/cailapub/api/caila/p/{token}/nlu/inference': ['post', 'get'],
    '/cailapub/api/caila/p/{token}/nlu/analyze': ['post'],
    '/cailapub/api/caila/p/{token}/nlu/entities': ['get'],
    '/cailapub/api/caila/p/{token}/export': ['post'],
    '/cailapub/api/caila/p/{token}/import': ['post'],
  };

  test.each(Object.entries(EXPECTED))('documents %s %j', (p, methods) => {
    expect(Object.keys(doc.paths)).toContain(p);
    for (const m of methods) expect(doc.paths[p]).toHaveProperty(m);
  });

  test('every route the app serves is documented with its methods (except the document itself)', () => {
    const served = appRoutes(appOf(registry));
    served.delete('/openapi.json'); // the spec does not list itself
    expect(served.size).toBe(Object.keys(EXPECTED).length); // the list above is complete
    for (const [p, methods] of served) {
      expect([p, Object.keys(doc.paths)]).toEqual([p, expect.arrayContaining([p])]);
      for (const m of methods) expect([p, m, doc.paths[p]?.[m] !== undefined]).toEqual([p, m, true]);
    }
    // And nothing documented that is not served.
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const m of Object.keys(ops).filter((k) => k !== 'parameters')) expect([p, m, served.get(p)?.has(m)]).toEqual([p, m, true]);
    }
  });

  test('the /v1/classify request schema requires text and knows the overrides', () => {
    const schema = doc.paths['/v1/classify']!.post!.requestBody!.content['application/json']!.schema;
    expect(schema.required).toEqual(['text']);
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(['explain', 'model', 'nBest', 'onlyAboveThreshold', 'text', 'threshold', 'timeLimit'].sort());
    const batch = doc.paths['/v1/classify/batch']!.post!.requestBody!.content['application/json']!.schema;
    expect(batch.required).toEqual(['texts']);
  });

  test('the write routes declare the bearer security scheme', () => {
    const d = doc as unknown as { components: { securitySchemes: Record<string, unknown> }; paths: Record<string, Record<string, { security?: unknown }>> };
    expect(d.components.securitySchemes.admin).toEqual({ type: 'http', scheme: 'bearer' });
    expect(d.paths['/v1/models/{name}']!.put!.security).toEqual([{ admin: [] }]);
    expect(d.paths['/v1/models/{name}']!.delete!.security).toEqual([{ admin: [] }]);
    expect(d.paths['/cailapub/api/caila/p/{token}/import']!.post!.security).toEqual([{ admin: [] }]);
  });
});

describe('request log', () => {
  /** An app whose pino logger writes JSON lines into an array. */
  function logged(config: ServerConfigInput = {}) {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino({}, stream);
    return { app: appOf(registry, config, logger), lines, requests: () => lines.filter((l) => l.msg === 'request') };
  }
  // Its mark is in no hex digit, so that no request id or other logged field can hold it by chance.
  const MARK = 'zqxj4111';
  const SECRET = `my card number is ${MARK} and I want a table`;

  test('one JSON line per request with method, path, status, ms, model, event and request id — not the text', async () => {
    const { app, requests, lines } = logged();
    const res = await request(app).post('/v1/classify').send({ text: SECRET });
    expect(res.status).toBe(200);
    await new Promise((r) => setImmediate(r));
    expect(requests()).toHaveLength(1);
    const line = requests()[0]!;
    expect(line).toMatchObject({ method: 'POST', path: '/v1/classify', status: 200, model: 'bot', event: res.body.event, requestId: res.headers['x-request-id'], level: 30 });
    expect(typeof line.ms).toBe('number');
    expect(line.ms).toBeGreaterThanOrEqual(0);
    expect(line).not.toHaveProperty('text');
    expect(JSON.stringify(lines)).not.toContain(MARK);
  });

  test('logText: true logs the text', async () => {
    const { app, requests } = logged({ logText: true });
    await request(app).post('/v1/classify').send({ text: SECRET });
    await new Promise((r) => setImmediate(r));
    expect(requests()[0]).toMatchObject({ text: SECRET, path: '/v1/classify', status: 200 });
  });

  test('errors are logged with their status; the text of a rejected body is not', async () => {
    const { app, requests, lines } = logged();
    await request(app).post('/v1/classify').send({ text: SECRET, unknown: true });
    await request(app).post('/v1/classify').send({ text: SECRET, model: 'nope' });
    await new Promise((r) => setImmediate(r));
    expect(requests().map((l) => l.status)).toEqual([400, 404]);
    expect(JSON.stringify(lines)).not.toContain(MARK);
  });

  test('a Caila GET logs neither the query string (the text travels in it) nor the access token', async () => {
    const { app, lines } = logged();
    const res = await request(app).get('/cailapub/api/caila/p/bot/nlu/inference').query({ query: SECRET });
    expect(res.status).toBe(200);
    await new Promise((r) => setImmediate(r));
    expect(JSON.stringify(lines)).not.toContain(MARK);
    expect(lines.find((l) => l.msg === 'request')).toMatchObject({ path: '/cailapub/api/caila/p/***/nlu/inference', model: 'bot', status: 200 });
  });

  test('batch and POST Caila inference do not log their texts', async () => {
    const { app, lines } = logged();
    await request(app).post('/v1/classify/batch').send({ texts: [SECRET, 'hello'] });
    await request(app).post('/cailapub/api/caila/p/bot/nlu/inference').send({ phrase: { text: SECRET } });
    await new Promise((r) => setImmediate(r));
    expect(lines.filter((l) => l.msg === 'request')).toHaveLength(2);
    expect(JSON.stringify(lines)).not.toContain(MARK);
  });
});
