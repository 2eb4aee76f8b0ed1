import { jest } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { createClassifier } from '../../src/lexicons.js';
import { compile } from '../../src/model/compile-source.js';
import { modelId } from '../../src/model/compile.js';
import { MODEL_VERSION, type Model } from '../../src/model/model-schema.js';
import { validateModel } from '../../src/model/validate-model.js';
import { cleanupTempDirs, compileJaicp, REPO, stsErrorOf, stsErrorOfAsync, tempDir } from '../helpers.js';

/**
 * io.ts is loaded after mocking node:fs/promises so a test can make a write or a rename fail
 * (the tests run as any user, so file permissions cannot be relied on to make writes fail).
 * Without a failure set, every call goes to the real module.
 */
const failures: { writeFile?: boolean; rename?: boolean } = {};
jest.unstable_mockModule('node:fs/promises', () => {
  const real = fs.promises;
  return {
    ...real,
    default: real,
    writeFile: async (file: fs.PathLike, data: string, options?: fs.WriteFileOptions) => {
      if (failures.writeFile) {
        await real.writeFile(file, data.slice(0, Math.floor(data.length / 2)), options); // half written, then the disk is full
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      }
      return real.writeFile(file, data, options);
    },
    rename: async (from: fs.PathLike, to: fs.PathLike) => {
      if (failures.rename) throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
      return real.rename(from, to);
    },
  };
});
const { loadModel, saveModel, trainFromFiles } = await import('../../src/model/io.js');

afterEach(() => {
  failures.writeFile = false;
  failures.rename = false;
});
afterAll(cleanupTempDirs);

const source = {
  language: 'en',
  synonyms: [{ words: ['cab', 'taxi'] }],
  stopWords: ['please'],
  intents: [
    { path: '/hello', answer: 'Hi!', phrases: ['hello', 'hi there'] },
    { path: '/taxi', phrases: ['order a taxi', 'call me a cab'] },
    { path: '/table', phrases: ['book a table for two'] },
  ],
};
const texts = ['hello', 'please order a cab', 'booking a table', 'something else', 'a'.repeat(401)];

/** A saved model file, read back as JSON so a test can damage it. */
async function savedJson(dir: string, model: Model) {
  const file = path.join(dir, 'model.json');
  await saveModel(file, model);
  return { file, json: JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> & Model };
}
const write = (file: string, value: unknown) => fs.writeFileSync(file, JSON.stringify(value));

/** Saves the model, edits its JSON, writes it back, and returns the file and the error loading it gives. */
async function loadEdited(model: Model, edit: (json: Record<string, unknown> & Model) => void) {
  const { file, json } = await savedJson(tempDir(), model);
  edit(json);
  write(file, json);
  return { file, e: await stsErrorOfAsync(() => loadModel(file)) };
}

describe('model file round trip', () => {
  test('compile → save → load gives the same model and the same classifications', async () => {
    const { model } = compile(source);
    const file = path.join(tempDir(), 'model.json');
    await saveModel(file, model);
    const loaded = await loadModel(file);
    expect(loaded).toEqual(model);
    const before = createClassifier(model);
    const after = createClassifier(loaded);
    for (const text of texts) {
      const { elapsedMs: _a, ...a } = before.classifySync(text);
      const { elapsedMs: _b, ...b } = after.classifySync(text);
      expect(b).toEqual(a);
    }
  });

  // Files written before these settings existed were compiled with JAICP's defaults (the jaicp preset).
  test('a file written before probabilityWeight existed still loads, with its id; a non-default value changes the id', async () => {
    const { model } = compileJaicp(source);
    const { file, json } = await savedJson(tempDir(), model);
    delete (json.settings as Partial<Model['settings']>).probabilityWeight;
    write(file, json);
    const loaded = await loadModel(file);
    expect(loaded.id).toBe(model.id);
    expect(loaded.settings.probabilityWeight).toBe(0);
    expect(compileJaicp({ ...source, settings: { probabilityWeight: 0.2 } }).model.id).not.toBe(model.id);
  });

  test('the same for a file compiled with preset accurate: the setting reads 0 (as compiled), not the preset\u2019s value', async () => {
    const { model } = compile({ ...source, settings: { preset: 'accurate', probabilityWeight: 0 } });
    const { file, json } = await savedJson(tempDir(), model);
    delete (json.settings as Partial<Model['settings']>).probabilityWeight;
    write(file, json);
    const loaded = await loadModel(file);
    expect(loaded.id).toBe(model.id);
    expect(loaded.settings).toMatchObject({ preset: 'accurate', probabilityWeight: 0, idfScope: 'both', charGrams: 3 });
  });

  test('settings added later are left out of the file at their default (older builds read it), written when set', async () => {
    const later = ['probabilityWeight', 'probabilityFloor', 'tuneProbabilityWeight', 'charGrams', 'wordVectors', 'vectorMatch', 'vectorMatchThreshold', 'thesaurus', 'spellingCorrection', 'calibrate', 'intentNames'];
    const plain = (await savedJson(tempDir(), compileJaicp(source).model)).json.settings as Record<string, unknown>;
    for (const key of later) expect(plain).not.toHaveProperty(key);
    expect(plain).toHaveProperty('threshold');
    const accurate = (await savedJson(tempDir(), compile({ ...source, settings: { preset: 'accurate' } }).model)).json.settings;
    expect(accurate).toMatchObject({ probabilityWeight: expect.any(Number), charGrams: 3, wordVectors: 2, vectorMatch: 0.8, intentNames: true });
    // Tuning and calibration act when the model is compiled: the model holds their outcome as plain values.
    expect(accurate).not.toHaveProperty('tuneProbabilityWeight');
    expect(accurate).not.toHaveProperty('calibrate');
  });

  test('saves one JSON document ending in a newline and leaves no temp file', async () => {
    const dir = tempDir();
    await saveModel(path.join(dir, 'model.json'), compile(source).model);
    expect(fs.readdirSync(dir)).toEqual(['model.json']);
    expect(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).toMatch(/^\{.*\}\n$/s);
  });

  test('overwrites an existing model file', async () => {
    const file = path.join(tempDir(), 'model.json');
    await saveModel(file, compile(source).model);
    const other = compile({ ...source, intents: [{ path: '/x', phrases: ['x'] }] }).model;
    await saveModel(file, other);
    expect((await loadModel(file)).id).toBe(other.id);
  });
});

describe('model id', () => {
  test('is a content hash: the same source gives the same id', () => {
    const a = compile(source).model;
    const b = compile(structuredClone(source)).model;
    expect(a.id).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(b.id).toBe(a.id);
  });

  test.each([
    ['a changed phrase', { ...source, intents: [{ ...source.intents[0]!, phrases: ['hello', 'hi there!'] }, ...source.intents.slice(1)] }],
    ['an added phrase', { ...source, intents: [{ ...source.intents[0]!, phrases: ['hello', 'hi there', 'hey'] }, ...source.intents.slice(1)] }],
    ['a changed answer', { ...source, intents: [{ ...source.intents[0]!, answer: 'Hello!' }, ...source.intents.slice(1)] }],
    ['a changed setting', { ...source, settings: { threshold: 0.3 } }],
    ['another language', { ...source, language: 'de' }],
    ['another synonym group', { ...source, synonyms: [{ words: ['cab', 'car'] }] }],
  ])('changes with %s', (_name, changed) => {
    expect(compile(changed).model.id).not.toBe(compile(source).model.id);
  });

  test('does not depend on whether a default setting is written out', () => {
    expect(compile({ ...source, settings: { threshold: 0.2 } }).model.id).toBe(compile(source).model.id);
  });
});

describe('damaged model files', () => {
  const { model } = compile(source);

  test('a truncated file is invalid_model naming the file', async () => {
    const dir = tempDir();
    const { file } = await savedJson(dir, model);
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    const e = await stsErrorOfAsync(() => loadModel(file));
    expect(e.code).toBe('invalid_model');
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/not valid JSON/);
  });

  test.each([
    ['a wrong format', { format: 'something-else' }],
    ['no format', { format: undefined }],
  ])('%s is invalid_model saying it is not a model', async (_name, patch) => {
    const { file, e } = await loadEdited(model, (json) => Object.assign(json, patch));
    expect(e.code).toBe('invalid_model');
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/not an sts-classifier model/);
  });

  test('a JSON value that is not an object is invalid_model', async () => {
    const file = path.join(tempDir(), 'model.json');
    write(file, [1, 2, 3]);
    expect((await stsErrorOfAsync(() => loadModel(file))).code).toBe('invalid_model');
  });

  test('version 99 is model_version, saying which version this build reads', async () => {
    const { file, e } = await loadEdited(model, (json) => Object.assign(json, { version: 99 }));
    expect(e.code).toBe('model_version');
    expect(e.message).toContain(file);
    expect(e.message).toContain('99');
    expect(e.message).toContain(`reads version ${MODEL_VERSION}`);
  });

  test('an edited phrase text is invalid_model: the content no longer matches the id', async () => {
    const { file, e } = await loadEdited(model, (json) => void (json.phrases[0]!.text = 'hello (edited)'));
    expect(e.code).toBe('invalid_model');
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/does not match its id/);
    expect(e.details[0]!.path).toBe('id');
  });

  test('an edited id is invalid_model', async () => {
    const { e } = await loadEdited(model, (json) => Object.assign(json, { id: 'sha256:' + '0'.repeat(32) }));
    expect(e.code).toBe('invalid_model');
  });

  test.each([
    ['a term id of a phrase', (m: Model) => void (m.phrases[1]!.terms[0] = 9999), 'phrases.1.terms.0'],
    ['the intent id of a phrase', (m: Model) => void (m.phrases[0]!.intent = 42), 'phrases.0.intent'],
    ['a stem id of a term', (m: Model) => void (m.termStems[2] = 9999), 'termStems.2'],
    ['a phrase id in the index', (m: Model) => void (m.postings[0]![0] = 9999), 'postings.0.0'],
    ['a stem id of a synonym group', (m: Model) => void (m.synonyms[0]!.stems[1] = 9999), 'synonyms.0.stems.1'],
  ])('an out-of-range id (%s) is invalid_model naming its JSON path', async (_name, damage, jsonPath) => {
    const { file, e } = await loadEdited(model, damage);
    expect(e.code).toBe('invalid_model');
    expect(e.message).toContain(jsonPath);
    expect(e.details[0]).toMatchObject({ file, path: jsonPath });
  });

  test.each([
    ['a missing table', (m: Record<string, unknown>) => void delete m.stems, 'stems'],
    ['a table of the wrong type', (m: Record<string, unknown>) => void (m.df = 'many'), 'df'],
    ['a negative id', (m: Record<string, unknown>) => void ((m as unknown as Model).phrases[0]!.terms[0] = -1), 'phrases.0.terms.0'],
    ['an unknown key', (m: Record<string, unknown>) => void (m.extra = true), 'extra'],
    ['a setting out of range', (m: Record<string, unknown>) => void ((m as unknown as Model).settings.threshold = -1), 'settings.threshold'],
    ['tables of different lengths', (m: Record<string, unknown>) => void (m as unknown as Model).df.push(1), 'df'],
  ])('%s is invalid_model naming the field', async (_name, damage, field) => {
    const { file, e } = await loadEdited(model, damage);
    expect(e.code).toBe('invalid_model');
    expect(e.message).toContain(field);
  });

  test('a missing model file is not_found', async () => {
    const file = path.join(tempDir(), 'nope.json');
    const e = await stsErrorOfAsync(() => loadModel(file));
    expect(e.code).toBe('not_found');
    expect(e.message).toContain(file);
  });

  test('a binary model file is invalid_model', async () => {
    const file = path.join(tempDir(), 'model.json');
    fs.writeFileSync(file, Buffer.from([0x7b, 0x00, 0x7d]));
    expect((await stsErrorOfAsync(() => loadModel(file))).code).toBe('invalid_model');
  });

  test('validateModel accepts the model compile gives and rejects a damaged copy', () => {
    expect(validateModel(structuredClone(model))).toEqual(model);
    const damaged = structuredClone(model);
    damaged.phrases[0]!.terms[0] = 9999;
    expect(stsErrorOf(() => validateModel(damaged)).code).toBe('invalid_model');
  });
});

describe('a model with entities, patterns and slots', () => {
  const rich = {
    language: 'en',
    allowedPatterns: ['City'],
    entities: [
      { name: 'City', records: [{ type: 'synonyms' as const, value: 'Moscow', words: ['Moscow', 'Moskva'] }, { type: 'synonyms' as const, words: ['Paris'] }] },
      { name: 'Zip', records: [{ type: 'synonyms' as const, value: 'home', words: ['my place'] }, { type: 'pattern' as const, pattern: '\\d{6}', value: 'zip' }] },
    ],
    intents: [
      {
        path: '/weather',
        phrases: ['weather in Moscow', 'forecast for @City at @Zip'],
        patterns: ['(weather|forecast) * @City *'],
        slots: [{ name: 'city', entity: 'City', required: true }, { name: 'zips', entity: '@Zip', array: true }],
      },
      { path: '/apples', phrases: ['i need @duckling.number apples'], slots: [{ name: 'n', entity: 'duckling.number' }] },
      { path: '/hi', patterns: ['(hi|hey) [there]', '$regex<\\d+> times hello'] },
    ],
  };
  const { model } = compile(rich);
  const richTexts = [
    'weather in Paris', 'forecast for Moskva at 123456', 'weather today in Moscow please', 'forecast for my place',
    'i need 12 apples', 'i need twelve apples', 'hey there', '3 times hello', 'weather', 'a'.repeat(401),
  ];

  test('survives saveModel → loadModel: the same id, the same model, the same events with their slots', async () => {
    expect(model.patterns).toHaveLength(3);
    expect(model.entities.entities).toHaveLength(2);
    const file = path.join(tempDir(), 'rich.model.json');
    await saveModel(file, model);
    const loaded = await loadModel(file);
    expect(loaded.id).toBe(model.id);
    expect(loaded).toEqual(model);
    const before = createClassifier(model);
    const after = createClassifier(loaded);
    for (const text of richTexts) {
      const { elapsedMs: _a, ...a } = before.classifySync(text);
      const { elapsedMs: _b, ...b } = after.classifySync(text);
      expect([text, b]).toEqual([text, a]);
    }
    expect(after.classifySync('forecast for Moskva at 123456').slots).toEqual([
      { name: 'city', entity: 'City', value: 'Moscow', text: 'Moskva', start: 13, end: 19 },
      { name: 'zips', entity: 'Zip', value: 'zip', text: '123456', start: 23, end: 29 },
    ]);
    expect(after.classifySync('weather today in Moscow please')).toMatchObject({ rule: 'pattern', slots: [{ name: 'city', value: 'Moscow' }] });
  });

  test('the id depends on entities, allowedPatterns, patterns and slots', () => {
    const ids = [
      compile({ ...rich, allowedPatterns: [] }).model.id,
      compile({ ...rich, entities: [rich.entities[0]!, { ...rich.entities[1]!, records: [rich.entities[1]!.records[1]!] }] }).model.id,
      compile({ ...rich, intents: [{ ...rich.intents[0]!, patterns: ['weather *'] }, ...rich.intents.slice(1)] }).model.id,
      compile({ ...rich, intents: [{ ...rich.intents[0]!, slots: [{ name: 'city', entity: 'City' }] }, ...rich.intents.slice(1)] }).model.id,
    ];
    expect(new Set([model.id, ...ids]).size).toBe(5);
  });

  type Damage = (m: Model) => void;
  test.each<[string, Damage, string]>([
    ['a pattern node of an unknown kind', (m) => void ((m.patterns[0]!.tree as { items: unknown[] }).items[0] = { kind: 'bogus' }), 'patterns.0.tree'],
    ['alternatives with one option', (m) => void ((m.patterns[0]!.tree as { items: { options: unknown[] }[] }).items[0]!.options.pop()), 'patterns.0.tree.items.0.options'],
    ['a word form that is not normalized', (m) => void ((m.patterns[2]!.tree as { items: { form: string }[] }).items[1]!.form = 'Times!'), 'patterns.2.tree.items.1.form'],
    ['a tree parsing could not have produced', (m) => void (m.patterns[1]!.tree = { kind: 'sequence', items: [{ kind: 'any' }, { kind: 'sequence', items: [{ kind: 'word', form: 'a' }, { kind: 'word', form: 'b' }] }] }), 'patterns.1.tree'],
    ['a regex node that RE2 rejects', (m) => void ((m.patterns[2]!.tree as { items: { source: string }[] }).items[0]!.source = '(\\d+'), 'patterns.2.tree.items.0.source'],
    ['the intent id of a pattern', (m) => void (m.patterns[1]!.intent = 7), 'patterns.1.intent'],
    ['a pattern without its tree', (m) => void delete (m.patterns[0] as { tree?: unknown }).tree, 'patterns.0.tree'],
    ['an entity record of an unknown type', (m) => void ((m.entities.entities[1]!.records[1] as { type: string }).type = 'regex'), 'entities.entities.1.records.1.type'],
    ['a slot without an entity name', (m) => void (m.intents[0]!.slots![0]!.entity = ''), 'intents.0.slots.0.entity'],
  ])('%s is invalid_model naming its JSON path', async (_name, damage, jsonPath) => {
    const { file, e } = await loadEdited(model, damage);
    expect(e.code).toBe('invalid_model');
    expect(e.message).toContain(file);
    expect(e.message).toContain(jsonPath);
    expect(e.details[0]).toMatchObject({ file, path: jsonPath });
  });

  test('a pattern source edited to another valid pattern is caught by the content hash', async () => {
    const { file, e } = await loadEdited(model, (json) => void (json.patterns[0]!.source = 'weather *'));
    expect(e.code).toBe('invalid_model');
    expect(e.details[0]).toMatchObject({ file, path: 'id' });
  });

  // The entity tables point into each other and hold regexes, which the zod shape alone does not
  // check: a regex that does not compile or an index into the wrong record is named by its JSON
  // path, like every other damaged table, before the content hash is compared; and with the id
  // recomputed it is still refused when the file is loaded, not later by createClassifier.
  test.each<[string, Damage, string]>([
    ['an entity regex edited to be invalid', (m) => void ((m.entities.entities[1]!.records[1] as { pattern: string }).pattern = '(\\d{6}'), 'entities.entities.1.records.1.pattern'],
    ['an entity regex RE2 does not support (a lookahead)', (m) => void ((m.entities.entities[1]!.records[1] as { pattern: string }).pattern = '\\d{6}(?=x)'), 'entities.entities.1.records.1.pattern'],
    ['a synonym phrase pointing at a record that does not exist', (m) => void (m.entities.synonyms[0]!.phrases[0]!.record = 99), 'entities.synonyms.0.phrases.0'],
  ])('%s is invalid_model naming its JSON path', async (_name, damage, jsonPath) => {
    const { file, e } = await loadEdited(model, damage);
    expect(e.code).toBe('invalid_model');
    expect(e.details[0]).toMatchObject({ file, path: jsonPath });
  });

  test('an entity regex edited to be invalid, with the id recomputed, is still rejected by loadModel', async () => {
    const { file, e } = await loadEdited(model, (json) => {
      (json.entities.entities[1]!.records[1] as { pattern: string }).pattern = '(\\d{6}';
      const { id: _id, ...body } = json;
      json.id = modelId(body);
    });
    expect(e.code).toBe('invalid_model');
    expect(e.details[0]).toMatchObject({ file, path: 'entities.entities.1.records.1.pattern' });
  });
});

describe('saveModel is atomic', () => {
  const { model } = compile(source);
  const other = compile({ ...source, intents: [{ path: '/other', phrases: ['other'] }] }).model;

  test('writing into a missing folder is io_error naming the file and leaves no temp file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'missing', 'model.json');
    const e = await stsErrorOfAsync(() => saveModel(file, model));
    expect(e.code).toBe('io_error');
    expect(e.message).toContain(file);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a write that fails half way leaves the existing model whole and no temp file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'model.json');
    await saveModel(file, model);
    const before = fs.readFileSync(file, 'utf8');
    failures.writeFile = true;
    const e = await stsErrorOfAsync(() => saveModel(file, other));
    expect(e.code).toBe('io_error');
    expect(e.message).toMatch(/ENOSPC/);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(fs.readdirSync(dir)).toEqual(['model.json']);
    expect((await loadModel(file)).id).toBe(model.id);
  });

  test('a rename that fails leaves the existing model whole and no temp file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'model.json');
    await saveModel(file, model);
    failures.rename = true;
    const e = await stsErrorOfAsync(() => saveModel(file, other));
    expect(e.code).toBe('io_error');
    expect(fs.readdirSync(dir)).toEqual(['model.json']);
    expect((await loadModel(file)).id).toBe(model.id);
  });

  test('saving over a folder is io_error and leaves the folder alone', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'model.json');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'keep'), 'x');
    expect((await stsErrorOfAsync(() => saveModel(target, model))).code).toBe('io_error');
    expect(fs.readdirSync(dir)).toEqual(['model.json']);
    expect(fs.readdirSync(target)).toEqual(['keep']);
  });
});

describe('the shipped demo model', () => {
  test('models/demo.model.json equals a fresh compile of models/demo/intents.yaml', async () => {
    const shipped = await loadModel(path.join(REPO, 'models/demo.model.json'));
    const { model: fresh } = await trainFromFiles([path.join(REPO, 'models/demo/intents.yaml')]);
    // If this fails, regenerate: node bin/sts.js train models/demo/intents.yaml --out models/demo.model.json
    expect(shipped.id).toBe(fresh.id);
    expect(shipped).toEqual(fresh);
  });
});
