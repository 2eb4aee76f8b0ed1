import { alignPhrase } from '../../src/engine/score/align.js';
import { roundScore } from '../../src/engine/score/rounding.js';
import type { PreparedModel } from '../../src/engine/prepare/prepared-model.js';
import { analyzeRequestNow } from '../../src/engine/prepare/request.js';
import { RequestProbabilities } from '../../src/engine/search/request-probability.js';
import type { Settings } from '../../src/config.js';
import type { Model } from '../../src/model/model-schema.js';

/**
 * What the search must find, by aligning every phrase: each intent's closest phrase, or the
 * mean of its k closest, times its probability factor; the nBest best, equal (rounded) scores
 * by intent order. Shared by the search tests.
 */
export function bruteForce(text: string, s: Settings, m: Model, prepared: PreparedModel) {
  const w = prepared.weights(s);
  const req = analyzeRequestNow(prepared, text, s, w);
  const probabilities = s.probabilityWeight > 0 ? new RequestProbabilities(prepared, req, s.probabilityWeight) : undefined;
  const scores = m.phrases.map((_, p) => alignPhrase(prepared, req, p, s, w).score);
  return m.intents
    .map((intent, i) => {
      const mine = scores.flatMap((score, p) => (m.phrases[p]!.intent === i ? [{ score, p }] : []));
      mine.sort((a, b) => b.score - a.score || a.p - b.p); // the closest phrase: the best score, then the lower id
      const k = Math.min(s.intentTopK, mine.length);
      const score = (mine.slice(0, k).reduce((sum, x) => sum + x.score, 0) / Math.max(1, k)) * (probabilities?.factor(i) ?? 1);
      return { intent: intent.path, i, score, phrase: m.phrases[mine[0]?.p ?? 0]!.text };
    })
    .filter((r) => roundScore(r.score) > 0)
    .sort((a, b) => roundScore(b.score) - roundScore(a.score) || a.i - b.i) // events rank by the rounded score
    .slice(0, s.nBest);
}
