import request from 'supertest';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { createClassifier } from '../../src/lexicons.js';
import { modelFileBytes } from '../../src/model/io.js';
import { headOf } from '../../src/model/model-head.js';
import { ClassifyPool } from '../../src/server/pool/classify-pool.js';
import { pooledClassifier, pooledClassifiers } from '../../src/server/pool/pooled-classifier.js';
import { ModelRegistry } from '../../src/server/registry.js';
import { builtFile, REPO, shortUnknownWords, stsErrorOfAsync } from '../helpers.js';
import { trainedOn } from '../quality/datasets.js';
import { appOf, botSource, modelOf } from './server-helpers.js';

/*
 * The classify pool (docs/limits.md): classification in worker threads, answered by the main
 * thread at the deadline whatever the threads do. The threads run the built dist/.
 */

const workerUrl = () => pathToFileURL(builtFile('server/pool/pool-worker.js'));
const spins = pathToFileURL(path.join(REPO, 'test/fixtures/workers/pool-spins.mjs'));
const records = pathToFileURL(path.join(REPO, 'test/fixtures/workers/pool-records.mjs'));
const pools: ClassifyPool[] = [];
const poolOf = (options: Partial<ConstructorParameters<typeof ClassifyPool>[0]> = {}) => {
  const pool = new ClassifyPool({ threads: 1, workerUrl: workerUrl(), ...options });
  pools.push(pool);
  return pool;
};
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
});

const model = modelOf({
  ...botSource,
  entities: [{ name: 'City', records: [{ type: 'synonyms', value: 'Paris', words: ['paris'] }] }],
  intents: [...(botSource.intents ?? []), { path: '/fly', phrases: ['fly to @City'] }],
});
const bytesOf = (text: string) => Buffer.from(text, 'utf8');
const strip = ({ elapsedMs: _, ...e }: { elapsedMs: number }) => e;
/** What the main thread answers at a deadline, in these tests. */
const late = (elapsedMs: number) => ({ event: 'timeLimit', elapsedMs });

/** A job's answer from a pool-records.mjs thread: what it was told so far, and its thread's id. */
type Told = { told: string[]; thread: number };
const recorded = (pool: ClassifyPool, key: string, text = 'hi') => pool.run(key, 'classify', text, {}, 30_000, () => ({ told: ['late'] })) as Promise<Told>;

/** Waits until the pool has ended one stuck thread (its grace timer may fire late on a busy machine), and no more. */
async function expectReplacedOnce(pool: ClassifyPool): Promise<void> {
  for (let i = 0; pool.stuck === 0 && i < 100; i++) await new Promise((r) => setTimeout(r, 50));
  expect(pool.stuck).toBe(1);
}

/** CLINC150's 15,000 phrases: a request of short unknown words takes tens of ms. */
const clinc = trainedOn('clinc150', { preset: 'jaicp' }).model;

test('a pooled classifier answers as the engine does, classifications and entity lookups', async () => {
  const pooled = pooledClassifier(poolOf({ threads: 2 }), model, modelFileBytes(model));
  const here = createClassifier(model);
  for (const [text, options] of [
    ['book a table for two', {}],
    ['fly to paris', { nBest: 1, explain: true }],
    ['qwxz', { threshold: 0 }],
    ['a'.repeat(401), {}],
  ] as const) {
    expect(strip(await pooled.classify(text, options))).toEqual(strip(here.classifySync(text, options)));
    expect(await pooled.lookupEntities(text, { timeLimit: 10_000 })).toEqual(here.lookupEntitiesSync(text));
  }
});

test('a bad option is refused by the thread (invalid_settings), and so is a bad text (invalid_input)', async () => {
  const pooled = pooledClassifier(poolOf(), model, modelFileBytes(model));
  expect((await stsErrorOfAsync(() => pooled.classify('hello', { threshold: -1 }))).code).toBe('invalid_settings');
  expect((await stsErrorOfAsync(() => pooled.classify(42 as unknown as string))).code).toBe('invalid_input');
});

test('a stuck thread: the answer comes at the deadline from the main thread; the thread is ended and replaced, and the next job is served', async () => {
  const pool = poolOf({ workerUrl: spins, killGraceMs: 200 });
  pool.retain('m', bytesOf('{}'));
  // The thread online first: a job still waiting for it when its deadline passes is never sent, and would not get it stuck.
  expect(await pool.run('m', 'classify', 'hello', {}, 5000, late)).toEqual({ event: 'noMatch', text: 'hello' });
  const stuck = await pool.run('m', 'classify', 'spin', {}, 50, late);
  expect(stuck).toMatchObject({ event: 'timeLimit' });
  expect((stuck as { elapsedMs: number }).elapsedMs).toBeGreaterThanOrEqual(45); // a timer may fire a little early by this clock
  // Meanwhile the thread spins: a job sent now waits, and is answered by its own deadline.
  expect(await pool.run('m', 'classify', 'next', {}, 50, late)).toMatchObject({ event: 'timeLimit' });
  // Once the stuck thread is replaced, jobs are served again.
  await expectReplacedOnce(pool);
  expect(await pool.run('m', 'classify', 'hello', {}, 5000, late)).toEqual({ event: 'noMatch', text: 'hello' });
});

test('a thread preparing a model past a job’s deadline is busy, not stuck: it is kept, and then serves', async () => {
  const pool = poolOf({ workerUrl: spins, killGraceMs: 100 });
  pool.retain('slow', bytesOf('{}'));
  pool.retain('m', bytesOf('{}'));
  expect(await pool.run('m', 'classify', 'hello', {}, 5000, late)).toEqual({ event: 'noMatch', text: 'hello' }); // the thread is online
  // The job's deadline (20 ms) and the grace after it (100 ms) pass while the model loads (600 ms).
  expect(await pool.run('slow', 'classify', 'hello', {}, 20, late)).toMatchObject({ event: 'timeLimit' });
  expect(await pool.run('slow', 'classify', 'hello', {}, 5000, late)).toEqual({ event: 'noMatch', text: 'hello' });
  expect(pool.stuck).toBe(0);
});

test('a thread whose script fails is replaced after a pause, not at once again and again; its jobs answer by their deadlines', async () => {
  const pool = poolOf({ workerUrl: pathToFileURL(path.join(REPO, 'test/fixtures/workers/pool-broken.mjs')) });
  pool.retain('m', bytesOf('{}'));
  expect(await pool.run('m', 'classify', 'hello', {}, 300, () => 'late')).toBe('late');
  expect(pool.started).toBeLessThanOrEqual(2); // one, and at most one replacement a second later
});

test('a model released by every classifier of it is dropped; a job for it is refused', async () => {
  const pool = poolOf();
  pool.retain(model.id, modelFileBytes(model));
  pool.retain(model.id, modelFileBytes(model));
  pool.release(model.id);
  // A deadline far off: the thread starts and loads the model first, which a busy machine can make last over a second.
  expect(await pool.run(model.id, 'lookup', 'hello', { timeLimit: 30_000 }, 30_000, () => 'late')).toEqual({ entities: [], overLimit: false, timedOut: false });
  pool.release(model.id);
  await expect(pool.run(model.id, 'lookup', 'hello', {}, 1000, () => 'late')).rejects.toThrow(/not retained/);
});

test('a preloaded model is loaded into an idle thread before its first job, and once; released by every holder, it is dropped', async () => {
  const pool = poolOf({ workerUrl: records });
  const told = async (key: string) => (await recorded(pool, key)).told;
  // Before any thread is online a preload only holds the file: the first job loads it.
  pool.preload('early', bytesOf('{}'));
  expect(await told('early')).toEqual(['load early']);
  const file = bytesOf('{}');
  pool.preload('cold', file); // while the file is checked: no job for it yet
  expect(await told('early')).toEqual(['load early', 'load cold']);
  pool.retain('cold', file); // its classifier, once the check passed: the same file
  pool.release('cold'); // the preload's hold ends
  expect(await told('cold')).toEqual(['load early', 'load cold']);
  pool.release('cold');
  expect(await told('early')).toEqual(['load early', 'load cold', 'drop cold']);
  // Checked, another file says it is that model: what the thread made of the preloaded one is dropped, and this one loaded.
  pool.preload('said', bytesOf('{"other": true}'));
  pool.retain('said', bytesOf('{}'));
  pool.release('said');
  expect((await told('said')).slice(-3)).toEqual(['load said', 'drop said', 'load said']);
  // The same bytes from another read (another name's copy of the model) are kept.
  pool.preload('copy', bytesOf('{}'));
  pool.retain('copy', bytesOf('{}'));
  pool.release('copy');
  expect((await told('copy')).slice(-2)).toEqual(['load said', 'load copy']);
});

test('a preloaded file that is not the model of its key is refused by the thread; the checked file then serves', async () => {
  const pool = poolOf();
  const other = modelOf(botSource);
  pool.retain(other.id, modelFileBytes(other));
  // The thread online, and holding nothing: the preload goes to it.
  expect(await pool.run(other.id, 'lookup', 'hello', { timeLimit: 30_000 }, 30_000, () => 'late')).toMatchObject({ timedOut: false });
  pool.preload(model.id, modelFileBytes(other)); // a store's row that says it is `model`
  // Its job before the check ends: the thread holds no model of that key, rather than the other one.
  await expect(pool.run(model.id, 'lookup', 'fly to paris', { timeLimit: 30_000 }, 30_000, () => 'late')).rejects.toMatchObject({ code: 'internal', cause: expect.objectContaining({ message: expect.stringContaining('not loaded in this thread') }) });
  const checked = modelFileBytes(model);
  pool.retain(model.id, checked);
  pool.release(model.id);
  expect(await pool.run(model.id, 'lookup', 'fly to paris', { timeLimit: 30_000 }, 30_000, () => 'late')).toMatchObject({ entities: [expect.objectContaining({ entity: 'City' })] });
});

test('a preload into an idle thread gives the head of the model the thread checked and prepared; one it refuses rejects with why; with no thread idle, none', async () => {
  const pool = poolOf();
  const other = modelOf(botSource);
  pool.retain(other.id, modelFileBytes(other));
  expect(await pool.run(other.id, 'lookup', 'hello', { timeLimit: 30_000 }, 30_000, () => 'late')).toMatchObject({ timedOut: false }); // online
  const head = pool.preload(model.id, modelFileBytes(model));
  expect(await head).toEqual(headOf(model));
  // Prepared: its first job needs no load.
  expect(await pool.run(model.id, 'lookup', 'fly to paris', { timeLimit: 30_000 }, 30_000, () => 'late')).toMatchObject({ entities: [expect.objectContaining({ entity: 'City' })] });
  pool.release(model.id);
  await expect(pool.preload(model.id, modelFileBytes(other))!).rejects.toMatchObject({ code: 'invalid_model', message: `the file is model ${other.id}, not ${model.id}` });
  pool.release(model.id);
  await expect(pool.preload('x', bytesOf('{"format":'))!).rejects.toMatchObject({ code: 'invalid_model' });
  pool.release('x');
  // The only thread holding a job: no head to wait for; the caller checks the file itself.
  const busy = pool.run(other.id, 'lookup', 'hello', { timeLimit: 30_000 }, 30_000, () => 'late');
  expect(pool.preload('y', modelFileBytes(model))).toBeUndefined();
  pool.release('y');
  await busy;
});

test('a preload whose thread gives no head, or is closed before it answers, gives none: the caller checks the file itself', async () => {
  const pool = poolOf({ workerUrl: spins });
  pool.retain('m', bytesOf('{}'));
  await pool.run('m', 'classify', 'hi', {}, 30_000, () => 'late'); // online
  expect(await pool.preload('p', bytesOf('{}'))).toBeUndefined(); // a thread that sends no head
  pool.release('p');
  const slow = pool.preload('slow', bytesOf('{}')); // 600 ms to load
  await pool.close();
  expect(await slow).toBeUndefined();
});

test('a preload the thread refuses, replaced by the checked file: the thread keeps the checked load it was sent after it', async () => {
  const pool = poolOf({ workerUrl: records });
  const told = async (key: string) => (await recorded(pool, key)).told;
  pool.retain('m', bytesOf('{}'));
  await told('m'); // online
  pool.preload('x', bytesOf('refuse'));
  pool.retain('x', bytesOf('{}'));
  pool.release('x');
  // Its job loads the checked file behind the refused one; the refusal, answered later, does not unmark it.
  expect((await told('x')).slice(1)).toEqual(['load x', 'drop x', 'load x']);
  expect((await told('x')).slice(1)).toEqual(['load x', 'drop x', 'load x']);
});

test('of threads equally free, a job goes to the one that preloaded its model', async () => {
  const pool = poolOf({ workerUrl: records, threads: 2 });
  const run = (key: string, text?: string) => recorded(pool, key, text);
  pool.retain('m', bytesOf('{}'));
  // Both threads online, each holding m: two jobs at a time go to two threads once both are.
  const seen = new Set<number>();
  for (let i = 0; i < 100 && seen.size < 2; i++) {
    for (const r of await Promise.all([run('m'), run('m')])) seen.add(r.thread);
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(seen.size).toBe(2);
  const busy = run('m', 'wait'); // one thread busy: the preload goes to the other
  pool.preload('p', bytesOf('{}'));
  const other = (await busy).thread;
  const first = await run('p');
  expect(first.thread).not.toBe(other);
  expect(first.told.filter((t) => t === 'load p')).toHaveLength(1);
});

test('a job for a model a stuck thread has not loaded does not keep that thread from being replaced', async () => {
  const pool = poolOf({ workerUrl: spins, killGraceMs: 100 });
  pool.retain('m', bytesOf('{}'));
  pool.retain('other', bytesOf('{}'));
  expect(await pool.run('m', 'classify', 'hello', {}, 5000, late)).toEqual({ event: 'noMatch', text: 'hello' });
  const stuck = pool.run('m', 'classify', 'spin', {}, 50, late);
  const behind = pool.run('other', 'classify', 'hello', {}, 50, late); // its model's load waits behind the spinning job
  expect(await stuck).toMatchObject({ event: 'timeLimit' });
  expect(await behind).toMatchObject({ event: 'timeLimit' });
  await expectReplacedOnce(pool);
  expect(await pool.run('other', 'classify', 'hello', {}, 5000, late)).toEqual({ event: 'noMatch', text: 'hello' });
});

test('a preload goes to no thread holding a job: a stuck thread is still ended and replaced', async () => {
  const pool = poolOf({ workerUrl: spins, killGraceMs: 100 });
  pool.retain('m', bytesOf('{}'));
  expect(await pool.run('m', 'classify', 'hello', {}, 5000, late)).toEqual({ event: 'noMatch', text: 'hello' });
  const stuck = pool.run('m', 'classify', 'spin', {}, 50, late);
  pool.preload('cold', bytesOf('{}')); // the only thread holds the spinning job
  expect(await stuck).toMatchObject({ event: 'timeLimit' });
  await expectReplacedOnce(pool);
  expect(await pool.run('cold', 'classify', 'hello', {}, 5000, late)).toEqual({ event: 'noMatch', text: 'hello' });
});

test('a job with less than a millisecond left is answered timeLimit at once (a spent batch), a text over the length limit lengthLimit', async () => {
  const pooled = pooledClassifier(poolOf({ workerUrl: spins }), model, modelFileBytes(model));
  expect(await pooled.classify('spin', { timeLimit: 0.001 })).toMatchObject({ event: 'timeLimit', limit: { kind: 'time', max: 0.001 } });
  expect(await pooled.classify('a'.repeat(401), { timeLimit: 0.001 })).toMatchObject({ event: 'lengthLimit', limit: { kind: 'symbols' } });
});

test('the HTTP API on a registry whose classifiers run in the pool', async () => {
  const registry = new ModelRegistry(undefined, undefined, undefined, undefined, { classifiers: pooledClassifiers(poolOf()) });
  registry.add('bot', model);
  const app = appOf(registry);
  expect((await request(app).post('/v1/classify').send({ text: 'book a table for two' })).body).toMatchObject({ event: 'match', intent: '/table' });
  const batch = await request(app).post('/v1/classify/batch').send({ texts: ['hello', 'order a taxi'] });
  expect(batch.body.results.map((e: { intent: string }) => e.intent)).toEqual(['/hello', '/taxi']);
  const entities = await request(app).get('/cailapub/api/caila/p/bot/nlu/entities?query=fly%20to%20paris');
  expect(entities.body.entities).toMatchObject([{ entity: 'City', value: 'Paris' }]);
});

test('a thread shares its turns: a light request is not held up by a tenant\'s heavy ones in the same thread', async () => {
  const pool = poolOf();
  const heavy = pooledClassifier(pool, clinc, modelFileBytes(clinc));
  const light = pooledClassifier(pool, model, modelFileBytes(model));
  await Promise.all([heavy.classify('warm up', { timeLimit: 0 }), light.classify('hello')]);
  const order: string[] = [];
  const heavies = [1, 2, 3, 4, 5].map((seed) => heavy.classify(shortUnknownWords(seed), { timeLimit: 0 }).then(() => order.push('heavy')));
  const lightOne = light.classify('hello').then(() => order.push('light'));
  await Promise.all([...heavies, lightOne]);
  expect(order.indexOf('light')).toBeLessThan(order.length - 1);
  expect(order[0]).toBe('light');
});

test('a deadline that is not a number of ms, or an option no thread can be sent, is refused; no thread is ended for it', async () => {
  const pool = poolOf({ killGraceMs: 50 });
  const pooled = pooledClassifier(pool, model, modelFileBytes(model));
  expect((await pooled.classify('hello', { timeLimit: 10_000 })).event).toBeDefined(); // the thread online, the model loaded
  for (const timeLimit of [-1, Number.NaN, '0.5' as unknown as number]) {
    expect((await stsErrorOfAsync(() => pooled.classify('hello', { timeLimit }))).code).toBe('invalid_settings');
    expect((await stsErrorOfAsync(() => pooled.lookupEntities('hello', { timeLimit }))).code).toBe('invalid_settings');
  }
  expect((await pooled.classify('hello', { timeLimit: 3e9 })).event).not.toBe('timeLimit');
  const unsendable = { timeLimit: 100, explain: (() => true) as unknown as boolean };
  expect((await stsErrorOfAsync(() => pooled.classify('hello', unsendable))).code).toBe('invalid_settings');
  await new Promise((resolve) => setTimeout(resolve, 300)); // past that job's deadline: nothing is held, nothing is stuck
  expect(pool.stuck).toBe(0);
  expect((await pooled.classify('hello', { timeLimit: 10_000 })).event).toBeDefined();
});

test('a deadline longer than any timer can wait is the thread\'s: not cut to a timer\'s 1 ms', async () => {
  const pool = poolOf({ workerUrl: spins });
  pool.retain('m', bytesOf('{}'));
  expect(await pool.run('m', 'classify', 'hello', {}, 5000, late)).toEqual({ event: 'noMatch', text: 'hello' });
  // The thread spins on this job: only the main thread's timer could answer it.
  const job = pool.run('m', 'classify', 'spin', {}, 3e9, late).catch((e: unknown) => e);
  const outcome = await Promise.race([job, new Promise((resolve) => setTimeout(() => resolve('still running'), 200))]);
  expect(outcome).toBe('still running');
  await pool.close();
  expect(await job).toMatchObject({ code: 'shutting_down' });
});
