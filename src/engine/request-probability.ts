import { roundScore, type ProbabilityExplanation } from './events.js';
import { round3 } from './explain.js';
import type { PreparedModel } from './prepared-model.js';
import type { AnalyzedRequest } from './request.js';

/**
 * One request's P(intent | words) (intent-probability.ts) and the factor (P / P_max)^γ' each
 * intent's score is multiplied by. From the logits z: P_c = exp(z_c − ln S), S = Σ exp(z), so
 * the factor is exp(γ' (z_c − max z)): one exp per intent asked for; P (for the explanation)
 * needs S, one exp per intent.
 */
export class RequestProbabilities {
  /** What each stem is in the request: its first word, or the entity's "@Entity" stem. */
  readonly labels: string[] = [];
  /** The request's distinct stems that some phrase has, in request order, then its entities' "@Entity" stems: the regression's input. */
  readonly stems: number[] = [];
  readonly exponent: number;
  /** The largest factor, the favoured intent's: 1. */
  readonly maxFactor = 1;
  private readonly logits: Float64Array;
  private readonly maxLogit: number;
  private shift?: number;

  constructor(pm: PreparedModel, req: AnalyzedRequest, gamma: number) {
    const regression = pm.probabilities();
    const df = pm.model.df;
    const add = (stem: number, label: string) => {
      if ((df[stem] ?? 0) > 0 && !this.stems.includes(stem)) {
        this.stems.push(stem);
        this.labels.push(label);
      }
    };
    for (const w of req.words) if (w.stemId >= 0) add(w.stemId, w.form);
    // "@City" in phrases is one feature; a request holding a City value has it too.
    for (const stem of req.entitySpans.keys()) add(stem, pm.model.stems[stem]!);
    this.logits = new Float64Array(pm.model.intents.length);
    regression.logits(this.stems, this.logits);
    let max = -Infinity;
    for (const z of this.logits) if (z > max) max = z;
    this.maxLogit = max;
    this.exponent = regression.exponent(gamma);
  }

  probability(intent: number): number {
    if (this.shift === undefined) {
      let sum = 0;
      for (const z of this.logits) sum += Math.exp(z - this.maxLogit);
      this.shift = this.maxLogit + Math.log(sum);
    }
    return Math.exp((this.logits[intent] as number) - this.shift);
  }

  /** (P_intent / P_max)^γ': at most 1, and 1 for the intent the words favour most. */
  factor(intent: number): number {
    return Math.exp(this.exponent * ((this.logits[intent] as number) - this.maxLogit));
  }
}

/** Why the intent got its factor: its probability, and how much each request word pulled towards it. */
export function explainProbability(pm: PreparedModel, rp: RequestProbabilities, intent: number): ProbabilityExplanation {
  const probability = Float64Array.from(pm.model.intents, (_, c) => rp.probability(c));
  const evidence = pm.probabilities().evidence(rp.stems, intent, probability);
  return {
    probability: roundScore(rp.probability(intent)),
    exponent: round3(rp.exponent),
    factor: roundScore(rp.factor(intent)),
    words: rp.labels.map((word, k) => ({ word, evidence: round3(evidence[k] as number) })),
  };
}
