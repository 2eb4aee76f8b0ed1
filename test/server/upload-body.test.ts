import { request as httpRequest } from 'node:http';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { StsError } from '../../src/errors.js';
import { compile } from '../../src/model/compile-source.js';
import { modelToCailaProject } from '../../src/model/caila-export.js';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import { OffThreadCompiler } from '../../src/server/off-thread-compiler.js';
import { ModelRegistry } from '../../src/server/registry.js';
import { RAW_UPLOAD_BYTES } from '../../src/server/upload-body.js';
import { compileUpload, sourceOf, type Upload } from '../../src/server/upload-source.js';
import { builtFile, cleanupTempDirs } from '../helpers.js';
import { appOf, botSource, expectNativeError, listen, pizzaSource, registryOf, servedModel } from './server-helpers.js';

/**
 * A big upload's body is read where it is compiled (the compile worker), not parsed on the
 * event loop: the route hands the registry the body's bytes, and reading them refuses what
 * express.json() and the depth limit refuse for other bodies, with the same errors. Small
 * bodies are parsed on the event loop, so their errors come at once.
 */

afterAll(cleanupTempDirs);

const raw = (json: string): Upload => ({ body: Buffer.from(json) });

/** A small bot with a long list of stop words: a body over RAW_UPLOAD_BYTES that compiles at once. */
const bigSource: IntentsFileInput = { ...pizzaSource, stopWords: Array.from({ length: 20_000 }, (_, k) => `word${k}`) };
const big = JSON.stringify(bigSource);

/** A body sent in chunks, with no Content-Length: read as bytes whatever its size. */
const chunked = (bytes: Uint8Array) => new ReadableStream({ start: (c) => (bytes.byteLength > 0 && c.enqueue(bytes), c.close()) });

test('the upload routes hand the registry a big body as bytes, a small one parsed, sent whole or in chunks', async () => {
  const seen: Upload[] = [];
  const registry = new ModelRegistry(undefined, undefined, undefined, async (upload) => {
    seen.push(upload);
    return compileUpload(upload);
  });
  const server = await listen(appOf(registry));
  const send = (path: string, method: string, body: string, inChunks = false) =>
    fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: inChunks ? chunked(Buffer.from(body)) : body, duplex: 'half' } as RequestInit).then((r) => r.status);
  try {
    expect(big.length).toBeGreaterThan(RAW_UPLOAD_BYTES);
    expect(await send('/v1/models/big', 'PUT', big)).toBe(201);
    expect(await send('/v1/models/bot', 'PUT', JSON.stringify(botSource))).toBe(201);
    expect(await send('/v1/models/bot2', 'PUT', JSON.stringify(botSource), true)).toBe(201);
    expect(await send('/v1/models/big2', 'PUT', big, true)).toBe(201);
    const project = JSON.stringify(modelToCailaProject(compile(bigSource).model, 'imported'));
    expect(await send('/cailapub/api/caila/p/imported/import', 'POST', project)).toBe(200);
    expect(seen.map((u) => (u as { body?: unknown }).body instanceof Uint8Array)).toEqual([true, false, false, true, true]);
  } finally {
    await server.close();
  }
  expect(servedModel(registry, 'big').id).toBe(compile(bigSource).model.id);
  expect(servedModel(registry, 'bot2').id).toBe(compile(botSource).model.id);
  expect(servedModel(registry, 'imported').intents.map((i) => i.path)).toEqual(['/pizza/order', '/pizza/status']);
});

test("a small upload's body is read before its path is decoded: a body that is not JSON is the error", async () => {
  // The router refuses a bad escape in the path only when it routes; a body that is not JSON was refused first.
  const res = await request(appOf(registryOf({ bot: botSource }))).put('/v1/models/%ZZ').set('content-type', 'application/json').send('{x');
  expect(expectNativeError(res, 400, 'invalid_request').message).toMatch(/not valid JSON/);
});

describe('a body read off the event loop is refused as a parsed one is, and the old model serves on', () => {
  /** Bytes as they are, in chunks (read as bytes), to a listening server. */
  const put = async (body: string | Buffer, headers: Record<string, string> = {}, config = {}) => {
    const registry = registryOf({ bot: botSource });
    const before = registry.get('bot')!.head.id;
    const server = await listen(appOf(registry, config));
    try {
      const init = { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: chunked(Buffer.from(body)), duplex: 'half' };
      const res = await fetch(`${server.url}/v1/models/bot`, init as RequestInit);
      const answer = { status: res.status, body: (await res.json()) as { model?: { intents: number }; error?: { code: string; message: string } } };
      if (answer.status >= 400) expect(registry.get('bot')!.head.id).toBe(before);
      return answer;
    } finally {
      await server.close();
    }
  };
  const source = JSON.stringify(pizzaSource);

  test('not JSON, or nested too deep → 400', async () => {
    const broken = await put(source.slice(0, -2));
    expect(broken).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect(broken.body.error?.message).toMatch(/^request body is not valid JSON: /);
    const deep = `{"intents":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expect((await put(deep)).body.error?.message).toMatch(/nests deeper than 64/);
  });

  test('bytes that are not UTF-8 → 400 that says where, read as bytes or parsed, small or big', async () => {
    // A Latin-1 "é" in a phrase: decoded, it would become U+FFFD, and the model would serve a phrase nobody wrote.
    const at = source.indexOf('"phrases":["') + 12;
    const latin1 = (text: string) => Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xe9]), Buffer.from(text.slice(at))]);
    const message = `request body is not valid UTF-8: the byte at offset ${at} (0xE9) does not start a well-formed sequence`;
    expect(await put(latin1(source))).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', message } } });
    expect(await put(latin1(big))).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', message } } });
    // Sent whole (a Content-Length): express.json() reads it.
    const registry = registryOf({ bot: botSource });
    const server = await listen(appOf(registry));
    const whole = (path: string, method: string, body: Buffer) =>
      fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as unknown }));
    try {
      expect(await whole('/v1/models/bot', 'PUT', latin1(source))).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', message } } });
      const classify = await whole('/v1/classify', 'POST', Buffer.from('{"text":"caf\xe9"}', 'latin1'));
      expect(classify).toMatchObject({ status: 400, body: { error: { message: 'request body is not valid UTF-8: the byte at offset 12 (0xE9) does not start a well-formed sequence' } } });
    } finally {
      await server.close();
    }
    expect(servedModel(registry, 'bot').id).toBe(compile(botSource).model.id);
  });

  test('an empty body is {} to both: no intents → 422', async () => {
    expect(await put('')).toMatchObject({ status: 422, body: { error: { code: 'invalid_source' } } });
  });

  test('another charset goes through the JSON parser', async () => {
    expect(await put(Buffer.from(source, 'utf16le'), { 'content-type': 'application/json; charset=utf-16le' })).toMatchObject({ status: 200, body: { model: { intents: 2 } } });
    expect(await put(source, { 'content-type': 'application/json; charset=koi8-r' })).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } } });
  });

  test('gzip is undone, within the body limit', async () => {
    const zipped = gzipSync(big);
    expect(await put(zipped, { 'content-encoding': 'gzip' })).toMatchObject({ status: 200, body: { model: { intents: 2 } } });
    expect(await put(zipped, { 'content-encoding': 'gzip' }, { bodyLimit: zipped.byteLength * 2 })).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    expect(await put(source, { 'content-encoding': 'gzip' })).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
  });
});

test('the caller and the model name are checked before a big body is read', async () => {
  const server = await listen(appOf(registryOf({ bot: botSource }), { adminToken: 'secret', bodyLimit: '20mb' }));
  // Headers that announce 15 MB, and no body: the answer must not wait for it.
  const headersOnly = (path: string, token?: string) =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}${path}`, { method: path.endsWith('/import') ? 'POST' : 'PUT', headers: { 'content-type': 'application/json', 'content-length': '15000000', ...(token && { authorization: `Bearer ${token}` }) } }, (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        req.destroy();
      });
      req.on('error', (e) => (/socket hang up|ECONNRESET/.test(String(e)) ? undefined : reject(e)));
      req.flushHeaders();
    });
  try {
    expect(await headersOnly('/v1/models/x')).toBe(401);
    expect(await headersOnly('/v1/models/x', 'wrong')).toBe(403);
    expect(await headersOnly('/v1/models/.x', 'secret')).toBe(400);
    expect(await headersOnly('/cailapub/api/caila/p/x/import')).toBe(401);
  } finally {
    await server.close();
  }
});

describe('in the compile worker', () => {
  const compiler = () => new OffThreadCompiler({ workerUrl: pathToFileURL(builtFile('server/compile-worker.js')) });

  test('a raw body compiles to the model its parsed source does, the import warnings first', async () => {
    const project = modelToCailaProject(compile(pizzaSource).model, 'pizza');
    const parsed = compile(sourceOf(JSON.parse(JSON.stringify(project))).source);
    const fromBody = await compiler().compile(raw(JSON.stringify(project)));
    expect('head' in fromBody && fromBody.head.id).toBe(parsed.model.id);
    // A Caila project whose slot has no entity: the import drops it with a warning.
    const withSlot = { project: { id: 'p' }, intents: [{ path: '/a', phrases: [{ text: 'hello' }], slots: [{ name: 's' }] }, { path: '/b', phrases: [{ text: 'bye' }] }] };
    const there = await compiler().compile(raw(JSON.stringify(withSlot)));
    expect(there.warnings[0]).toMatch(/^\/a: .*dropped slots without an entity s/);
    expect(there.warnings).toEqual(compileUpload(raw(JSON.stringify(withSlot))).warnings);
  });

  test('a body that is not JSON, or nests too deep, is refused with the 400 the event loop would give', async () => {
    await expect(compiler().compile(raw('{"intents": ['))).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/not valid JSON/) });
    const deep = raw(`{"intents":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    const error = await compiler().compile(deep).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StsError);
    expect(error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/nests deeper than 64/) });
  });
});
