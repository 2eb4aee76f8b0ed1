import { computeMetrics, decide, NO_MATCH, tuneThreshold, type Prediction } from '../../src/eval/metrics.js';
import { ROWS } from './rows.js';

const p = (gold: string | null, top: string | null, score: number): Prediction => ({ gold, top, score });

describe('decide', () => {
  test.each([
    [p('/a', '/a', 0.5), 0.2, '/a'],
    [p('/a', '/a', 0.2), 0.2, null],
    [p('/a', '/a', 0.1), 0.2, null],
    [p(null, '/b', 0.9), 0.2, '/b'],
    [p('/a', null, 0), 0, null],
    [p('/a', null, 0.5), -1, null],
  ])('decides %j at threshold %d as %s', (pred, threshold, expected) => {
    expect(decide(pred, threshold)).toBe(expected);
  });
});

describe('computeMetrics', () => {
  // At threshold 0.3:
  //   1 A→A match ✓ · 2 A→B match ✗ · 3 B→B ✓ · 4 B→B below threshold: noMatch ✗
  //   5 OOS→A match ✗ · 6 OOS→B below threshold: noMatch ✓ · 7 C→A match ✗
  const preds = [
    p('/A', '/A', 0.9),
    p('/A', '/B', 0.8),
    p('/B', '/B', 0.7),
    p('/B', '/B', 0.1),
    p(null, '/A', 0.6),
    p(null, '/B', 0.1),
    p('/C', '/A', 0.5),
  ];
  const m = computeMetrics(preds, 0.3);

  test('counts rows, in-scope and out-of-scope rows', () => {
    expect(m).toMatchObject({ threshold: 0.3, rows: 7, inScope: 5, outOfScope: 2 });
  });

  test('top-1 accuracy ignores the threshold: rows 1, 3, 4 of 5 in scope', () => {
    expect(m.top1Accuracy).toBeCloseTo(3 / 5, 12);
  });

  test('in-scope accuracy needs a match to the right intent: rows 1 and 3 of 5', () => {
    expect(m.inScopeAccuracy).toBeCloseTo(2 / 5, 12);
  });

  test('out-of-scope recall and precision', () => {
    expect(m.oosRecall).toBeCloseTo(1 / 2, 12); // row 6 of rows 5, 6
    expect(m.oosPrecision).toBeCloseTo(1 / 2, 12); // noMatch answers: rows 4, 6
  });

  test('overall accuracy counts out of scope as a class', () => {
    expect(m.overallAccuracy).toBeCloseTo(3 / 7, 12);
  });

  test('macro F1 averages the F1 of every gold intent', () => {
    // A: P 1/3 (row 1 of rows 1, 5, 7), R 1/2 → F1 0.4; B: P 1/2, R 1/2 → 0.5; C: 0
    expect(m.macroF1).toBeCloseTo((0.4 + 0.5 + 0) / 3, 12);
  });

  test('micro F1 pools all in-scope decisions', () => {
    // tp 2, fp 3 (rows 2, 5, 7), in scope 5 → P 2/5, R 2/5
    expect(m.microF1).toBeCloseTo(0.4, 12);
  });

  test('lists the confused pairs, noMatch included', () => {
    expect(m.confused).toEqual([
      { gold: '/A', predicted: '/B', count: 1 },
      { gold: '/B', predicted: NO_MATCH, count: 1 },
      { gold: '/C', predicted: '/A', count: 1 },
    ]);
  });

  test('gives 1 everywhere for perfect predictions', () => {
    const perfect = computeMetrics([p('/a', '/a', 0.9), p('/b', '/b', 0.8), p(null, '/a', 0.1)], 0.5);
    expect(perfect).toMatchObject({
      top1Accuracy: 1,
      inScopeAccuracy: 1,
      oosRecall: 1,
      oosPrecision: 1,
      overallAccuracy: 1,
      macroF1: 1,
      microF1: 1,
      confused: [],
    });
  });

  test('a score equal to the threshold is noMatch', () => {
    const at = computeMetrics([p('/a', '/a', 0.5), p(null, '/a', 0.5)], 0.5);
    expect(at.inScopeAccuracy).toBe(0);
    expect(at.oosRecall).toBe(1);
    expect(at.confused).toEqual([{ gold: '/a', predicted: NO_MATCH, count: 1 }]);
  });

  test('out-of-scope recall is null without out-of-scope rows, precision null without noMatch answers', () => {
    const none = computeMetrics([p('/a', '/a', 0.9), p('/b', '/a', 0.9)], 0.2);
    expect(none.oosRecall).toBeNull();
    expect(none.oosPrecision).toBeNull();
  });

  test('an empty list gives zeros, not NaN', () => {
    const empty = computeMetrics([], 0.2);
    expect(empty).toMatchObject({ rows: 0, top1Accuracy: 0, inScopeAccuracy: 0, overallAccuracy: 0, macroF1: 0, microF1: 0, oosRecall: null, oosPrecision: null });
  });

  test('only out-of-scope rows give in-scope metrics of 0', () => {
    const oos = computeMetrics([p(null, '/a', 0.9), p(null, null, 0)], 0.2);
    expect(oos).toMatchObject({ inScope: 0, inScopeAccuracy: 0, macroF1: 0, microF1: 0, oosRecall: 0.5, overallAccuracy: 0.5 });
  });

  test('sorts confused pairs by count and keeps the top ones', () => {
    const rows = [
      ...Array.from({ length: 3 }, () => p('/x', '/y', 0.9)),
      ...Array.from({ length: 2 }, () => p('/z', '/y', 0.9)),
      p('/a', '/b', 0.9),
      p('/c', '/d', 0.9),
    ];
    expect(computeMetrics(rows, 0.2).confused.map((c) => [c.gold, c.predicted, c.count])).toEqual([
      ['/x', '/y', 3],
      ['/z', '/y', 2],
      ['/a', '/b', 1],
      ['/c', '/d', 1],
    ]);
    expect(computeMetrics(rows, 0.2, 2).confused).toHaveLength(2);
  });

  test('keeps at most 10 confused pairs by default', () => {
    const rows = Array.from({ length: 15 }, (_, k) => p(`/g${k}`, `/p${k}`, 0.9));
    expect(computeMetrics(rows, 0.2).confused).toHaveLength(10);
  });
});

describe('tuneThreshold', () => {
  //   row  gold  top  score
  //   1    A     A    0.9
  //   2    B     B    0.8
  //   3    OOS   A    0.5
  //   4    A     B    0.45   (wrong whatever the threshold)
  //   5    OOS   B    0.3
  //   6    B     B    0.7
  // t=0: rows 1, 2, 6 right → 3/6; t=0.3: + row 5 → 4/6; t=0.45: row 4 stays wrong → 4/6;
  // t=0.5: + row 3 → 5/6; t=0.7: − row 6 → 4/6; t=0.8: 3/6; t=0.9: 2/6.
  const preds = [p('/A', '/A', 0.9), p('/B', '/B', 0.8), p(null, '/A', 0.5), p('/A', '/B', 0.45), p(null, '/B', 0.3), p('/B', '/B', 0.7)];

  test('picks the threshold that maximizes accuracy with out of scope counted as a class', () => {
    expect(tuneThreshold(preds)).toEqual({ threshold: 0.5, accuracy: 5 / 6 });
  });

  test('its accuracy is the overall accuracy computeMetrics gives at that threshold', () => {
    const { threshold, accuracy } = tuneThreshold(preds);
    expect(computeMetrics(preds, threshold).overallAccuracy).toBeCloseTo(accuracy, 12);
  });

  test('no candidate threshold does better', () => {
    const { accuracy } = tuneThreshold(preds);
    for (const t of [0, ...preds.map((x) => x.score), 0.35, 0.6, 1]) {
      expect(computeMetrics(preds, t).overallAccuracy).toBeLessThanOrEqual(accuracy + 1e-12);
    }
  });

  test('prefers the lowest of equally good thresholds', () => {
    // t=0.3 and t=0.5 both give 4/6 here
    const tied = [p('/A', '/A', 0.9), p('/B', '/B', 0.8), p(null, '/A', 0.5), p('/A', '/B', 0.6), p(null, '/B', 0.3), p('/B', '/B', 0.4)];
    expect(tuneThreshold(tied)).toEqual({ threshold: 0.3, accuracy: 4 / 6 });
  });

  test('moves rows with equal scores together', () => {
    // raising t to 0.5 turns both 0.5 rows into noMatch: one gained, one lost
    const ties = [p(null, '/A', 0.5), p('/A', '/A', 0.5), p('/A', '/A', 0.9)];
    expect(tuneThreshold(ties)).toEqual({ threshold: 0, accuracy: 2 / 3 });
  });

  test('keeps threshold 0 when every row is in scope and right', () => {
    expect(tuneThreshold([p('/a', '/a', 0.3), p('/b', '/b', 0.6)])).toEqual({ threshold: 0, accuracy: 1 });
  });

  test('rises above every score when every row is out of scope', () => {
    expect(tuneThreshold([p(null, '/a', 0.3), p(null, '/b', 0.6), p(null, null, 0)])).toEqual({ threshold: 0.6, accuracy: 1 });
  });

  test('gives threshold 0 and accuracy 0 for no rows', () => {
    expect(tuneThreshold([])).toEqual({ threshold: 0, accuracy: 0 });
  });

  test('does not reorder the list it is given', () => {
    const copy = preds.map((x) => ({ ...x }));
    tuneThreshold(preds);
    expect(preds).toEqual(copy);
  });
});

describe('per intent and misclassified rows', () => {
  // The rows of computeMetrics's table above, with texts (test/eval/rows.ts).
  const m = computeMetrics(ROWS, 0.3);

  test('precision, recall, F1 and support of each intent', () => {
    expect(m.perIntent).toEqual([
      { intent: '/A', precision: 1 / 3, recall: 1 / 2, f1: expect.closeTo(0.4, 12), support: 2 },
      { intent: '/B', precision: 1 / 2, recall: 1 / 2, f1: expect.closeTo(0.5, 12), support: 2 },
      { intent: '/C', precision: null, recall: 0, f1: 0, support: 1 },
    ]);
  });

  test('macro F1 is the mean of the per-intent F1 of the gold intents', () => {
    expect(m.macroF1).toBeCloseTo((0.4 + 0.5 + 0) / 3, 12);
  });

  test('an intent only ever predicted has support 0 and no recall', () => {
    const only = computeMetrics([{ gold: null, top: '/X', score: 0.9 }], 0.3);
    expect(only.perIntent).toEqual([{ intent: '/X', precision: 0, recall: null, f1: 0, support: 0 }]);
  });

  test('lists the rows decided wrong, with what was answered', () => {
    expect(m.misclassified).toEqual([
      { text: 'two', gold: '/A', predicted: '/B', score: 0.8 },
      { text: 'four', gold: '/B', predicted: null, score: 0.1 },
      { text: 'five <b>', gold: null, predicted: '/A', score: 0.6 },
      { text: 'seven', gold: '/C', predicted: '/A', score: 0.5 },
    ]);
  });
});
