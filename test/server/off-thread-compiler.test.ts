import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Classifier } from '../../src/engine/classifier.js';
import { createClassifier, englishVectors } from '../../src/lexicons.js';
import { featureSpace } from '../../src/engine/probability/features.js';
import { trainModelRegression } from '../../src/engine/probability/model-regression.js';
import { StsError } from '../../src/errors.js';
import { compile } from '../../src/model/compile-source.js';
import { compileUpload } from '../../src/server/upload-source.js';
import { fileText, loadModel, modelFileText } from '../../src/model/io.js';
import { headOf, phraseCount } from '../../src/model/model-head.js';
import { modelToCailaProject } from '../../src/model/caila-export.js';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import { modelOfChecked } from '../../src/model/validate-model.js';
import { OffThreadCompiler, type CompiledUpload } from '../../src/server/off-thread-compiler.js';
import { ModelRegistry } from '../../src/server/registry.js';
import { builtFile, cleanupTempDirs, LEXICAL_ACCURATE, REPO, tempDir } from '../helpers.js';
import { servedModel } from './server-helpers.js';

/**
 * The server's uploads compile in a worker thread (off-thread-compiler.ts). A worker runs
 * JavaScript, so these tests run the compiled dist/compile-worker.js (built if missing).
 */
afterAll(cleanupTempDirs);

let workerUrl: URL;
beforeAll(() => void (workerUrl = pathToFileURL(builtFile('server/compile-worker.js'))), 120_000);
const compiler = (options: ConstructorParameters<typeof OffThreadCompiler>[0] = {}) => new OffThreadCompiler({ workerUrl, ...options });
/** A stand-in worker that fails in one way (test/fixtures/workers). */
const fixtureWorker = (name: string) => pathToFileURL(path.join(REPO, 'test/fixtures/workers', name));

/** A bot whose words tell intents apart, so its regression learns something (the default preset: stems, 3-grams, word vectors). */
const bot: IntentsFileInput = {
  language: 'en',
  settings: { preset: 'accurate' },
  intents: [
    { path: '/departure', phrases: ['when is the next train from garching', 'when does the next bus leave', 'next train from odeonsplatz'] },
    { path: '/connection', phrases: ['how do i get from garching to odeonsplatz', 'connection from lehel to garching', 'from moosach to garching'] },
    { path: '/hello', phrases: ['hello there', 'good morning'] },
  ],
};

const pizza: IntentsFileInput = { language: 'en', intents: [{ path: '/pizza', phrases: ['order a pizza'] }, { path: '/status', phrases: ['where is my pizza'] }] };

/** `intents` intents of `phrases` phrases of six words each from a vocabulary of 3,000 (deterministic), γ tuned. */
function synthetic(intents: number, phrases: number): IntentsFileInput {
  let seed = 1;
  const word = () => 'w' + Math.floor(((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 3000).toString(36);
  return {
    language: 'en',
    settings: LEXICAL_ACCURATE,
    intents: Array.from({ length: intents }, (_, i) => ({ path: `/i${i}`, phrases: Array.from({ length: phrases }, () => Array.from({ length: 6 }, word).join(' ')) })),
  };
}

/** The compile worker's answer: the head and the file's text, not the model. */
function fromWorker(compiled: CompiledUpload): Extract<CompiledUpload, { head: unknown }> {
  if (!('head' in compiled)) throw new Error('the worker sent the whole model');
  return compiled;
}

/** A classifier's answer without its timing. */
async function answer(c: Pick<Classifier, 'classify'>, text: string) {
  const { elapsedMs: _, ...event } = await c.classify(text);
  return event;
}

describe('OffThreadCompiler', () => {
  test('gives the file and the head of the model compile() gives, with the regression a classifier of it would train', async () => {
    const here = compile(bot);
    const there = fromWorker(await compiler().compile(bot));
    expect(fileText(there.file)).toBe(modelFileText(here.model));
    // In a buffer of its own: transferred, not copied.
    expect(there.file.byteLength).toBe(there.file.buffer.byteLength);
    expect(there.head).toEqual(headOf(here.model));
    expect(there.warnings).toEqual(here.warnings);
    expect(there.tuning).toEqual(here.tuning);
    const trained = trainModelRegression(here.model, featureSpace(here.model, englishVectors()));
    expect(there.regression).toBeDefined();
    expect(there.regression!.vector).toBeDefined();
    for (const key of ['stemStart', 'weightIntent', 'weights', 'bias', 'vector'] as const) expect(Array.from(there.regression![key]!)).toEqual(Array.from(trained[key]!));
    expect(there.regression!.passes).toBe(trained.passes);
    // A classifier given those weights answers as one that trains its own.
    const given = createClassifier(modelOfChecked(fileText(there.file)), { regression: there.regression });
    const own = createClassifier(here.model);
    for (const text of ['next train from garching', 'from lehel to odeonsplatz', 'good morning garching']) {
      expect(await answer(given, text)).toEqual(await answer(own, text));
    }
  });

  test('sends the model only when asked; the file is its text in UTF-8, Cyrillic included', async () => {
    const russian: IntentsFileInput = { language: 'ru', intents: [{ path: '/taxi', phrases: ['закажи такси до аэропорта', 'нужна машина'] }] };
    const without = fromWorker(await compiler().compile(russian));
    expect(without.model).toBeUndefined();
    const text = modelFileText(compile(russian).model);
    expect(without.file.byteLength).toBeGreaterThan(text.length);
    expect(fileText(without.file)).toBe(text);
    // A file of a few kilobytes too has a buffer of its own (not Node's shared pool), so it was transferred.
    expect(without.file.byteLength).toBeLessThan(8192);
    expect([without.file.byteOffset, without.file.buffer.byteLength]).toEqual([0, without.file.byteLength]);
    // Asked for the model, as a registry that classifies on this thread, which keeps it for its
    // exports; one given other classifiers does not.
    const here = new ModelRegistry(undefined, undefined, undefined, (source) => compiler({ withModel: true }).compile(source));
    const { entry } = await here.put('taxi', russian);
    expect(entry.model).toEqual(compile(russian).model);
    expect(JSON.parse(await here.cailaExport(entry))).toEqual(JSON.parse(JSON.stringify(modelToCailaProject(compile(russian).model, 'taxi'))));
    const elsewhere = new ModelRegistry(undefined, undefined, undefined, (source) => compiler().compile(source), { classifiers: (_head, loaded) => createClassifier(modelOfChecked(fileText(loaded.file))) });
    expect((await elsewhere.put('taxi', russian)).entry.model).toBeUndefined();
  });

  test('no regression when the settings do not use it', async () => {
    const { regression, head } = fromWorker(await compiler().compile({ ...bot, settings: { preset: 'jaicp' } }));
    expect(head.settings.probabilityWeight).toBe(0);
    expect(regression).toBeUndefined();
  });

  test('a source that does not compile rejects with the StsError compile() throws: code, message, details', async () => {
    const broken = { language: 'en', intents: [{ path: 'no-slash', phrases: [42] }] } as unknown as IntentsFileInput;
    let here: unknown;
    try {
      compile(broken);
    } catch (e) {
      here = e;
    }
    expect(here).toBeInstanceOf(StsError);
    const there = await compiler().compile(broken).catch((e: unknown) => e);
    expect(there).toBeInstanceOf(StsError);
    const { code, message, details } = there as StsError;
    expect({ code, message, details }).toEqual({ code: (here as StsError).code, message: (here as StsError).message, details: (here as StsError).details });
    expect(details.length).toBeGreaterThan(0);
  });

  test('a worker that runs out of memory fails that upload only, with payload_too_large', async () => {
    const c = compiler({ workerUrl: fixtureWorker('out-of-memory.mjs'), resourceLimits: { maxOldGenerationSizeMb: 32 } });
    const error = await c.compile(bot).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StsError);
    expect((error as StsError).code).toBe('payload_too_large');
    expect((error as StsError).message).toContain('ran out of memory');
    // This process goes on, and so does a compiler after a failure: the next upload compiles.
    const next = await compiler().compile(bot);
    expect(fromWorker(next).head.intents).toHaveLength(3);
  });

  test('a worker that exits, throws a non-Error or never answers: each upload is refused with what happened, and the queue goes on', async () => {
    const exits = compiler({ workerUrl: fixtureWorker('exits.mjs') });
    await expect(exits.compile(bot)).rejects.toThrow('the compile worker stopped (exit code 3) without an answer');
    await expect(compiler({ workerUrl: fixtureWorker('throws-null.mjs') }).compile(bot)).rejects.toThrow('the compile worker failed: null');
    const hangs = compiler({ workerUrl: fixtureWorker('never-answers.mjs'), timeoutMs: 300 });
    const stopped = await hangs.compile(bot).catch((e: unknown) => e);
    expect(stopped).toMatchObject({ code: 'payload_too_large', message: 'compiling the source took longer than 0.3 s and was stopped; upload a smaller model' });
    // The next in that compiler's queue still runs (and is stopped in turn).
    await expect(hangs.compile(bot)).rejects.toMatchObject({ code: 'payload_too_large' });
  });

  test('uploads queue: one worker at a time, each answered with its own model, a failure in between changing nothing', async () => {
    const c = compiler();
    const broken = { language: 'en', intents: [] } as unknown as IntentsFileInput;
    // The first is far bigger than the others: run side by side, it would finish last.
    const finished: number[] = [];
    const jobs = [c.compile(synthetic(60, 40)), c.compile(broken), c.compile(synthetic(2, 3))].map((job, k) => job.finally(() => finished.push(k)));
    const results = await Promise.allSettled(jobs);
    expect(finished).toEqual([0, 1, 2]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const [first, , third] = results as PromiseFulfilledResult<Awaited<ReturnType<OffThreadCompiler['compile']>>>[];
    expect(phraseCount(fromWorker(first!.value).head)).toBe(2400);
    expect(fromWorker(third!.value).head.intents.map((i) => i.path)).toEqual(['/i0', '/i1']);
  });

  test('a registry compiling through it serves the uploaded model with the worker-trained regression; a failed upload changes nothing', async () => {
    const dir = tempDir('sts-off-thread-');
    const c = compiler();
    const registry = new ModelRegistry(dir, undefined, undefined, (source) => c.compile(source));
    const { entry, tuning } = await registry.put('bot', bot);
    expect(tuning).toEqual(compile(bot).tuning);
    expect(await answer(entry.classifier, 'next train from garching')).toEqual(await answer(createClassifier(compile(bot).model), 'next train from garching'));
    const file = path.join(dir, 'bot.model.json');
    const written = readFileSync(file, 'utf8');
    // The worker made the file's text, as saveModel would write it; it loads as the same model.
    expect(written).toBe(modelFileText(compile(bot).model));
    expect(JSON.parse(written)).toHaveProperty('regression.sha256'); // a restart loads it rather than training it
    expect(await loadModel(file)).toEqual(compile(bot).model);
    // Settings that do not compile are the uploader's mistake: invalid_source, as in-thread.
    const bad = await registry.put('bot', { ...bot, settings: { probabilityWeight: -1 } }).catch((e: unknown) => e);
    expect((bad as StsError).code).toBe('invalid_source');
    // A worker that dies: the same. The old model serves on, its file untouched.
    const dies = new OffThreadCompiler({ workerUrl: fixtureWorker('exits.mjs') });
    const crashed = new ModelRegistry(dir, undefined, undefined, (source) => dies.compile(source));
    crashed.add('bot', servedModel(registry, 'bot'), entry.classifier);
    await expect(crashed.put('bot', pizza)).rejects.toThrow('without an answer');
    for (const r of [registry, crashed]) expect(r.get('bot')!.classifier).toBe(entry.classifier);
    expect(readFileSync(file, 'utf8')).toBe(written);
    expect(readdirSync(dir)).toEqual(['bot.model.json']);
  });

  test('an upload gives the event loop turns between receiving the model, preparing it and writing it', async () => {
    // A compiler that answers at once and no folder: without those turns, nothing else would run until the swap.
    const registry = new ModelRegistry(undefined, undefined, undefined, async (upload) => compileUpload(upload));
    const turns: string[] = [];
    const upload = registry.put('bot', bot).then(() => turns.push('swapped'));
    setImmediate(() => turns.push('a request'));
    await upload;
    expect(turns).toEqual(['a request', 'swapped']);
  });
});
