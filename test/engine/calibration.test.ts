import { calibrated, uncalibrated } from '../../src/engine/score/calibration.js';
import { compileIntentSet, createClassifier } from '../../src/lexicons.js';
import { rowsToIntents } from '../../src/model/parse-training-list.js';
import { readRows } from '../quality/datasets.js';

/** Calibrated scores (settings.calibrate): the cross-validated decision point is reported as the model's threshold. */

describe('the score mapping', () => {
  const c = { raw: 0.35, score: 0.2 };
  test.each([
    [0, 0],
    [0.35, 0.2],
    [1, 1],
    [0.175, 0.1],
    [0.675, 0.6],
  ])('raw %s is reported as %s, and back', (raw, score) => {
    expect(calibrated(c, raw)).toBeCloseTo(score, 12);
    expect(uncalibrated(c, score)).toBeCloseTo(raw, 12);
  });

  test('keeps the order of scores (so the ranking of intents), and is the identity without a calibration', () => {
    const raws = Array.from({ length: 101 }, (_, k) => k / 100);
    const mapped = raws.map((r) => calibrated(c, r));
    for (let k = 1; k < mapped.length; k++) expect(mapped[k]!).toBeGreaterThan(mapped[k - 1]!);
    expect(raws.map((r) => calibrated(undefined, r))).toEqual(raws);
  });
});

describe('compiling with calibrate', () => {
  const rows = readRows('ru-support', 'train').map((r, k) => ({ ...r, line: k + 1 }));
  const set = (settings: object) => ({ language: 'ru', settings, synonyms: [], stopWords: [], intents: rowsToIntents(rows).intents });

  test('the default preset calibrates: the decision point found by cross-validation becomes the model threshold', () => {
    const { model, crossValidation } = compileIntentSet(set({}));
    expect(model.calibration?.score).toBe(model.settings.threshold);
    expect(model.calibration?.raw).toBe(crossValidation?.calibration?.raw);
    // At least OUT_OF_SCOPE_REJECTED of the left-out intents' phrases stay at or under it.
    expect(crossValidation?.calibration?.rejected).toBeGreaterThanOrEqual(0.31);
    expect(crossValidation?.heldOut).toBeGreaterThan(100);
    expect(crossValidation?.outOfScope).toBeGreaterThan(100);
  });

  test('a threshold of its own is where the decision point lands', () => {
    const { model } = compileIntentSet(set({ threshold: 0.5 }));
    expect(model.calibration?.score).toBe(0.5);
    const c = createClassifier(model);
    const e = c.classifySync('проверить баланс');
    expect(e.event).toBe('match');
    expect(e.score).toBeGreaterThan(0.5);
  });

  test('JAICP defaults report the similarity itself: no calibration', () => {
    expect(compileIntentSet(set({ preset: 'jaicp' })).model.calibration).toBeUndefined();
  });

  test('a model of too few intents to leave some out is left uncalibrated, and says why', () => {
    const tiny = compileIntentSet({ language: 'en', settings: {}, synonyms: [], stopWords: [], intents: [{ path: '/a', phrases: ['hello there', 'hi'] }, { path: '/b', phrases: ['bye now', 'see you'] }] });
    expect(tiny.model.calibration).toBeUndefined();
    // Four intents of a phrase or two: intents to leave out, but too few held-out phrases.
    const few = compileIntentSet({ language: 'en', settings: {}, synonyms: [], stopWords: [], intents: ['a', 'b', 'c', 'd'].map((x) => ({ path: `/${x}`, phrases: [`${x} one`, `${x} two`] })) });
    expect(few.model.calibration).toBeUndefined();
    expect(few.crossValidation?.skipped).toMatch(/^too few phrases to calibrate on/);
    expect(tiny.crossValidation?.skipped).toMatch(/^2 intents: calibration leaves whole intents out as out-of-scope text, and needs 4$/);
  });
});
