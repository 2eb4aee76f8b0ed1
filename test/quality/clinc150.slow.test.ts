import type { Classifier } from '../../src/engine/classifier.js';
import { inScopeTest, readRows, top1, trainedOn } from './datasets.js';
import { tfidfNearestPhrase } from './tfidf-baseline.js';

/**
 * CLINC150's floors (the Braun sets' are in accuracy-floor.test.ts and accuracy-floors.test.ts),
 * each model compiled once: with JAICP's defaults, top-1 accuracy on the in-scope test rows at
 * least the TF-IDF baseline's; on a fixed subset (every 5th in-scope test row), at least a little
 * under what `npm run bench:accuracy` measured (jaicp 0.8067, accurate 0.9133).
 */
const classifiers = new Map<string, Classifier>();
const classifier = (preset: 'jaicp' | 'accurate') => {
  if (!classifiers.has(preset)) classifiers.set(preset, trainedOn('clinc150', { preset }));
  return classifiers.get(preset)!;
};

test('clinc150: top-1 accuracy ≥ a TF-IDF nearest-phrase baseline (which scores about 0.79)', () => {
  const test = inScopeTest('clinc150');
  const baseline = tfidfNearestPhrase(readRows('clinc150', 'train'));
  const baselineTop1 = test.filter((r) => baseline(r.text) === r.intent).length / test.length;
  expect(baselineTop1).toBeGreaterThanOrEqual(0.79); // the yardstick itself is sane
  expect(top1(classifier('jaicp'), test)).toBeGreaterThanOrEqual(baselineTop1);
});

test.each([
  ['jaicp', 0.8],
  ['accurate', 0.9],
] as const)('clinc150 (every 5th test row) with preset %s: top-1 accuracy at least %s', (preset, floor) => {
  expect(top1(classifier(preset), inScopeTest('clinc150', 5))).toBeGreaterThanOrEqual(floor);
});
