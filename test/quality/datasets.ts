import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SettingsOverride } from '../../src/config.js';
import { type Classifier } from '../../src/engine/classifier.js';
import { createClassifier } from '../../src/lexicons.js';
import { compileIntentSet } from '../../src/lexicons.js';
import { rowsToIntents } from '../../src/model/parse-training-list.js';
import { datasetsDir } from '../helpers.js';
import type { Row } from './tfidf-baseline.js';

/** The rows of one split of a data set in data/ (or STS_DATASETS). */
export function readRows(dataset: string, split: string): Row[] {
  const file = path.join(datasetsDir(), dataset, `${split}.jsonl`);
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
}

/** A classifier of the data set's train split, compiled with `settings`. */
export function trainedOn(dataset: string, settings: SettingsOverride): Classifier {
  const rows = readRows(dataset, 'train').map((r, k) => ({ ...r, line: k + 1 }));
  const { model } = compileIntentSet({ language: 'en', settings, synonyms: [], stopWords: [], intents: rowsToIntents(rows).intents });
  return createClassifier(model);
}

/** The share of the rows whose best intent (threshold ignored) is their label. */
export function top1(classifier: Classifier, rows: readonly Row[]): number {
  const right = rows.filter((r) => classifier.classifySync(r.text, { explain: false, nBest: 1 }).alternatives[0]?.intent === `/${r.intent}`);
  return right.length / rows.length;
}

/** The in-scope rows of the test split; with `every`, only every so-many-th row of the file. */
export function inScopeTest(dataset: string, every = 1): Row[] {
  return readRows(dataset, 'test').filter((r, k) => r.intent !== null && k % every === 0);
}
