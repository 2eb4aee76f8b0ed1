import fc from 'fast-check';
import http from 'node:http';
import { deflateSync, gzipSync } from 'node:zlib';
import { modelToCailaProject } from '../../src/model/caila-export.js';
import type { StsApp } from '../../src/server/app.js';
import { tempDir } from '../helpers.js';
import { ModelRegistry } from '../../src/server/registry.js';
import { appOf, botSource, listen, modelOf, pizzaSource } from './server-helpers.js';

/*
 * The HTTP fuzzer: random requests (methods, paths with malformed escapes, query strings,
 * content types, encodings, bodies of any JSON shape or none) against a real listening server.
 * Every answer must be below 500 and come in time; the fast tier sends a sample, the slow tier
 * 20,000 (fuzz.test.ts, fuzz.slow.test.ts).
 */

/** Path segments a client might send: names, escapes good and bad, traversals, unicode. */
const segment = fc.oneof(
  fc.constantFrom('bot', 'pizza', 'demo', 'nope', 'toString', '__proto__', 'constructor', '..', '.', '%2F..', '%', '%Z', '%ZZ', '%E0%A4%A', '%C3%28', '%00', '%FF%FE', 'a%20b', 'secret123%zz', '😀', 'я', ''),
  fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', '.', '_', '%', '~', ' ', 'é', '/'), maxLength: 12 }),
);

const path = fc.oneof(
  fc.constantFrom('/v1/classify', '/v1/classify/batch', '/v1/models', '/healthz', '/readyz', '/metrics', '/openapi.json', '/', '/docs', '/web/app.js', '/nope'),
  segment.map((s) => `/v1/models/${s}`),
  fc.tuple(segment, fc.constantFrom('nlu/inference', 'nlu/analyze', 'nlu/entities', 'export', 'import', 'nope')).map(([t, r]) => `/cailapub/api/caila/p/${t}/${r}`),
  fc.string({ unit: fc.constantFrom('/', 'v1', 'models', '%', 'a', '.', '?', '#', '&', '='), maxLength: 10 }).map((s) => `/${s}`),
);

const query = fc.oneof(
  fc.constant(''),
  fc.tuple(fc.constantFrom('query', 'q', 'query[]', 'query[a]'), fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('%', '%ZZ', 'hello%20world', 'a'.repeat(500)))).map(([k, v]) => `?${k}=${v}`),
  fc.constant('?query=a&query=b'),
);

/** JSON bodies: of the routes' shapes with wrong values, a model source, or anything, deep or not. */
const jsonBody = fc.oneof(
  fc.record({ text: fc.oneof(fc.string({ maxLength: 500 }), fc.jsonValue({ maxDepth: 2 })) }, { requiredKeys: [] }),
  fc.record(
    { text: fc.string({ maxLength: 50 }), timeLimit: fc.oneof(fc.double(), fc.integer(), fc.constant(1e308)), nBest: fc.jsonValue({ maxDepth: 1 }), model: fc.constantFrom('bot', 'pizza', 'nope', 1) },
    { requiredKeys: ['text'] },
  ),
  fc.record({ texts: fc.array(fc.oneof(fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 1 })), { maxLength: 120 }) }),
  fc.record({ phrase: fc.record({ text: fc.oneof(fc.string({ maxLength: 60 }), fc.integer()) }, { requiredKeys: [] }), nBest: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }),
  fc.record({ data: fc.jsonValue({ maxDepth: 3 }) }),
  fc.constantFrom(botSource, pizzaSource, modelToCailaProject(modelOf(pizzaSource), 'p'), [{ path: '/x', phrases: ['hi'] }], { intents: [] }),
  fc.jsonValue({ maxDepth: 6 }),
  fc.integer({ min: 60, max: 3000 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown),
);

/** The bytes sent: JSON, JSON cut short, bytes that are not text, or nothing. */
const payload = fc.oneof(
  { weight: 6, arbitrary: jsonBody.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
  { weight: 1, arbitrary: jsonBody.map((v) => Buffer.from((JSON.stringify(v) ?? 'null').slice(0, -1))) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)) },
  { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
);

const contentType = fc.constantFrom(undefined, 'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'application/json; charset=koi8-r', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/*', '*/*', 'application/json;;;', 'garbage');
const encoding = fc.constantFrom(undefined, undefined, 'identity', 'gzip', 'deflate', 'br', 'gzip, gzip', 'compress', 'x-unknown');
const authorization = fc.constantFrom(undefined, 'Bearer admin', 'Bearer wrong', 'Basic YWJj', 'Bearer', 'bearer admin', '');

export const fuzzRequest = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
  path,
  query,
  payload,
  contentType,
  encoding,
  /** Whether bytes said to be compressed really are. */
  compress: fc.boolean(),
  authorization,
});
export type FuzzRequest = typeof fuzzRequest extends fc.Arbitrary<infer T> ? T : never;

/** An app with two bots, a models folder for uploads, a token and a Caila mapping. */
export async function fuzzTarget(): Promise<{ app: StsApp; url: string; close: () => Promise<void> }> {
  const registry = new ModelRegistry(tempDir('sts-fuzz-'), undefined);
  registry.add('bot', modelOf(botSource));
  registry.add('pizza', modelOf(pizzaSource));
  const app = appOf(registry, { adminToken: 'admin', readToken: 'reader', cailaTokens: { 'k-1': 'bot', 'k-2': 'pizza' }, batchLimit: 100 });
  const server = await listen(app);
  return { app, ...server };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** Sends one request; resolves with its status (0 for a connection error), rejecting if no answer comes in `timeoutMs`. */
export function send(url: string, r: FuzzRequest, timeoutMs = 10_000): Promise<{ status: number; contentType?: string; body: string }> {
  let bytes = r.payload;
  if (r.compress && r.encoding === 'gzip') bytes = gzipSync(bytes);
  if (r.compress && r.encoding === 'deflate') bytes = deflateSync(bytes);
  const headers: Record<string, string | number> = { 'content-length': bytes.length };
  if (r.contentType !== undefined) headers['content-type'] = r.contentType;
  if (r.encoding !== undefined) headers['content-encoding'] = r.encoding;
  if (r.authorization !== undefined) headers.authorization = r.authorization;
  const withBody = r.method !== 'GET' && r.method !== 'HEAD';
  if (!withBody) delete headers['content-length'];
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${r.path}${r.query}`, { method: r.method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.setTimeout(timeoutMs, () => reject(new Error(`no answer in ${timeoutMs} ms to ${r.method} ${r.path}${r.query}`)));
    req.on('error', (e) => (/invalid|Request path contains unescaped/i.test(e.message) ? resolve({ status: 0, body: e.message }) : reject(e)));
    req.end(withBody ? bytes : undefined);
  });
}

/** Runs `runs` random requests: every answer below 500, an error in JSON, none missing. */
export async function fuzz(runs: number, seed?: number): Promise<void> {
  const target = await fuzzTarget();
  try {
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (r) => {
        const res = await send(target.url, r);
        if (res.status === 0) return; // the client itself refused the request (a path with spaces): nothing was sent
        if (res.status >= 500) throw new Error(`${r.method} ${r.path}${r.query} → ${res.status}: ${res.body.slice(0, 300)}`);
        if (res.status >= 400 && r.method !== 'HEAD') expect(res.contentType).toMatch(/^application\/json/);
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
  } finally {
    await target.close();
    agent.destroy();
  }
}
