import type { Settings } from '../../config.js';
import { alignPhrase, type Alignment } from '../score/align.js';
import type { Explanation, ProbabilityExplanation } from './events.js';
import type { RequestProbabilities } from '../search/request-probability.js';
import { round3, roundScore } from '../score/rounding.js';
import type { PreparedModel, Weights } from '../prepare/prepared-model.js';
import type { AnalyzedRequest } from '../prepare/request.js';

/**
 * How a request aligned with one phrase, word by word: each pair with its match type,
 * coefficient, sequence factor, weight and contribution (the contributions add up to the score),
 * and the words left unmatched on each side.
 */
export function explainPhrase(pm: PreparedModel, req: AnalyzedRequest, phrase: number, s: Settings, w: Weights): Explanation {
  const alignment: Alignment = alignPhrase(pm, req, phrase, s, w);
  const { model } = pm;
  const terms = pm.phraseTerms[phrase] as Int32Array;
  const words = req.words;
  const total = req.total + alignment.phraseTotal;
  const usedI = new Set<number>();
  const usedJ = new Set<number>();
  const aligned = alignment.pairs.map((p) => {
    for (let i = p.i0; i < p.i1; i++) usedI.add(i);
    for (let j = p.j0; j < p.j1; j++) usedJ.add(j);
    return {
      request: words.slice(p.i0, p.i1).map((w) => w.form).join(' '),
      phrase: Array.from(terms.subarray(p.j0, p.j1), (t) => model.terms[t]).join(' '),
      type: p.type,
      // A vector pair's coefficient is vectorMatch × a cosine: shown to 6 decimals, as scores are.
      coefficient: roundScore(p.coefficient),
      sequence: p.sequence,
      weight: round3(p.mass),
      contribution: roundScore(total > 0 ? (p.coefficient * p.sequence * p.mass) / total : 0),
    };
  });
  return {
    phrase: model.phrases[phrase]!.text,
    score: roundScore(alignment.score),
    aligned,
    unmatchedRequest: words.filter((_, i) => !usedI.has(i)).map((w) => w.form),
    unmatchedPhrase: Array.from(terms, (t) => model.terms[t]!).filter((_, j) => !usedJ.has(j)),
    requestWeight: round3(req.total),
    phraseWeight: round3(alignment.phraseTotal),
  };
}

/** Why the intent got its factor: its probability, and how much each request word pulled towards it. */
export function explainProbability(pm: PreparedModel, rp: RequestProbabilities, intent: number): ProbabilityExplanation {
  const regression = pm.probabilities();
  const probability = new Float64Array(pm.model.intents.length);
  rp.probabilities(probability);
  const evidence = regression.evidence(rp.input, intent, probability, rp.parts);
  return {
    probability: roundScore(probability[intent] as number),
    exponent: round3(rp.exponent),
    factor: roundScore(rp.factor(intent)),
    words: rp.labels.map((word, k) => ({ word, evidence: round3(evidence.stems[k] as number) })),
    ...(rp.input.grams !== undefined && { letters: round3(evidence.grams) }),
    ...(rp.input.dense !== undefined && { meaning: round3(evidence.vector) }),
  };
}
