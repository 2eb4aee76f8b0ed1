import type { Budget } from '../../budget.js';
import type { FastAligner } from './align-fast.js';
import { mayExceed } from './bounds.js';
import type { Candidates } from './candidates.js';
import { ROUNDING_MARGIN, SCORE_DECIMALS, roundScore } from '../score/rounding.js';
import { MaxHeap } from './max-heap.js';
import { insertTop, leadingPositions } from './top-list.js';
import { zeros } from './zeros.js';
import type { PreparedModel } from '../prepare/prepared-model.js';

/**
 * intentTopK = k > 1: an intent's score is the mean of its k closest phrases, over
 * min(k, its phrase count) phrases, a phrase sharing nothing with the request counting 0.
 *
 * The mean never exceeds the closest phrase's score. So while the search finds closest phrases
 * in decreasing order of bound (classify.ts), an intent is scored by its mean as soon as its
 * closest phrase is final (no later bound can beat it), in order of that closest phrase; and the
 * search stops when the next bound is below what could round to the nBest-th best mean found:
 * no intent left can beat or tie it. The result is what scoring every intent by its mean would
 * give, at the cost of the few intents whose closest phrase beats the winning mean.
 *
 * With probabilityWeight, an intent's score is its mean times its `factor` ((P / P_max)^γ', at
 * most 1): the bounds above are multiplied by the largest factor of the intents not scored yet
 * (once the favoured intent is scored, the next one's), so the result stays exact.
 */
export class TopKMeans {
  /** Intents whose closest phrase improved, keyed by that score (older entries are skipped when popped). */
  private readonly pending = new MaxHeap();
  private readonly done: number[];
  /** The best means so far, best first, at most nBest. */
  private readonly top: { intent: number; score: number; phrase: number }[] = [];
  /** At least the factor of every intent not done yet: what bounds are multiplied by. */
  private maxFactor: number;

  constructor(
    private readonly reranker: Reranker,
    private readonly nBest: number,
    intents: number,
    /** The intent's closest-phrase score so far. */
    private readonly closest: (intent: number) => number,
    /** Each intent's score multiplier in 0..1, and a bound on those of the intents not done (probabilityWeight), or none. */
    private readonly factor?: { factor(intent: number): number; maxFactor(done: readonly number[]): number; readonly mostFavoured: readonly number[] },
    /** Intents whose score rounds to this or less are not wanted (as in IntentScores' constructor). */
    wantedAbove = -Infinity,
  ) {
    this.done = zeros(intents);
    this.maxFactor = factor ? factor.maxFactor(this.done) : 1;
    this.least = Math.max(ZERO, wantedAbove - ROUNDING_MARGIN);
    this.floor = this.least;
  }

  /** The floor's least value: ZERO, or what could still round above the wanted scores' limit. */
  private readonly least: number;

  /**
   * The nBest-th best mean, rounded as events report it, less what could still round to it;
   * never below `least` (until there are nBest, `least`). Kept up to date by score(), read for
   * every phrase.
   */
  private floor: number;

  /** An intent's closest phrase improved to `score`. */
  improved(intent: number, score: number): void {
    this.pending.insert(intent, score);
  }

  /** True once its mean is known: its phrases need no more scoring. */
  isDone(intent: number): boolean {
    return this.done[intent] === 1;
  }

  /**
   * Scores by their means the intents whose closest phrase is final (at least `bound`, the
   * highest bound left) and above the floor, best first. Call before canStop(bound).
   */
  settle(bound: number): void {
    while (this.pending.length > 0) {
      const key = this.pending.peekKey();
      if (key < bound || key * this.maxFactor < this.floor) return;
      const intent = this.pending.pop();
      if (this.done[intent] === 1 || this.closest(intent) !== key) continue; // an older entry
      this.score(intent, key);
    }
  }

  /**
   * With probabilityWeight: scores the nBest intents the words favour most (the first with
   * factor 1) at once, whatever their closest phrases. Until the favoured one is scored, every
   * bound is multiplied by 1; after, by the next intent's factor; and once nBest are scored the
   * floor is their least score, so the search leaves out every phrase that cannot beat it before
   * bounding it (with nBest 5, the default, most of them: the nBest-th best is rarely far below).
   * Then the next favoured ones, while `most` (at least every phrase's bound) times the largest
   * factor left could still reach the floor: each lowers that factor, and once it cannot, the
   * search has nothing left to read.
   */
  scoreFavoured(most: number): void {
    const favoured = this.factor?.mostFavoured ?? [];
    for (let k = 0; k < favoured.length; k++) {
      if (k >= this.nBest && this.canStop(most)) return;
      const intent = favoured[k] as number;
      if (this.done[intent] !== 1) this.score(intent, Infinity);
    }
  }

  /** Scores an intent by its mean times its factor (unless its closest phrase, `closest`, keeps it under the floor). */
  private score(intent: number, closest: number): void {
    this.done[intent] = 1;
    if (this.factor) this.maxFactor = this.factor.maxFactor(this.done);
    const factor = this.factor ? this.factor.factor(intent) : 1;
    if (closest * factor < this.floor) return; // even a mean equal to its closest phrase stays below
    const { score, phrase } = this.reranker.score(intent, this.floor / factor);
    if (phrase < 0) return; // its mean stays under the floor, or no phrase of it shares anything with the request
    const mean = { intent, score: score * factor, phrase };
    // Ranked as events rank: by the rounded score, then the lower intent id.
    const rounded = roundScore(mean.score);
    insertTop(this.top, mean, this.nBest, (t) => rounded > roundScore(t.score) || (rounded === roundScore(t.score) && intent < t.intent));
    if (this.top.length === this.nBest) this.floor = Math.max(this.least, roundScore(this.top[this.nBest - 1]!.score) - ROUNDING_MARGIN);
  }

  /**
   * The intent's factor keeps a phrase with this bound below the floor: the phrase need not be
   * scored (if it is the intent's closest, the intent still cannot enter the best).
   */
  belowFloor(intent: number, bound: number): boolean {
    return this.factor !== undefined && bound * this.factor.factor(intent) < this.floor;
  }

  /** Bounds under this can change nothing (canStop holds for them, up to rounding). */
  stopBelow(): number {
    return this.maxFactor > 0 ? this.floor / this.maxFactor : Infinity;
  }

  /** No phrase with a bound this low can change the result (after settle(bound)). */
  canStop(bound: number): boolean {
    return bound * this.maxFactor < this.floor;
  }

  /** The best intents by mean (times their factor), best first, with each one's closest phrase. */
  ranked(): { intent: number; score: number; phrase: number }[] {
    return [...this.top];
  }
}

/**
 * One intent's k-phrase mean: the bound of each of its phrases is computed from the request's
 * matches, and phrases are aligned in bound order until the next bound cannot enter the k best.
 */
export class Reranker {
  constructor(
    private readonly pm: PreparedModel,
    /** Marked for the current step (Candidates.resume()). */
    private readonly candidates: Candidates,
    private readonly aligner: FastAligner,
    private readonly k: number,
    /** Scores already computed during the search, by phrase. */
    private readonly known: ReadonlyMap<number, number>,
    /** The request's budget: an intent with many phrases checks its deadline as it goes. */
    private readonly budget: Budget,
  ) {}

  /**
   * The intent's k-phrase mean and its closest phrase; or phrase -1 as soon as the mean cannot
   * reach `wanted` (the caller has no use for it then: it cannot enter the best).
   */
  score(intent: number, wanted = 0): { score: number; phrase: number } {
    const { pm, k } = this;
    const phrases = pm.intentPhrases[intent] as Int32Array;
    const first = pm.intentStart?.[intent];
    const ranged = first === undefined ? undefined : this.candidates.bounds.boundsOfRange(first, first + phrases.length);
    const forced = this.candidates.forcedSet;
    const bounds = ranged ?? zeros(phrases.length);
    // Phrase by phrase only where the range has no bound, or some phrases are forced (boundOf adds their acronym pairs).
    if (!ranged || forced) {
      for (let q = 0; q < phrases.length; q++) {
        const p = phrases[q] as number;
        if (!ranged || forced?.has(p)) bounds[q] = this.candidates.boundOf(p);
      }
    }
    const top: { score: number; phrase: number }[] = []; // descending, at most k
    // A phrase that can only tie the k-th best changes no mean; one that can only tie the closest
    // phrase changes it only with a lower id (the closest phrase is the lower id on equal scores).
    const kthCertain = (bound: number) => top.length === k && !mayExceed(bound, top[k - 1]!.score);
    const needless = (bound: number, p: number) => kthCertain(bound) && !(bound >= top[0]!.score && p < top[0]!.phrase);
    /** No phrase with this bound, or a lower one, can change the mean or the closest phrase. */
    const certain = (bound: number) => kthCertain(bound) && bound < top[0]!.score;
    const take = (p: number, bound: number) => {
      if (needless(bound, p)) return;
      this.budget.tick();
      const score = this.known.get(p) ?? this.aligner.score(p);
      insertTop(top, { score, phrase: p }, k, (t) => score > t.score || (score === t.score && p < t.phrase));
    };
    const size = Math.max(1, Math.min(k, phrases.length));
    let hopeless = false; // the mean cannot reach `wanted`
    /** Takes the next phrase in bound order; true once nothing further can change the mean, or it is hopeless. */
    const settled = (p: number, bound: number): boolean => {
      if (certain(bound)) return true;
      hopeless = wanted > 0 && mostMean(top, bound, size) < wanted;
      if (!hopeless) take(p, bound);
      return hopeless;
    };
    // Phrases in bound order (ties: lower id): the LEAD × k best first, picked in one pass
    // without ordering the rest (an intent may have thousands of phrases, and its k best rarely
    // need many more); then, if those did not settle the mean, the rest from a heap.
    const lead = leadingPositions(bounds, LEAD * k, 0);
    let done = false;
    for (let i = 0; i < lead.best.length && !done; i++) {
      const q = lead.best[i] as number;
      done = settled(phrases[q] as number, bounds[q] as number);
    }
    if (!done && lead.count > lead.best.length) {
      const inLead = new Set(lead.best);
      const heap = new MaxHeap();
      for (let q = 0; q < phrases.length; q++) if ((bounds[q] as number) > 0 && !inLead.has(q)) heap.push(phrases[q] as number, bounds[q] as number);
      heap.heapify();
      while (heap.length > 0 && !done) {
        const bound = heap.peekKey();
        done = settled(heap.pop(), bound);
      }
    }
    if (hopeless) return { score: 0, phrase: -1 };
    return this.mean(top, phrases.length);
  }

  private mean(top: { score: number; phrase: number }[], phrases: number): { score: number; phrase: number } {
    const wanted = Math.max(1, Math.min(this.k, phrases));
    return { score: top.reduce((sum, t) => sum + t.score, 0) / wanted, phrase: top[0]?.phrase ?? -1 };
  }
}

/** How many phrases per k the re-ranking picks before it orders the rest. */
const LEAD = 4;

/**
 * The most a k-phrase mean over `size` places can become when `top` (descending) holds the
 * best scores so far and no phrase left scores above `bound`: each place ends at most at the
 * larger of its score now and the bound.
 */
function mostMean(top: readonly { score: number }[], bound: number, size: number): number {
  let sum = 0;
  for (let i = 0; i < size; i++) sum += Math.max(top[i]?.score ?? 0, bound);
  return sum / size;
}

/**
 * Scores under this round to 0, and an intent scoring 0 is not listed (classify.ts ranked()):
 * the floor is never lower. With steep probabilityWeight factors most intents' scores round to
 * 0; without this floor they would fill the nBest places and the search could never stop early.
 */
const ZERO = 0.4 * 10 ** -SCORE_DECIMALS;
