import { roundScore, type ProbabilityExplanation } from './events.js';
import { round3 } from './explain.js';
import type { PreparedModel } from './prepared-model.js';
import type { AnalyzedRequest } from './request.js';

/** One request's P(intent | words) (intent-probability.ts) and the factor P^γ' each intent's score is multiplied by. */
export interface RequestProbabilities {
  /** The request's distinct stems that some phrase has, in request order: the regression's input. */
  stems: number[];
  probability: Float64Array;
  exponent: number;
  factor: Float64Array;
}

export function requestProbabilities(pm: PreparedModel, req: AnalyzedRequest, gamma: number): RequestProbabilities {
  const regression = pm.probabilities();
  const df = pm.model.df;
  const stems = [...new Set(req.words.map((w) => w.stemId).filter((s) => s >= 0 && (df[s] ?? 0) > 0))];
  const probability = new Float64Array(pm.model.intents.length);
  regression.predict(stems, probability);
  const exponent = regression.exponent(gamma);
  return { stems, probability, exponent, factor: probability.map((p) => p ** exponent) };
}

/** Why the intent got its factor: its probability, and how much each request word pulled towards it. */
export function explainProbability(pm: PreparedModel, req: AnalyzedRequest, rp: RequestProbabilities, intent: number): ProbabilityExplanation {
  const evidence = pm.probabilities().evidence(rp.stems, intent);
  return {
    probability: roundScore(rp.probability[intent] as number),
    exponent: round3(rp.exponent),
    factor: roundScore(rp.factor[intent] as number),
    words: rp.stems.map((stem, k) => ({ word: req.words.find((w) => w.stemId === stem)!.form, evidence: round3(evidence[k] as number) })),
  };
}
