import { StsError } from '../../errors.js';
import { ENTITY_TERM_PREFIX, type Model } from '../../model/model-schema.js';
import { regressionInput, type FeatureSpace, type RegressionInput } from './features.js';
import { trainFeatureRegression } from './intent-probability.js';
import { nameRows } from './name-rows.js';
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

/** Each phrase of the model as the regression reads it. */
export function phraseInputs(model: Model, space: FeatureSpace, phrases: FlatPhrases): RegressionInput[] {
  return model.phrases.map((p, k) => {
    const stems = [...new Set(phrases.phraseStems.subarray(phrases.phraseStart[k], phrases.phraseStart[k + 1]))];
    const forms = p.terms.map((t) => model.terms[t] as string).filter((form) => !form.startsWith(ENTITY_TERM_PREFIX));
    return regressionInput(space, stems, forms);
  });
}

/**
 * Trains the model's regression from its phrases and, with intentNames, its intents' names (no
 * PreparedModel needed: the compile worker's way); `passShare` scales its passes
 * (trainFeatureRegression()).
 */
export function trainModelRegression(
  model: Model,
  space: FeatureSpace,
  phrases: FlatPhrases = flatPhrases(model, Int32Array.from(model.termStems)),
  passShare = 1,
): ModelRegression {
  const extra = nameRows(model, space);
  const trained = trainFeatureRegression(space.rows, space.dims, phraseInputs(model, space, phrases), phrases.phraseIntent, model.intents.length, undefined, passShare, extra);
  return { modelId: model.id, ...trained };
}

/**
 * The regression the model stores (trained when it was compiled), decoded into arrays of the
 * caller's own, or undefined if it stores none; one that does not fit the model is refused
 * (invalid_model, at `regression` of `file`).
 */
export function storedModelRegression(model: Model, space: FeatureSpace, file?: string): ModelRegression | undefined {
  if (!model.regression) return undefined;
  const { regression, problem } = decodeRegression(model.regression, model.id, space.rows, model.intents.length, storedDims(model, space));
  if (!regression) throw damagedRegression(problem!, file);
  return { modelId: model.id, ...regression };
}

/**
 * The vector dimensions a model's stored regression has: the table's when the model reads
 * sentence vectors. Without the table (a file checked on its own) the stored length is taken
 * as it is, and checked when a classifier gets the table.
 */
function storedDims(model: Model, space: FeatureSpace): number | undefined {
  return space.vectors ? space.dims : model.regression?.vector === undefined ? 0 : undefined;
}

/** Refuses a regression trained for another model, or whose arrays do not fit this one (e.g. transferred away). */
export function checkRegression(model: Model, space: FeatureSpace, regression: ModelRegression): void {
  const problem =
    regression.modelId !== model.id ? `it was trained for model ${regression.modelId}, not ${model.id}` : regressionProblem(regression, space.rows, model.intents.length, undefined, space.dims);
  if (problem) throw new StsError('invalid_input', `the regression given to createClassifier does not fit this model: ${problem}`, [{ path: 'options.regression', message: problem }]);
}
