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
  const forms = pm.model.terms;
  const terms = pm.phraseTerms[phrase] as Int32Array;
  const words = req.words;
  const total = req.total + alignment.phraseTotal;
  // Plain loops and flags, not Sets and typed-array views: this runs for every default call.
  const usedI = new Array<boolean>(words.length).fill(false);
  const usedJ = new Array<boolean>(terms.length).fill(false);
  const aligned = alignment.pairs.map((p) => {
    let request = '';
    for (let i = p.i0; i < p.i1; i++) {
      usedI[i] = true;
      request += i === p.i0 ? words[i]!.form : ` ${words[i]!.form}`;
    }
    let phraseWords = '';
    for (let j = p.j0; j < p.j1; j++) {
      usedJ[j] = true;
      phraseWords += j === p.j0 ? forms[terms[j] as number] : ` ${forms[terms[j] as number]}`;
    }
    return {
      request,
      phrase: phraseWords,
      type: p.type,
      // A vector pair's coefficient is vectorMatch × a cosine: shown to 6 decimals, as scores are.
      coefficient: roundScore(p.coefficient),
      sequence: p.sequence,
      weight: round3(p.mass),
      contribution: roundScore(total > 0 ? (p.coefficient * p.sequence * p.mass) / total : 0),
    };
  });
  const unmatchedRequest: string[] = [];
  for (let i = 0; i < words.length; i++) if (!usedI[i]) unmatchedRequest.push(words[i]!.form);
  const unmatchedPhrase: string[] = [];
  for (let j = 0; j < terms.length; j++) if (!usedJ[j]) unmatchedPhrase.push(forms[terms[j] as number]!);
  return {
    phrase: pm.model.phrases[phrase]!.text,
    score: roundScore(alignment.score),
    aligned,
    unmatchedRequest,
    unmatchedPhrase,
    requestWeight: round3(req.total),
    phraseWeight: round3(alignment.phraseTotal),
  };
}

/** Why the intent got its factor: its probability, and how much each request word pulled towards it. */
export function explainProbability(pm: PreparedModel, rp: RequestProbabilities, intent: number): ProbabilityExplanation {
  const regression = pm.probabilities();
  const probability = rp.probabilities();
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
