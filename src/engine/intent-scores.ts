/**
 * Per-intent scores during a search, and when the search may stop.
 *
 * An intent's score is the mean of its k closest phrases (k = intentTopK; 1 = the closest
 * phrase, JAICP's rule), over min(k, its phrase count) phrases, an unscored phrase counting 0.
 * Phrases arrive in decreasing order of an upper bound of their score. The intents ranked by
 * their closest phrase form a pool (the nBest best; for k > 1 at least RERANK_POOL); the
 * search stops once no later phrase can enter the pool nor change a pooled intent's k best.
 * For k = 1 the result is exactly that of scoring every phrase; for k > 1 the k-phrase mean
 * re-ranks the intents whose closest phrases are the best (an intent outside the pool could
 * only win if its mean beat intents whose closest phrase is closer than any of its own).
 * For k > 1, a phrase of an intent outside a full pool is scored only if it could bring its
 * intent into the pool (bound above the pool's floor); since bounds only fall and the floor only
 * rises, such an intent can never enter the pool later, so skipping its phrases loses nothing.
 */
export const RERANK_POOL = 5;

interface Top {
  scores: number[]; // descending, at most k
  phrases: number[];
}

export class IntentScores {
  private readonly tops = new Map<number, Top>();
  private readonly poolSize: number;
  /** The intents with the best closest phrase, best first, at most poolSize. */
  private readonly pool: { intent: number; best: number }[] = [];
  private poolFloor = -Infinity; // the pool-th best closest-phrase score, once the pool is full
  constructor(
    private readonly k: number,
    nBest: number,
    private readonly phraseCounts: Int32Array,
  ) {
    this.poolSize = k === 1 ? nBest : Math.max(nBest, RERANK_POOL);
  }

  add(intent: number, phrase: number, score: number): void {
    let top = this.tops.get(intent);
    if (!top) this.tops.set(intent, (top = { scores: [], phrases: [] }));
    let at = top.scores.findIndex((s) => score > s);
    if (at < 0) at = top.scores.length;
    if (at >= this.k) return;
    top.scores.splice(at, 0, score);
    top.phrases.splice(at, 0, phrase);
    if (top.scores.length > this.k) {
      top.scores.pop();
      top.phrases.pop();
    }
    if (at === 0) this.updatePool(intent, score);
  }

  /** False when a phrase with this bound cannot change the result (it cannot enter its intent's k best, or the pool). */
  worthScoring(intent: number, bound: number): boolean {
    if (this.k > 1 && this.pool.length === this.poolSize && bound <= this.poolFloor && !this.inPool(intent)) return false;
    const top = this.tops.get(intent);
    return !top || top.scores.length < this.wanted(intent) || bound > (top.scores[top.scores.length - 1] as number);
  }

  /** True when no phrase with a bound this low can change the result. */
  canStop(bound: number): boolean {
    if (bound > this.poolFloor) return false;
    return this.pool.every((p) => !this.worthScoring(p.intent, bound));
  }

  /** Intents by their score, best first (ties: lower intent id), with each one's closest phrase; for k > 1 the pool's. */
  ranked(): { intent: number; score: number; phrase: number }[] {
    const entries = this.k === 1 ? [...this.tops.entries()] : this.pool.map((p) => [p.intent, this.tops.get(p.intent)!] as const);
    return entries
      .map(([intent, top]) => ({
        intent,
        phrase: top.phrases[0] as number,
        score: top.scores.reduce((a, b) => a + b, 0) / this.wanted(intent),
      }))
      .sort((a, b) => b.score - a.score || a.intent - b.intent);
  }

  private inPool(intent: number): boolean {
    return this.pool.some((p) => p.intent === intent);
  }

  private wanted(intent: number): number {
    return Math.max(1, Math.min(this.k, this.phraseCounts[intent] ?? 1));
  }

  /** An intent's closest phrase improved: keep the pool sorted, in O(pool size). */
  private updatePool(intent: number, best: number) {
    const pool = this.pool;
    const at = pool.findIndex((p) => p.intent === intent);
    if (at >= 0) pool.splice(at, 1);
    else if (pool.length === this.poolSize && best <= this.poolFloor) return;
    let k = pool.findIndex((p) => best > p.best);
    if (k < 0) k = pool.length;
    pool.splice(k, 0, { intent, best });
    if (pool.length > this.poolSize) pool.pop();
    if (pool.length === this.poolSize) this.poolFloor = pool[pool.length - 1]!.best;
  }
}
