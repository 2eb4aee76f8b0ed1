import { roundScore, type ProbabilityExplanation } from './events.js';
import { round3 } from './explain.js';
import type { PreparedModel } from './prepared-model.js';
import type { AnalyzedRequest } from './request.js';

/** One request's P(intent | words) (intent-probability.ts) and the factor P^γ' each intent's score is multiplied by. */
export interface RequestProbabilities {
  /** The request's distinct stems that some phrase has, in request order, then its entities' "@Entity" stems: the regression's input. */
  stems: number[];
  /** What each stem is in the request: its first word, or the entity's "@Entity" stem. */
  labels: string[];
  probability: Float64Array;
  exponent: number;
  factor: Float64Array;
}

export function requestProbabilities(pm: PreparedModel, req: AnalyzedRequest, gamma: number): RequestProbabilities {
  const regression = pm.probabilities();
  const df = pm.model.df;
  const labelOf = new Map<number, string>();
  for (const w of req.words) if (w.stemId >= 0 && (df[w.stemId] ?? 0) > 0 && !labelOf.has(w.stemId)) labelOf.set(w.stemId, w.form);
  // "@City" in phrases is one feature; a request holding a City value has it too.
  for (const stem of req.entitySpans.keys()) if ((df[stem] ?? 0) > 0 && !labelOf.has(stem)) labelOf.set(stem, pm.model.stems[stem]!);
  const stems = [...labelOf.keys()];
  const probability = new Float64Array(pm.model.intents.length);
  regression.predict(stems, probability);
  const exponent = regression.exponent(gamma);
  return { stems, labels: [...labelOf.values()], probability, exponent, factor: probability.map((p) => p ** exponent) };
}

/** Why the intent got its factor: its probability, and how much each request word pulled towards it. */
export function explainProbability(pm: PreparedModel, rp: RequestProbabilities, intent: number): ProbabilityExplanation {
  const evidence = pm.probabilities().evidence(rp.stems, intent, rp.probability);
  return {
    probability: roundScore(rp.probability[intent] as number),
    exponent: round3(rp.exponent),
    factor: roundScore(rp.factor[intent] as number),
    words: rp.labels.map((word, k) => ({ word, evidence: round3(evidence[k] as number) })),
  };
}
