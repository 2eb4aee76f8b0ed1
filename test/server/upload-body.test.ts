import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { StsError } from '../../src/errors.js';
import { compile } from '../../src/model/compile-source.js';
import { modelToCailaProject } from '../../src/model/caila-export.js';
import { OffThreadCompiler } from '../../src/server/off-thread-compiler.js';
import { ModelRegistry } from '../../src/server/registry.js';
import { compileUpload, sourceOf, type Upload } from '../../src/server/upload-source.js';
import { builtFile, cleanupTempDirs } from '../helpers.js';
import { appOf, botSource, expectNativeError, listen, pizzaSource, registryOf, servedModel } from './server-helpers.js';

/**
 * An upload's body is read where it is compiled (the compile worker), not parsed on the event
 * loop: the route hands the registry the body's bytes, and reading them refuses what
 * express.json() and the depth limit refuse for other routes, with the same errors.
 */

afterAll(cleanupTempDirs);

const raw = (json: string, charset = 'utf-8'): Upload => ({ body: Buffer.from(json), charset });

test('the upload routes hand the registry the body as bytes, not parsed', async () => {
  const seen: Upload[] = [];
  const registry = new ModelRegistry(undefined, undefined, undefined, async (upload) => {
    seen.push(upload);
    return compileUpload(upload);
  });
  const app = appOf(registry);
  expect((await request(app).put('/v1/models/bot').send(botSource)).status).toBe(201);
  const project = modelToCailaProject(compile(pizzaSource).model, 'pizza');
  expect((await request(app).post('/cailapub/api/caila/p/pizza/import').send(project)).status).toBe(200);
  expect(seen).toHaveLength(2);
  for (const upload of seen) expect((upload as { body?: unknown }).body).toBeInstanceOf(Uint8Array);
  expect(servedModel(registry, 'bot').id).toBe(compile(botSource).model.id);
  expect(servedModel(registry, 'pizza').intents.map((i) => i.path)).toEqual(['/pizza/order', '/pizza/status']);
});

describe('a body read off the event loop is refused as a parsed one would be, and the old model serves on', () => {
  const app = () => appOf(registryOf({ bot: botSource }));
  const put = (body: string, headers: Record<string, string> = {}) =>
    request(app()).put('/v1/models/bot').set({ 'content-type': 'application/json', ...headers }).send(body);
  /** Bytes as they are (supertest re-encodes a Buffer body), to a listening server. */
  const putBytes = async (body: Buffer, headers: Record<string, string>, config = {}) => {
    const server = await listen(appOf(registryOf({ bot: botSource }), config));
    try {
      const res = await fetch(`${server.url}/v1/models/bot`, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body });
      return { status: res.status, body: (await res.json()) as { model?: { intents: number }; error?: { code: string } } };
    } finally {
      await server.close();
    }
  };

  test('not JSON → 400', async () => {
    const e = expectNativeError(await put('{"intents": ['), 400, 'invalid_request');
    expect(e.message).toMatch(/^request body is not valid JSON: /);
  });

  test('empty, or JSON that is not an object → 400', async () => {
    for (const body of ['', '42', '"text"']) expect(expectNativeError(await put(body), 400, 'invalid_request').message).toMatch(/the body must be JSON/);
  });

  test('a charset that is not Unicode → 415; UTF-16 is read', async () => {
    expectNativeError(await put(JSON.stringify(botSource), { 'content-type': 'application/json; charset=koi8-r' }), 415, 'unsupported_media_type');
    const res = await putBytes(Buffer.from(JSON.stringify(pizzaSource), 'utf16le'), { 'content-type': 'application/json; charset=utf-16le' });
    expect(res).toMatchObject({ status: 200, body: { model: { intents: 2 } } });
  });

  test('gzip is undone, within the body limit', async () => {
    const res = await putBytes(gzipSync(JSON.stringify(pizzaSource)), { 'content-encoding': 'gzip' });
    expect(res).toMatchObject({ status: 200, body: { model: { intents: 2 } } });
    const bomb = gzipSync(JSON.stringify({ ...pizzaSource, stopWords: Array(500).fill('word') }));
    expect(bomb.byteLength).toBeLessThan(1024);
    expect(await putBytes(bomb, { 'content-encoding': 'gzip' }, { bodyLimit: '1kb' })).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    expect(await putBytes(Buffer.from('not compressed at all'), { 'content-encoding': 'gzip' })).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
  });

  test('a refused upload leaves the old model', async () => {
    const registry = registryOf({ bot: botSource });
    const before = registry.get('bot')!.head.id;
    expectNativeError(await request(appOf(registry)).put('/v1/models/bot').set('content-type', 'application/json').send('{"intents": ['), 400, 'invalid_request');
    expect(registry.get('bot')!.head.id).toBe(before);
  });
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
