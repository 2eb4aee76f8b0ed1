import { StsError } from '../../errors.js';
import type { Model } from '../../model/model-schema.js';
import { trainRegression } from './intent-probability.js';
import { damagedRegression, decodeRegression } from './stored-regression.js';
import { regressionProblem, type ModelRegression } from './trained-regression.js';

export type { ModelRegression } from './trained-regression.js';

/** A model's phrases as flat arrays of stem ids: phrase p's stems are phraseStems[phraseStart[p] .. phraseStart[p + 1] - 1]. */
export interface FlatPhrases {
  readonly phraseStems: Int32Array;
  readonly phraseStart: Int32Array;
  readonly phraseIntent: Int32Array;
}

export function flatPhrases(model: Model, termStems: Int32Array): FlatPhrases {
  const phraseStart = new Int32Array(model.phrases.length + 1);
  model.phrases.forEach((p, k) => (phraseStart[k + 1] = (phraseStart[k] as number) + p.terms.length));
  const phraseStems = Int32Array.from(model.phrases.flatMap((p) => p.terms), (t) => termStems[t] as number);
  const phraseIntent = Int32Array.from(model.phrases, (p) => p.intent);
  return { phraseStems, phraseStart, phraseIntent };
}

/** Trains the model's regression from its phrases alone (no PreparedModel needed: the compile worker's way). */
export function trainModelRegression(model: Model, phrases: FlatPhrases = flatPhrases(model, Int32Array.from(model.termStems))): ModelRegression {
  const trained = trainRegression(model.stems.length, phrases.phraseStems, phrases.phraseStart, phrases.phraseIntent, model.intents.length);
  return { modelId: model.id, ...trained };
}

/**
 * The regression the model stores (trained when it was compiled), decoded into arrays of the
 * caller's own, or undefined if it stores none; one that does not fit the model is refused
 * (invalid_model, at `regression` of `file`).
 */
export function storedModelRegression(model: Model, file?: string): ModelRegression | undefined {
  if (!model.regression) return undefined;
  const { regression, problem } = decodeRegression(model.regression, model.id, model.stems.length, model.intents.length);
  if (!regression) throw damagedRegression(problem!, file);
  return { modelId: model.id, ...regression };
}

/** Refuses a regression trained for another model, or whose arrays do not fit this one (e.g. transferred away). */
export function checkRegression(model: Model, regression: ModelRegression): void {
  const problem = regression.modelId !== model.id ? `it was trained for model ${regression.modelId}, not ${model.id}` : regressionProblem(regression, model.stems.length, model.intents.length);
  if (problem) throw new StsError('invalid_input', `the regression given to createClassifier does not fit this model: ${problem}`, [{ path: 'options.regression', message: problem }]);
}
