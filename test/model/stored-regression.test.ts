import fs from 'node:fs';
import path from 'node:path';
import { createClassifier, englishVectors } from '../../src/lexicons.js';
import { featureSpace } from '../../src/engine/probability/features.js';
import { trainModelRegression } from '../../src/engine/probability/model-regression.js';
import { compile } from '../../src/model/compile-source.js';
import { loadModel, readModel, saveModel } from '../../src/model/io.js';
import type { Model } from '../../src/model/model-schema.js';
import { decodeRegression, encodeRegression, regressionDigest, type StoredRegression } from '../../src/engine/probability/stored-regression.js';
import { regressionBuffers } from '../../src/engine/probability/trained-regression.js';
import { cleanupTempDirs, LEXICAL_ACCURATE, stsErrorOf, stsErrorOfAsync, tempDir } from '../helpers.js';

afterAll(cleanupTempDirs);

// Near duplicates across intents: the regression's factor decides between them. The stems'
// regression (the lexical accurate settings, helpers.ts); the default's reads letters and word
// vectors too (its own describe below).
const source = {
  language: 'en',
  settings: { ...LEXICAL_ACCURATE, probabilityWeight: 1, tuneProbabilityWeight: false },
  intents: [
    { path: '/departure', phrases: ['when is the next train from garching', 'next bus from the airport', 'when does the tram leave', 'departures from marienplatz'] },
    { path: '/connection', phrases: ['when is the next train to garching', 'from garching to the airport', 'how do i get to marienplatz', 'a connection to the airport'] },
  ],
};
const texts = ['next train from garching', 'train to the airport', 'when does the bus leave marienplatz', 'garching', 'hello'];
const events = (model: Model) => {
  const classifier = createClassifier(model);
  return texts.map((t) => classifier.classifySync(t, { explain: false }).alternatives);
};

/** The model saved, its JSON edited, written back and loaded: the model, or the error. */
async function loadEdited(model: Model, edit: (json: Model) => void) {
  const file = path.join(tempDir(), 'model.json');
  await saveModel(file, model);
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Model;
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json));
  return { file, load: () => loadModel(file) };
}
const arrays = (r: { stemStart: Int32Array; weightIntent: Int32Array; weights: Float32Array; bias: Float64Array }) => [r.stemStart, r.weightIntent, r.weights, r.bias].map((a) => [...a]);

describe('the regression a model stores', () => {
  const { model, regression } = compile(source);

  test('is trained at compilation when probabilityWeight is above 0, and only then', () => {
    expect(model.regression).toMatchObject({ passes: expect.any(Number), sha256: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(regression!.modelId).toBe(model.id);
    expect(arrays(regression!)).toEqual(arrays(trainModelRegression(model, featureSpace(model))));
    const plain = compile({ ...source, settings: { ...LEXICAL_ACCURATE, probabilityWeight: 0, tuneProbabilityWeight: false } });
    expect(plain.model.regression).toBeUndefined();
    expect(plain.regression).toBeUndefined();
  });

  test('is not part of the id: the model without it has the same id and, trained on load, classifies alike', async () => {
    const { regression: _r, ...without } = model;
    const { load } = await loadEdited(model, (json) => void delete json.regression);
    const loaded = await load();
    expect(loaded.id).toBe(model.id);
    expect(loaded.regression).toBeUndefined();
    expect(events(loaded)).toEqual(events(model));
    expect(events(without)).toEqual(events(model));
  });

  test('survives saveModel → loadModel: the same model, arrays and events', async () => {
    const loaded = await loadModel((await loadEdited(model, () => undefined)).file);
    expect(loaded).toEqual(model);
    expect(arrays(createClassifier(loaded).trainedRegression())).toEqual(arrays(regression!));
    expect(events(loaded)).toEqual(events(model));
  });

  test('readModel gives it decoded with the model: a classifier given it uses those arrays and answers alike', async () => {
    const { model: loaded, regression: decoded } = await readModel((await loadEdited(model, () => undefined)).file);
    expect(loaded).toEqual(model);
    expect(arrays(decoded!)).toEqual(arrays(regression!));
    const classifier = createClassifier(loaded, { regression: decoded });
    expect(classifier.trainedRegression()).toBe(decoded);
    expect(texts.map((t) => classifier.classifySync(t, { explain: false }).alternatives)).toEqual(events(model));
  });

  test('each classifier owns its arrays: transferring one\u2019s, or compile()\u2019s, leaves the others answering', async () => {
    const loaded = await loadModel((await loadEdited(model, () => undefined)).file);
    const [first, second] = [createClassifier(loaded), createClassifier(loaded)];
    const compiled = compile(source);
    const fromCompile = createClassifier(compiled.model);
    const before = [second, fromCompile].map((c) => texts.map((t) => c.classifySync(t, { explain: false }).alternatives));
    for (const r of [first.trainedRegression(), compiled.regression!]) structuredClone(r, { transfer: regressionBuffers(r) });
    expect(first.trainedRegression().weights.length).toBe(0); // detached: those were its own
    expect([second, fromCompile].map((c) => texts.map((t) => c.classifySync(t, { explain: false }).alternatives))).toEqual(before);
  });

  test('is what the classifier uses: other weights, stored with a valid digest, give other scores', async () => {
    const other = { ...regression!, weights: regression!.weights.map((w) => -w) };
    const { load } = await loadEdited(model, (json) => void (json.regression = encodeRegression(other)));
    const loaded = await load();
    expect(arrays(createClassifier(loaded).trainedRegression())).toEqual(arrays(other));
    expect(events(loaded)).not.toEqual(events(model));
  });
});

describe('the regression of the default settings (stems, their 3-grams and word vectors)', () => {
  const { model, regression } = compile({ ...source, settings: { probabilityWeight: 1, tuneProbabilityWeight: false } });

  test('is trained with the shipped vectors and stored whole: n-gram rows and the sentence vector\u2019s weights', () => {
    expect(model.settings).toMatchObject({ preset: 'accurate', charGrams: 3 });
    const space = featureSpace(model, englishVectors());
    expect(space.rows).toBeGreaterThan(model.stems.length);
    expect(regression!.stemStart).toHaveLength(space.rows + 1);
    expect(regression!.vector).toHaveLength(space.dims * model.intents.length);
    expect(arrays(regression!)).toEqual(arrays(trainModelRegression(model, space)));
    expect([...regression!.vector!]).toEqual([...trainModelRegression(model, space).vector!]);
  });

  test('survives saveModel \u2192 readModel: the same arrays and the same events', async () => {
    const { model: loaded, regression: decoded } = await readModel((await loadEdited(model, () => undefined)).file);
    expect(loaded).toEqual(model);
    expect(arrays(decoded!)).toEqual(arrays(regression!));
    expect([...decoded!.vector!]).toEqual([...regression!.vector!]);
    expect(texts.map((t) => createClassifier(loaded, { regression: decoded }).classifySync(t, { explain: false }).alternatives)).toEqual(events(model));
  });
});

describe('a damaged stored regression is invalid_model at `regression`', () => {
  const { model, regression } = compile(source);
  const r = regression!;
  const cases: [string, (json: Model) => void, RegExp][] = [
    ['an edited weight', (json) => void (json.regression!.weights = 'A' + json.regression!.weights.slice(1)), /does not match its sha256/],
    ['an edited pass count', (json) => void (json.regression!.passes += 1), /does not match its sha256/],
    ['another model\u2019s regression', (json) => void (json.regression = encodeRegression({ ...r, modelId: 'sha256:' + '0'.repeat(32) })), /does not match its sha256/],
    ['bytes that are not whole numbers', (json) => void (json.regression = encodeRegression({ ...r, weights: new Uint8Array(6) as unknown as Float32Array })), /weights is 6 bytes, not whole 4-byte numbers/],
    ['arrays that do not fit the model', (json) => void (json.regression = encodeRegression({ ...r, bias: new Float64Array(5) })), /5 biases do not fit 2 intents/],
    ['text that is not base64, signed anew', (json) => void Object.assign(json.regression!, { weights: '!!' + json.regression!.weights }, { sha256: regressionDigest(json.id, { ...json.regression!, weights: '!!' + json.regression!.weights }) }), /weights is not base64 text/],
    ['a weight that is not finite', (json) => void (json.regression = encodeRegression({ ...r, weights: r.weights.map((w, i) => (i === 0 ? NaN : w)) })), /not all finite/],
  ];
  test.each(cases)('%s', async (_name, edit, message) => {
    const { file, load } = await loadEdited(model, edit);
    const e = await stsErrorOfAsync(load);
    expect(e.code).toBe('invalid_model');
    expect(e.message).toContain(file);
    expect(e.message).toMatch(message);
    expect(e.details[0]).toMatchObject({ file, path: 'regression' });
  });

  test('a missing field is refused by the schema, naming it', async () => {
    const { load } = await loadEdited(model, (json) => void delete (json.regression as Partial<StoredRegression>).sha256);
    const e = await stsErrorOfAsync(load);
    expect(e.code).toBe('invalid_model');
    expect(e.message).toContain('regression.sha256');
  });

  test('a model given to createClassifier in memory is checked the same way', () => {
    const damaged = { ...model, regression: { ...model.regression!, passes: model.regression!.passes + 1 } };
    const e = stsErrorOf(() => createClassifier(damaged));
    expect(e.code).toBe('invalid_model');
    expect(e.details[0]).toMatchObject({ path: 'regression' });
  });

  test('decodeRegression gives arrays of the caller\u2019s own each time, checked against the model', () => {
    const fits = [model.id, model.stems.length, model.intents.length] as const;
    const stored = encodeRegression(r);
    const decoded = [decodeRegression(stored, ...fits).regression!, decodeRegression(stored, ...fits).regression!];
    expect(decoded[0]).not.toBe(decoded[1]);
    expect(decoded.map(arrays)).toEqual([arrays(r), arrays(r)]);
    // Arrays that do not fit the model are refused, and without the transfer hint.
    expect(decodeRegression(stored, model.id, model.stems.length + 1, model.intents.length).problem).toMatch(/stem offsets do not fit \d+ stems$/);
    expect(decodeRegression(stored, model.id, model.stems.length, 3).problem).toMatch(/biases do not fit 3 intents$/);
    expect(decodeRegression(stored, 'sha256:' + '0'.repeat(32), model.stems.length, model.intents.length).problem).toMatch(/sha256/);
  });
});
