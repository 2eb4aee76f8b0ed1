import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createClassifier } from '../../src/lexicons.js';
import { StsError } from '../../src/errors.js';
import { compile } from '../../src/model/compile-source.js';
import { compileIntentSet } from '../../src/model/compile.js';
import { rowsToIntents } from '../../src/model/parse-training-list.js';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import { pickGamma, ranker, tuningWork, TUNE_BUDGET } from '../../src/model/tune-probability.js';
import { modelToCailaProject } from '../../src/model/caila-export.js';
import { importValue } from '../../src/model/importers/index.js';
import { datasetsDir, LEXICAL_ACCURATE } from '../helpers.js';

// The stems' regression at γ 0.2, tuned (the lexical accurate settings, helpers.ts).
// Three intents that share no words: every held-out phrase is right at any γ.
const distinct: IntentsFileInput = {
  language: 'en',
  settings: LEXICAL_ACCURATE,
  intents: [
    { path: '/weather', phrases: ['what is the weather today', 'weather forecast for today', 'will the weather be sunny'] },
    { path: '/music', phrases: ['play some music', 'play music by queen', 'put on some jazz music'] },
    { path: '/alarm', phrases: ['set an alarm for seven', 'wake me with an alarm', 'alarm at six please'] },
  ],
};

describe('tuneProbabilityWeight', () => {
  test('asked for, it tunes; the jaicp preset and an explicit false do not', () => {
    expect(compile(distinct).tuning).toBeDefined();
    expect(compile({ ...distinct, settings: { preset: 'jaicp' } }).tuning).toBeUndefined();
    expect(compile({ ...distinct, settings: { ...LEXICAL_ACCURATE, tuneProbabilityWeight: false } }).tuning).toBeUndefined();
  });

  test('a probabilityWeight written next to the preset is kept as written; asked for, it is tuned from there', () => {
    const written = compile({ ...distinct, settings: { preset: 'accurate', probabilityWeight: 0 } });
    expect(written.tuning).toBeUndefined();
    expect(written.model.settings).toMatchObject({ probabilityWeight: 0, tuneProbabilityWeight: false });
    expect(compile({ ...distinct, settings: { preset: 'accurate', probabilityWeight: 0.4, tuneProbabilityWeight: true } }).tuning).toMatchObject({ configured: 0.4 });
  });

  test.each([
    // counts by γ ascending, configured γ, chosen
    [[[0, 5], [0.2, 7], [0.5, 7], [1, 6]], 0.2, 0.2],
    [[[0, 5], [0.2, 6], [0.5, 7], [1, 7]], 0.2, 0.5],
    [[[0, 7], [0.2, 6], [0.5, 6], [1, 7]], 0.2, 0],
    [[[0, 7], [0.2, 6], [0.3, 6], [0.5, 7]], 0.3, 0.5],
    [[[0, 7], [0.2, 6], [0.4, 6], [0.6, 7]], 0.3, 0],
    [[[0, 6], [0.2, 6], [0.7, 6]], 0.7, 0.7],
  ] as const)('pickGamma(%j, configured %s) = %s: the most right, then the configured, the closest, the smaller', (counts, configured, chosen) => {
    expect(pickGamma(counts.map(([probabilityWeight, count]) => ({ probabilityWeight, count })), configured)).toBe(chosen);
  });

  test('on a tie the configured γ stays, even when it is not on the grid', () => {
    const tuned = compile(distinct).tuning!;
    expect(tuned.correct.every((c) => c.count === 9)).toBe(true);
    expect(tuned.chosen).toBe(0.2);
    const custom = compile({ ...distinct, settings: { ...LEXICAL_ACCURATE, probabilityWeight: 0.65 } });
    expect(custom.tuning!.chosen).toBe(0.65);
    expect(custom.tuning!.correct.map((c) => c.probabilityWeight)).toContain(0.65);
    expect(custom.model.settings.probabilityWeight).toBe(0.65);
  });

  test('every compiled phrase of an intent with two or more is held out once; a lone phrase, a duplicate, an empty one never are', () => {
    const withLone = {
      ...distinct,
      stopWords: ['please'],
      intents: [
        ...distinct.intents!.map((i) => (i.path === '/music' ? { ...i, phrases: [...i.phrases!, 'play some music', 'please'] } : i)),
        { path: '/lone', phrases: ['tell me a joke'] },
      ],
    };
    const { tuning, model } = compile(withLone);
    expect(model.phrases).toHaveLength(10);
    expect(tuning!.heldOut).toBe(9);
    expect(tuning!.correct).toHaveLength(9);
    expect(tuning!.correct.every((c) => c.count === 9)).toBe(true); // the duplicate did not stay behind as its own twin
  });

  test('skipped, keeping the configured γ, for one intent or a model whose tuning would take over about two seconds', () => {
    const one = compile({ language: 'en', settings: LEXICAL_ACCURATE, intents: [{ path: '/a', phrases: ['hello there', 'good morning'] }] });
    expect(one.tuning).toMatchObject({ chosen: 0.2, heldOut: 0, skipped: expect.stringMatching(/one intent/) });
    const words = (i: number, k: number, n: number) => Array.from({ length: n }, (_, w) => `w${i}x${k}x${w}`).join(' ');
    const many = (intents: number, phrases: number, length: number) =>
      compile({
        language: 'en',
        settings: LEXICAL_ACCURATE,
        intents: Array.from({ length: intents }, (_, i) => ({ path: `/i${i}`, phrases: Array.from({ length: phrases }, (_, k) => `topic${i} ${words(i, k, length)}`) })),
      }).tuning!;
    // 300 phrases either way: long phrases of many intents are over the budget, short ones of few are not.
    expect(many(60, 5, 60)).toMatchObject({ chosen: 0.2, heldOut: 0, skipped: expect.stringMatching(/too big to tune/) });
    expect(many(6, 50, 3)).toMatchObject({ heldOut: 300 });
    expect(many(600, 2, 1)).toMatchObject({ chosen: 0.2, heldOut: 0, skipped: expect.stringMatching(/too big to tune/) }); // every held-out phrase ranks 600 intents
    expect(TUNE_BUDGET).toBe(3e8);
  });

  test('synonyms that link most words make every word pair match: such a model is estimated over the budget', () => {
    // 2 intents × 30 phrases × 50 words from 3 words: 3,000 words, under the budget by words²;
    // one synonym group of the 3 words makes all 9,000,000 word pairs matches.
    const vocab = ['alpha', 'bravo', 'charlie'];
    const phrase = (i: number, k: number) => Array.from({ length: 50 }, (_, w) => vocab[(i * 7 + k * 3 + w * w) % 3]).join(' ');
    const set = (synonyms: { words: string[] }[]) => ({
      language: 'en',
      settings: { ...LEXICAL_ACCURATE, tuneProbabilityWeight: false },
      synonyms,
      intents: [0, 1].map((i) => ({ path: `/i${i}`, phrases: Array.from({ length: 30 }, (_, k) => `${phrase(i, k)} p${i}x${k}`) })),
    });
    expect(tuningWork(compile(set([])).model)).toBeLessThan(TUNE_BUDGET);
    const dense = set([{ words: vocab }]);
    expect(tuningWork(compile(dense).model)).toBeGreaterThan(TUNE_BUDGET);
    expect(compile({ ...dense, settings: LEXICAL_ACCURATE }).tuning).toMatchObject({ heldOut: 0, skipped: expect.stringMatching(/too big/) });
  });

  test('skipped for intent patterns and regex entity records (ranked apart, cost per text unbounded)', () => {
    const patterns = { ...distinct, intents: distinct.intents!.map((i, k) => (k === 0 ? { ...i, patterns: ['* weather *'] } : i)) };
    expect(compile(patterns).tuning).toMatchObject({ chosen: 0.2, heldOut: 0, skipped: expect.stringMatching(/intent patterns/) });
    const regex = { ...distinct, entities: [{ name: 'Code', records: [{ type: 'pattern' as const, pattern: '[a-z]{2}\\d{3}' }] }] };
    expect(compile(regex).tuning).toMatchObject({ heldOut: 0, skipped: expect.stringMatching(/regex entity records/) });
  });

  test('with allowedPatterns, phrases written with literal values are held out; ones written with @Entity are not', () => {
    const cities = {
      language: 'en',
      settings: LEXICAL_ACCURATE,
      entities: [{ name: 'City', records: [{ type: 'synonyms' as const, value: 'Moscow', words: ['moscow'] }, { type: 'synonyms' as const, value: 'Paris', words: ['paris'] }] }],
      allowedPatterns: ['City'],
      intents: [
        { path: '/fly', phrases: ['fly to moscow', 'a flight to paris', 'book a flight to @City'] },
        { path: '/weather', phrases: ['weather in moscow', 'is it raining in paris'] },
      ],
    };
    expect(compile(cities).tuning).toMatchObject({ heldOut: 4 });
  });

  test('the same source compiles to the same model whatever the clock and the time limit', () => {
    const set = { ...distinct, settings: { ...LEXICAL_ACCURATE, timeLimit: 0.001 } };
    const ids = new Set(Array.from({ length: 3 }, () => compile(set).model.id));
    expect(ids.size).toBe(1);
    expect(compile(set).tuning!.correct.every((c) => c.count === 9)).toBe(true);
  });

  test('the model carries the chosen γ and classifies as a model compiled with it', () => {
    const rows = readFileSync(path.join(datasetsDir(), 'braun-chatbot', 'train.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const set = (settings: object) => ({ language: 'en', settings, synonyms: [], stopWords: [], intents: rowsToIntents(rows).intents });
    const { model, tuning } = compileIntentSet(set(LEXICAL_ACCURATE));
    // On this data the words' regression settles near duplicates ("when is the next train to/from
    // garching") that similarity alone gets wrong: more held-out phrases are right above the preset's 0.2.
    const at = (g: number) => tuning!.correct.find((c) => c.probabilityWeight === g)!.count;
    expect(tuning!.heldOut).toBe(model.phrases.length); // 95: the corpus repeats 5 phrases within their intent
    expect(at(tuning!.chosen)).toBeGreaterThan(at(0.2));
    expect(at(tuning!.chosen)).toBe(Math.max(...tuning!.correct.map((c) => c.count)));
    expect(model.settings.probabilityWeight).toBe(tuning!.chosen);
    expect(compileIntentSet(set(LEXICAL_ACCURATE)).model.id).toBe(model.id);
    const fixedModel = compileIntentSet(set({ ...LEXICAL_ACCURATE, probabilityWeight: tuning!.chosen })).model;
    expect(fixedModel.id).toBe(model.id); // the tuned model holds its γ as a plain setting
    const fixed = createClassifier(fixedModel);
    const tuned = createClassifier(model);
    for (const r of rows.slice(0, 30)) {
      expect(tuned.classifySync(r.text, { threshold: 0, explain: false }).alternatives).toEqual(fixed.classifySync(r.text, { threshold: 0, explain: false }).alternatives);
    }
  });

  test('ranks a text at every γ from one search as the engine does at that γ', () => {
    // Braun chatbot, a fifth of its training rows held out: near duplicates whose answer turns with γ.
    const rows = readFileSync(path.join(datasetsDir(), 'braun-chatbot', 'train.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const kept = rows.filter((_, i) => i % 5 !== 0);
    const { model } = compileIntentSet({ language: 'en', settings: { ...LEXICAL_ACCURATE, tuneProbabilityWeight: false }, synonyms: [], stopWords: [], intents: rowsToIntents(kept).intents });
    const engine = createClassifier(model);
    const rank = ranker(model);
    const texts = ['qwerty', 'when is the next train to garching', ...rows.filter((_, i) => i % 5 === 0).map((r) => r.text)];
    let turned = 0;
    for (const text of texts) {
      const top = rank(text);
      const answers = [0, 0.1, 0.3, 0.5, 0.7, 1, 1.5, 2].map((probabilityWeight) => {
        const expected = engine.classifySync(text, { threshold: 0, nBest: 1, explain: false, probabilityWeight }).alternatives[0]?.intent;
        const got = top(probabilityWeight);
        expect(got === undefined ? undefined : model.intents[got]!.path).toBe(expected);
        return expected;
      });
      if (new Set(answers).size > 1) turned++;
    }
    expect(turned).toBeGreaterThan(0);
  });

  test('a Caila export of a tuned model imports and compiles to the same model', () => {
    const rows = readFileSync(path.join(datasetsDir(), 'braun-chatbot', 'train.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const { model } = compileIntentSet({ language: 'en', settings: LEXICAL_ACCURATE, synonyms: [], stopWords: [], intents: rowsToIntents(rows).intents });
    const again = compile(importValue(modelToCailaProject(model, 'chatbot'), 'auto', 'body').source);
    expect(again.model.settings.probabilityWeight).toBe(model.settings.probabilityWeight);
    expect(again.model.id).toBe(model.id);
  });

  test('acts when a model is compiled, so a call cannot ask for it', () => {
    const c = createClassifier(compile(distinct).model);
    expect(() => c.classifySync('play music', { tuneProbabilityWeight: true } as never)).toThrow(StsError);
  });
});
