import { mayExceed } from './bounds.js';
import { ROUNDING_MARGIN, roundScore } from '../score/rounding.js';
import { insertTop } from './top-list.js';

/**
 * The closest phrase of each intent during a search, and when the search may stop.
 *
 * Phrases arrive in decreasing order of an upper bound of their score. The intents ranked by
 * their closest phrase form a pool (the `size` best, ranked as events rank them: by the rounded
 * score, then the lower intent id); the search stops once no later phrase can enter the pool or
 * raise a pooled intent's score (its bound is below what could round to the pool's floor). The
 * pool is then exactly what scoring every phrase would give, whatever order phrases come in.
 * With intentTopK > 1, rerank.ts ranks intents by their k closest phrases and decides when to
 * stop instead.
 */
export class IntentScores {
  private readonly best = new Map<number, { score: number; phrase: number }>();
  /** The intents with the best closest phrase (its score rounded), best first, at most `size`. */
  private readonly pooled: { intent: number; score: number }[] = [];
  private floor = -Infinity; // the size-th best closest-phrase score (rounded), once the pool is full
  /** Bounds under this cannot reach a wanted score (-Infinity: every score is wanted). */
  private readonly least: number;

  /**
   * `wantedAbove`: only intents whose score rounds above it are wanted (Caila lists the variants
   * above the threshold), so the search may stop once no bound can round above it either.
   */
  constructor(
    private readonly size: number,
    wantedAbove = -Infinity,
  ) {
    this.least = wantedAbove - ROUNDING_MARGIN;
  }

  /** True when the phrase is the intent's closest so far (on equal scores, the lower phrase id). */
  add(intent: number, phrase: number, score: number): boolean {
    const current = this.best.get(intent);
    if (current && (score < current.score || (score === current.score && phrase >= current.phrase))) return false;
    this.best.set(intent, { score, phrase });
    this.updatePool(intent, score);
    return true;
  }

  /** The intent's closest-phrase score so far (-Infinity if none). */
  closest(intent: number): number {
    return this.best.get(intent)?.score ?? -Infinity;
  }

  /** False when a phrase with this bound cannot become its intent's closest phrase. */
  worthScoring(intent: number, phrase: number, bound: number): boolean {
    const current = this.best.get(intent);
    return !current || mayExceed(bound, current.score) || (bound >= current.score && phrase < current.phrase);
  }

  /**
   * True when no phrase with a bound this low can change the pool. A phrase that could round
   * to the floor could still tie it and win on the lower intent id, so it is still scored.
   */
  canStop(bound: number): boolean {
    return bound < this.stopBelow();
  }

  /** Bounds under this need no scoring (canStop holds for them); until the pool is full, only those no wanted score is above. */
  stopBelow(): number {
    return Math.max(this.least, this.pooled.length === this.size ? this.floor - ROUNDING_MARGIN : -Infinity);
  }

  /** The pooled intents by their closest phrase, best first (ties: lower intent id), with that phrase. */
  pool(): { intent: number; score: number; phrase: number }[] {
    return this.pooled
      .map(({ intent }) => ({ intent, ...this.best.get(intent)! }))
      .sort((a, b) => roundScore(b.score) - roundScore(a.score) || a.intent - b.intent);
  }

  /** An intent's closest phrase improved: keep the pool sorted (ties: lower intent id first), in O(pool size). */
  private updatePool(intent: number, score: number) {
    const pool = this.pooled;
    const at = pool.findIndex((p) => p.intent === intent);
    if (at >= 0) pool.splice(at, 1);
    const rounded = roundScore(score);
    insertTop(pool, { intent, score: rounded }, this.size, (p) => rounded > p.score || (rounded === p.score && intent < p.intent));
    if (pool.length === this.size) this.floor = pool[pool.length - 1]!.score;
  }
}
