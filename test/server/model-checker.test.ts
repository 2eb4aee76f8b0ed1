import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fileText, modelFileBytes, modelFileText } from '../../src/model/io.js';
import { checkModel, modelOfChecked } from '../../src/model/validate-model.js';
import { createClassifier } from '../../src/lexicons.js';
import { headOf } from '../../src/model/model-head.js';
import { modelToCailaProject } from '../../src/model/caila-export.js';
import { folderSummariser, ModelChecker, SUMMARY_HERE_BYTES } from '../../src/server/model-checker.js';
import { ModelRegistry } from '../../src/server/registry.js';
import { FolderStore } from '../../src/store/folder-store.js';
import type { Model } from '../../src/model/model-schema.js';
import type { ModelSummary } from '../../src/store/store.js';
import { summaryOf, summaryOfFile } from '../../src/store/summary.js';
import { builtFile, cleanupTempDirs, tempDir } from '../helpers.js';
import { botSource, modelOf, pizzaSource } from './server-helpers.js';

/**
 * Stored models are checked in a thread of their own when the server classifies in threads:
 * loading a model on its first request holds no other tenant's answers.
 */

let checker: ModelChecker;
beforeAll(() => void (checker = new ModelChecker(pathToFileURL(builtFile('server/check-worker.js')))), 120_000);
afterAll(async () => {
  await checker.close();
  cleanupTempDirs();
});

const bytesOf = (text: string) => Buffer.from(text, 'utf8');
const jaicp = (source: typeof botSource) => ({ ...source, settings: { ...source.settings, preset: 'jaicp' as const } });
/** A model's file edited by hand after compilation: its content no longer hashes to its id. */
const handEdited = (model: Model) => bytesOf(JSON.stringify({ ...JSON.parse(modelFileText(model)), intents: [...model.intents].reverse() }));

/** A models folder with these bots (JAICP's settings) as the server writes them, and `broken`: pizza's model, hand-edited. */
async function storeWithBroken(prefix: string, sources: Record<string, typeof botSource>): Promise<{ store: FolderStore; edited: Model }> {
  const store = new FolderStore(tempDir(prefix));
  for (const [name, source] of Object.entries(sources)) {
    const model = modelOf(jaicp(source));
    await store.write(name, modelFileBytes(model), summaryOf(model));
  }
  const edited = modelOf(jaicp(pizzaSource));
  await store.write('broken', handEdited(edited), summaryOf(edited));
  return { store, edited };
}

test('the thread gives the head of the model the event loop would have checked, and writes its Caila export', async () => {
  const file = modelFileBytes(modelOf(botSource));
  const model = checkModel(JSON.parse(fileText(file))).model;
  expect(await checker.check(file)).toEqual(headOf(model));
  expect(JSON.parse(await checker.cailaExport(file, 'bot'))).toEqual(JSON.parse(JSON.stringify(modelToCailaProject(model, 'bot'))));
});

test('a damaged model is refused with the check’s own code and details; the thread goes on checking', async () => {
  await expect(checker.check(handEdited(modelOf(jaicp(botSource))))).rejects.toMatchObject({ code: 'invalid_model', message: expect.stringContaining('does not match its id') });
  await expect(checker.check(bytesOf('{"format":'))).rejects.toMatchObject({ code: 'invalid_model', message: expect.stringContaining('not valid JSON') });
  const pizza = modelOf(jaicp(pizzaSource));
  expect((await checker.check(modelFileBytes(pizza))).id).toBe(pizza.id);
});

test('a thread that dies fails the checks it held, and the next check starts another', async () => {
  const dir = tempDir('sts-checker-');
  const dies = path.join(dir, 'dies.mjs');
  writeFileSync(dies, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(3));\n");
  const dying = new ModelChecker(pathToFileURL(dies));
  await expect(dying.check(bytesOf('{}'))).rejects.toThrow("the model checker's thread stopped (exit code 3)");
  await expect(dying.check(bytesOf('{}'))).rejects.toThrow('exit code 3'); // a new thread, which dies in turn
  await dying.close();
});

test('a thread that dies on one job fails that job only: the jobs queued behind it are answered by a new thread', async () => {
  const dir = tempDir('sts-checker-');
  const script = path.join(dir, 'dies-on-die.mjs');
  writeFileSync(
    script,
    "import { parentPort } from 'node:worker_threads';\n" +
      "parentPort.on('message', (m) => { if (new TextDecoder().decode(m.file) === 'die') process.exit(3); parentPort.postMessage({ id: m.id, ok: true, text: 'null' }); });\n",
  );
  const checker = new ModelChecker(pathToFileURL(script));
  try {
    const jobs = [checker.summary(bytesOf('die')), checker.summary(bytesOf('{}')), checker.summary(bytesOf('die')), checker.summary(bytesOf('{}'))];
    const settled = await Promise.allSettled(jobs);
    expect(settled.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled']);
  } finally {
    await checker.close();
  }
});

test('with a checker, the registry serves other models while one is being checked, and names a model that fails', async () => {
  const { store } = await storeWithBroken('sts-checker-store-', { bot: botSource, pizza: pizzaSource });
  // A check that answers only when told: the load of "bot" waits on it.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const heldChecker = {
    check: async (file: Uint8Array) => {
      const head = await checker.check(file);
      if (head.intents.some((i) => i.path === botSource.intents![0]!.path)) await held;
      return head;
    },
    cailaExport: (file: Uint8Array, name: string) => checker.cailaExport(file, name),
  };
  const registry = new ModelRegistry(store, undefined, undefined, undefined, { checker: heldChecker });
  await registry.open({ recheckMs: 60_000 });
  try {
    const bot = registry.resolve('bot');
    const pizza = await registry.resolve('pizza');
    expect(pizza?.head.intents.map((i) => i.path)).toEqual(pizzaSource.intents!.map((i) => i.path));
    expect(registry.get('bot')).toBeUndefined(); // still being checked
    release();
    expect((await bot)?.head.id).toBe(modelOf(jaicp(botSource)).id);
    // The export is written by the thread from the file's text, as the event loop would write it.
    const exported = JSON.parse(await registry.cailaExport(pizza!));
    expect(exported).toEqual(JSON.parse(JSON.stringify(modelToCailaProject(modelOf(jaicp(pizzaSource)), 'pizza'))));
    expect(exported).toEqual(JSON.parse(await new ModelRegistry(undefined, undefined).cailaExport(pizza!)));
    await expect(registry.resolve('broken')).rejects.toMatchObject({ code: 'io_error', message: expect.stringMatching(/^model "broken" in the store cannot be loaded: damaged model: its content does not match its id/) });
  } finally {
    await registry.close();
  }
});

test('a load that failed because the checker thread died is tried again at the next request; a damaged file is not', async () => {
  const { store } = await storeWithBroken('sts-checker-died-', { bot: botSource });
  const model = modelOf(jaicp(botSource));
  let checks = 0;
  const flaky = {
    check: (file: Uint8Array) => (++checks === 1 ? Promise.reject(new Error("the model checker's thread stopped (exit code 3)")) : checker.check(file)),
    cailaExport: (file: Uint8Array, name: string) => checker.cailaExport(file, name),
  };
  const registry = new ModelRegistry(store, undefined, undefined, undefined, { checker: flaky });
  await registry.open({ recheckMs: 60_000 });
  try {
    await expect(registry.resolve('bot')).rejects.toMatchObject({ code: 'io_error' });
    expect((await registry.resolve('bot'))?.head.id).toBe(model.id);
    await expect(registry.resolve('broken')).rejects.toMatchObject({ code: 'io_error' });
    const before = checks;
    await expect(registry.resolve('broken')).rejects.toMatchObject({ code: 'io_error', message: expect.stringContaining('does not match its id') });
    expect(checks).toBe(before);
  } finally {
    await registry.close();
  }
});

test('the thread reads a file’s summary as the event loop would: a model’s, or none for what is not one', async () => {
  const file = modelFileBytes(modelOf(botSource));
  expect(await checker.summary(file)).toEqual(summaryOfFile(file));
  expect(await checker.summary(file)).toMatchObject({ id: modelOf(botSource).id, intents: botSource.intents!.length });
  for (const other of [bytesOf('{"format":'), bytesOf('{"format":"other"}'), Buffer.from([0x7b, 0xff, 0x7d])]) expect(await checker.summary(other)).toBeUndefined();
});

test('a models folder lists a file placed by hand through its summariser, asked again once if it fails, and never reads it itself', async () => {
  const dir = tempDir('sts-checker-summary-');
  const model = modelOf(botSource);
  writeFileSync(path.join(dir, 'bot.model.json'), modelFileBytes(model));
  const asked: number[] = [];
  const through = new FolderStore(dir, undefined, (file) => (asked.push(file.byteLength), checker.summary(file)));
  expect(await through.list()).toEqual([expect.objectContaining({ name: 'bot', ...summaryOf(model) })]);
  expect(asked).toEqual([modelFileBytes(model).byteLength]);
  await through.list(); // the same version of the file is not summarised again
  expect(asked).toHaveLength(1);
  // A thread that died once is replaced: the second answer lists the file.
  const told: string[] = [];
  let calls = 0;
  const stopped = () => Promise.reject(new Error("the model checker's thread stopped (exit code 3)"));
  const once = new FolderStore(dir, (_file, message) => told.push(message), (file) => (++calls === 1 ? stopped() : checker.summary(file)));
  expect(await once.list()).toEqual([expect.objectContaining({ name: 'bot', ...summaryOf(model) })]);
  expect([calls, told]).toEqual([2, []]);
  // Failing twice (a file that takes the thread past its heap): left out, said once, not read on the event loop, not asked again.
  calls = 0;
  const failing = new FolderStore(dir, (_file, message) => told.push(message), () => (calls++, stopped()));
  expect(await failing.list()).toEqual([]);
  expect(await failing.list()).toEqual([]);
  await expect(failing.read('bot')).rejects.toMatchObject({ code: 'invalid_model', message: expect.stringContaining('the summariser failed twice') });
  expect(calls).toBe(2);
  expect(told).toEqual(["its summary could not be read: the summariser failed twice (the model checker's thread stopped (exit code 3)): not served"]);
});

test.each([
  [SUMMARY_HERE_BYTES, 'on the event loop', 0],
  [SUMMARY_HERE_BYTES + 1, 'in the thread', 1],
])('a file of %i bytes is summarised %s', async (bytes, _where, calls) => {
  const asked: Uint8Array[] = [];
  const summarise = folderSummariser({ summary: async (file) => (asked.push(file), summaryOfFile(file)) });
  const file = modelFileBytes(modelOf(botSource));
  const padded = new Uint8Array(bytes).fill(0x20); // the model's JSON, then spaces
  padded.set(file);
  expect(await summarise(padded)).toEqual(summaryOfFile(file));
  expect(asked).toHaveLength(calls);
});

test('reads of one version at a time share its summary, and a non-model is told once; a write meanwhile keeps its own summary', async () => {
  const dir = tempDir('sts-checker-shared-');
  const model = modelOf(botSource);
  writeFileSync(path.join(dir, 'bot.model.json'), modelFileBytes(model));
  writeFileSync(path.join(dir, 'junk.model.json'), '{"not": "a model"}');
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const asked: string[] = [];
  const told: string[] = [];
  const store = new FolderStore(dir, (file, message) => told.push(`${path.basename(file)}: ${message}`), async (file) => {
    const summary = summaryOfFile(file);
    asked.push(summary?.id ?? 'none');
    await held;
    return summary;
  });
  const reads = [store.list(), store.info('bot'), expect(store.info('junk')).rejects.toMatchObject({ code: 'invalid_model' }), store.list()];
  await new Promise((r) => setTimeout(r, 20));
  // A newer version written meanwhile, through the store: its summary stays once the held ones end.
  const pizza = modelOf(pizzaSource);
  await store.write('bot', modelFileBytes(pizza), summaryOf(pizza));
  release();
  await Promise.all(reads);
  expect(asked.sort()).toEqual(['none', model.id].sort());
  expect(told).toEqual(['junk.model.json: not an sts-classifier model (damaged, or another kind of JSON): not served']);
  expect(await store.info('bot')).toMatchObject({ id: pizza.id });
  expect(asked).toHaveLength(2);
});

test('a closed checker refuses jobs and starts no thread for them', async () => {
  const dir = tempDir('sts-checker-closed-');
  const marker = path.join(dir, 'started');
  const script = path.join(dir, 'marks.mjs');
  writeFileSync(script, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, '');\n`);
  const closing = new ModelChecker(pathToFileURL(script));
  await closing.close();
  await expect(closing.summary(bytesOf('{}'))).rejects.toThrow("the model checker's thread is closed");
  await expect(closing.check(bytesOf('{}'))).rejects.toThrow('closed');
  await new Promise((r) => setTimeout(r, 200));
  expect(existsSync(marker)).toBe(false);
});

test('a stored file that is not JSON, found by the thread, is remembered until it changes', async () => {
  const dir = tempDir('sts-checker-json-');
  const model = modelOf(jaicp(botSource));
  // A summariser that lists anything, as a store whose summaries are kept apart from the file (PostgreSQL) does.
  const listsAnything = (): ModelSummary => summaryOf(model);
  const store = new FolderStore(dir, undefined, listsAnything);
  writeFileSync(path.join(dir, 'broken.model.json'), '{"format": "sts-classifier-model", "id":');
  let checks = 0;
  const counting = { check: (file: Uint8Array) => (checks++, checker.check(file)), cailaExport: (file: Uint8Array, name: string) => checker.cailaExport(file, name) };
  const registry = new ModelRegistry(store, undefined, undefined, undefined, { checker: counting });
  await registry.open({ recheckMs: 60_000 });
  try {
    await expect(registry.resolve('broken')).rejects.toMatchObject({ code: 'io_error', message: expect.stringContaining('not valid JSON') });
    await expect(registry.resolve('broken')).rejects.toMatchObject({ code: 'io_error', message: expect.stringContaining('not valid JSON') });
    expect(checks).toBe(1);
    writeFileSync(path.join(dir, 'broken.model.json'), modelFileBytes(model));
    expect((await registry.resolve('broken'))?.head.id).toBe(model.id);
  } finally {
    await registry.close();
  }
});

test('a cold model prepared by a thread that checks it and gives its head is not checked again; one the thread refuses fails with its reason, once per version', async () => {
  const { store, edited } = await storeWithBroken('sts-checker-prepared-', { bot: botSource });
  const model = modelOf(jaicp(botSource));
  let checks = 0;
  let prepares = 0;
  const counting = { check: (file: Uint8Array) => (checks++, checker.check(file)), cailaExport: (file: Uint8Array, name: string) => checker.cailaExport(file, name) };
  const registry = new ModelRegistry(store, undefined, undefined, undefined, {
    checker: counting,
    classifiers: (_head, { file }) => createClassifier(modelOfChecked(fileText(file))),
    // What the classify pool's preload does in an idle thread: it checks the file as it prepares it.
    prepare: (_id, file) => (prepares++, { release: () => undefined, head: checker.check(file) }),
  });
  await registry.open({ recheckMs: 60_000 });
  try {
    expect((await registry.resolve('bot'))?.head).toEqual(headOf(model));
    expect(checks).toBe(0);
    await expect(registry.resolve('broken')).rejects.toMatchObject({ code: 'io_error', message: expect.stringContaining('does not match its id') });
    await expect(registry.resolve('broken')).rejects.toMatchObject({ code: 'io_error', message: expect.stringContaining('does not match its id') });
    expect([checks, prepares]).toEqual([0, 2]);
    expect(edited.id).not.toBe(model.id);
  } finally {
    await registry.close();
  }
});

test('a cold model is prepared for its classifiers while the checker checks it; the hold ends once its classifier exists, or the check failed', async () => {
  const { store, edited } = await storeWithBroken('sts-checker-prepare-', { bot: botSource });
  const model = modelOf(jaicp(botSource));
  const events: string[] = [];
  const logged = { check: async (file: Uint8Array) => (events.push('check'), checker.check(file)), cailaExport: (file: Uint8Array, name: string) => checker.cailaExport(file, name) };
  const registry = new ModelRegistry(store, undefined, undefined, undefined, {
    checker: logged,
    classifiers: (head, { file }) => (events.push(`classifier ${head.id} ${file.byteLength}`), createClassifier(modelOfChecked(fileText(file)))),
    prepare: (id, file) => (events.push(`prepare ${id} ${file.byteLength}`), { release: () => void events.push(`end ${id}`) }),
  });
  await registry.open({ recheckMs: 60_000 });
  try {
    await registry.resolve('bot');
    const size = modelFileBytes(model).byteLength;
    expect(events).toEqual([`prepare ${model.id} ${size}`, 'check', `classifier ${model.id} ${size}`, `end ${model.id}`]);
    events.length = 0;
    await expect(registry.resolve('broken')).rejects.toMatchObject({ code: 'io_error' });
    expect(events).toEqual([expect.stringMatching(/^prepare /), 'check', `end ${edited.id}`]);
  } finally {
    await registry.close();
  }
});
