import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createClassifier } from '../../src/engine/classifier.js';
import { compileIntentSet } from '../../src/model/compile.js';
import { rowsToIntents } from '../../src/model/parse-training-list.js';
import { datasetsDir } from '../helpers.js';
import { tfidfNearestPhrase, type Row } from './tfidf-baseline.js';

/**
 * The accuracy floor of issue 2: trained on train.jsonl, scored on the in-scope rows of
 * test.jsonl, our top-1 accuracy (threshold ignored) with JAICP's default settings must be at
 * least that of a plain TF-IDF nearest-phrase baseline measured here, in the same run.
 */
function read(dataset: string, split: string): Row[] {
  const file = path.join(datasetsDir(), dataset, `${split}.jsonl`);
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
}

function accuracy(dataset: string) {
  const train = read(dataset, 'train');
  const test = read(dataset, 'test').filter((r) => r.intent !== null);
  const rows = train.map((r, k) => ({ ...r, line: k + 1 }));
  const { model } = compileIntentSet({ settings: {}, synonyms: [], stopWords: [], intents: rowsToIntents(rows).intents });
  const ours = createClassifier(model);
  const baseline = tfidfNearestPhrase(train);
  let right = 0;
  let baselineRight = 0;
  for (const r of test) {
    if (ours.classifySync(r.text, { explain: false, nBest: 1 }).alternatives[0]?.intent === `/${r.intent}`) right++;
    if (baseline(r.text) === r.intent) baselineRight++;
  }
  return { ours: right / test.length, baseline: baselineRight / test.length };
}

describe('accuracy floor: at least a TF-IDF nearest-phrase baseline', () => {
  test.each([
    ['braun-chatbot', 0.95],
    ['braun-askubuntu', 0.84],
    ['braun-webapps', 0.65],
    ['clinc150', 0.79],
  ])('%s: top-1 accuracy ≥ the baseline (which scores about %s)', (dataset, expectedBaseline) => {
    const { ours, baseline } = accuracy(dataset);
    expect(baseline).toBeGreaterThanOrEqual(expectedBaseline); // the yardstick itself is sane
    expect(ours).toBeGreaterThanOrEqual(baseline);
  });
});
