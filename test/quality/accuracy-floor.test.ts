import { inScopeTest, readRows, top1, trainedOn } from './datasets.js';
import { tfidfNearestPhrase } from './tfidf-baseline.js';

/**
 * The accuracy floor: trained on train.jsonl, scored on the in-scope rows of test.jsonl, our
 * top-1 accuracy (threshold ignored) with JAICP's default settings must be at least that of a
 * plain TF-IDF nearest-phrase baseline measured here, in the same run. CLINC150's is in
 * clinc150.slow.test.ts.
 */
function againstBaseline(dataset: string) {
  const test = inScopeTest(dataset);
  const baseline = tfidfNearestPhrase(readRows(dataset, 'train'));
  return { ours: top1(trainedOn(dataset, { preset: 'jaicp' }), test), baseline: test.filter((r) => baseline(r.text) === r.intent).length / test.length };
}

describe('accuracy floor: at least a TF-IDF nearest-phrase baseline', () => {
  test.each([
    ['braun-chatbot', 0.95],
    ['braun-askubuntu', 0.84],
    ['braun-webapps', 0.65],
  ])('%s: top-1 accuracy ≥ the baseline (which scores about %s)', (dataset, expectedBaseline) => {
    const { ours, baseline } = againstBaseline(dataset);
    expect(baseline).toBeGreaterThanOrEqual(expectedBaseline); // the yardstick itself is sane
    expect(ours).toBeGreaterThanOrEqual(baseline);
  });
});
