import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createClassifier } from '../../src/engine/classifier.js';
import { StsError } from '../../src/errors.js';
import { compile } from '../../src/model/compile-source.js';
import { compileIntentSet } from '../../src/model/compile.js';
import { rowsToIntents } from '../../src/model/parse-training-list.js';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import { TUNE_MAX_CELLS, TUNE_MAX_PHRASES } from '../../src/model/tune-probability.js';
import { datasetsDir } from '../helpers.js';

// Three intents that share no words: every held-out phrase is right at any γ.
const distinct: IntentsFileInput = {
  language: 'en',
  settings: { preset: 'accurate' },
  intents: [
    { path: '/weather', phrases: ['what is the weather today', 'weather forecast for today', 'will the weather be sunny'] },
    { path: '/music', phrases: ['play some music', 'play music by queen', 'put on some jazz music'] },
    { path: '/alarm', phrases: ['set an alarm for seven', 'wake me with an alarm', 'alarm at six please'] },
  ],
};

describe('tuneProbabilityWeight', () => {
  test('the accurate preset tunes; JAICP defaults and an explicit false do not', () => {
    expect(compile(distinct).tuning).toBeDefined();
    expect(compile({ ...distinct, settings: {} }).tuning).toBeUndefined();
    expect(compile({ ...distinct, settings: { preset: 'accurate', tuneProbabilityWeight: false } }).tuning).toBeUndefined();
  });

  test('on a tie the configured γ stays, even when it is not on the grid', () => {
    const tuned = compile(distinct).tuning!;
    expect(tuned.correct.every((c) => c.count === 9)).toBe(true);
    expect(tuned.chosen).toBe(0.2);
    const custom = compile({ ...distinct, settings: { preset: 'accurate', probabilityWeight: 0.65 } });
    expect(custom.tuning!.chosen).toBe(0.65);
    expect(custom.tuning!.correct.map((c) => c.probabilityWeight)).toContain(0.65);
    expect(custom.model.settings.probabilityWeight).toBe(0.65);
  });

  test('every phrase of an intent with two or more is held out once; a lone phrase never is', () => {
    const withLone = { ...distinct, intents: [...distinct.intents!, { path: '/lone', phrases: ['tell me a joke'] }] };
    const tuning = compile(withLone).tuning!;
    expect(tuning.heldOut).toBe(9);
    expect(tuning.correct).toHaveLength(9);
  });

  test('skipped, keeping the configured γ, for one intent, or phrases or phrases × intents over the caps', () => {
    const one = compile({ language: 'en', settings: { preset: 'accurate' }, intents: [{ path: '/a', phrases: ['hello there', 'good morning'] }] });
    expect(one.tuning).toMatchObject({ chosen: 0.2, heldOut: 0, skipped: expect.stringMatching(/one intent/) });
    const many = (intents: number, phrases: number) =>
      compile({
        language: 'en',
        settings: { preset: 'accurate' },
        intents: Array.from({ length: intents }, (_, i) => ({ path: `/i${i}`, phrases: Array.from({ length: phrases }, (_, k) => `topic${i} word${k}`) })),
      }).tuning!;
    expect(many(2, TUNE_MAX_PHRASES / 2 + 1)).toMatchObject({ chosen: 0.2, heldOut: 0, skipped: expect.stringMatching(/over 300 phrases/) });
    const cells = Math.ceil(Math.sqrt(TUNE_MAX_CELLS)) + 1; // intents × (intents × 1 phrase) > the cap, phrases under it
    expect(many(cells, 1).skipped).toMatch(/phrases × intents over 20000/);
  });

  test('the model carries the chosen γ and classifies as a model compiled with it', () => {
    const rows = readFileSync(path.join(datasetsDir(), 'braun-chatbot', 'train.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const set = (settings: object) => ({ language: 'en', settings, synonyms: [], stopWords: [], intents: rowsToIntents(rows).intents });
    const { model, tuning } = compileIntentSet(set({ preset: 'accurate' }));
    // On this data the words' regression settles near duplicates ("when is the next train to/from
    // garching") that similarity alone gets wrong: more held-out phrases are right above the preset's 0.2.
    const at = (g: number) => tuning!.correct.find((c) => c.probabilityWeight === g)!.count;
    expect(tuning!.heldOut).toBe(100);
    expect(at(tuning!.chosen)).toBeGreaterThan(at(0.2));
    expect(at(tuning!.chosen)).toBe(Math.max(...tuning!.correct.map((c) => c.count)));
    expect(model.settings.probabilityWeight).toBe(tuning!.chosen);
    expect(compileIntentSet(set({ preset: 'accurate' })).model.id).toBe(model.id);
    const fixed = createClassifier(compileIntentSet(set({ preset: 'accurate', tuneProbabilityWeight: false, probabilityWeight: tuning!.chosen })).model);
    const tuned = createClassifier(model);
    for (const r of rows.slice(0, 30)) {
      expect(tuned.classifySync(r.text, { threshold: 0, explain: false }).alternatives).toEqual(fixed.classifySync(r.text, { threshold: 0, explain: false }).alternatives);
    }
  });

  test('acts when a model is compiled, so a call cannot ask for it', () => {
    const c = createClassifier(compile(distinct).model);
    expect(() => c.classifySync('play music', { tuneProbabilityWeight: true } as never)).toThrow(StsError);
  });
});
