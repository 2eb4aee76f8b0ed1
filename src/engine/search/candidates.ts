import { Budget, type Steps } from '../../budget.js';
import { addAcronyms, type Pair } from '../score/align.js';
import { boundMatches, type BoundMatch } from './bound-matches.js';
import { loosen, PhraseBounds } from './bounds.js';
import { CommonWalk } from './common-walk.js';
import { MaxHeap } from './max-heap.js';
import { zeros } from './zeros.js';
import type { PreparedModel, Weights } from '../prepare/prepared-model.js';
import type { AnalyzedRequest } from '../prepare/request.js';

/** What the search knows before it starts, to keep candidates out (classify.ts). */
export interface Pruning {
  /** Bounds under this need no scoring: the search stops before it reaches them. */
  stopBelow(): number;
  /** The search would skip this phrase, whose bound is at most `key`. */
  needless(phrase: number, key: number): boolean;
  /**
   * Scores one phrase before the others are keyed (the one the rare words bring the most), so
   * that stopBelow() and needless() have a floor to go by; none when the caller has one already.
   */
  prime?(phrase: number): void;
}

/** Forced phrases bounded between two looks at the budget (each is an acronym alignment of a phrase). */
const FORCED_PER_LOOK = 8;

/** Relative margin for the quick test against stopBelow(), far above float rounding (bounds' SLACK is 1e-9). */
const STOP_MARGIN = 1e-6;

/** A word is common when its postings cover more than this share of the phrases (and at least MIN). */
const COMMON_SHARE = 1 / 32;
const COMMON_MIN = 64;

/**
 * The phrases worth scoring, in decreasing order of an upper bound of their score (bounds.ts),
 * so the search can stop as soon as a bound falls below the scores it keeps.
 *
 * Common words ("what", "is", "my") reach thousands of phrases, and bounding them all costs
 * more than scoring the few that matter (MaxScore, as search engines prune). So:
 * - the phrases rarer words reach are gathered over postings (`heap`), keyed by what the rare
 *   words bring plus the most the common words could; a key is made exact when it reaches the
 *   top, and the phrase goes to `rest`;
 * - the phrases only common words reach are read lazily (common-walk.ts) while they could still
 *   score above the best known bound and the search still needs them; bounded, they go to `rest`.
 * The order of bounds, and so the result, is that of bounding every phrase.
 */
export class Candidates {
  /** Phrases rare words reach, keyed by an upper bound of their bound (exact if `exactKeys`); gathered on first use. */
  private heap?: MaxHeap;
  /** What gather() reads: the rare words, each word's stems, and the most the common words could bring. */
  private readonly rare: { words: number[]; byWord: [number, number][][]; commonBest: number };
  /** Keys of `heap` are exact bounds (no common words); else upper bounds made exact on reaching the top. */
  private readonly exactKeys: boolean;
  /** Phrases with their exact bounds. */
  private readonly rest = new MaxHeap();
  private readonly walk: CommonWalk;
  readonly bounds: PhraseBounds;
  /** Phrases where a request word may spell the initials of phrase words (their bounds add those pairs, boundOf). */
  readonly forced: number[];
  readonly forcedSet?: Set<number>;
  /** The bounds of the forced phrases, by phrase, as prepare() computes them (each costs an acronym alignment). */
  private readonly forcedBounds = new Map<number, number>();
  /** At least every phrase's bound: each request word at its best, over the lightest phrase (Infinity with forced phrases). */
  readonly most: number;

  constructor(
    private readonly pm: PreparedModel,
    private readonly req: AnalyzedRequest,
    private readonly w: Weights,
    private readonly maxSequence: number,
    private readonly acronymMatch: number,
    /**
     * What the caller knows when the search starts (e.g. the floor after the favoured intent is
     * scored), asked when the phrases are gathered and read: those it rules out never enter the
     * heap. The phrases left keep their order.
     */
    private readonly pruning?: Pruning,
    /** The request's budget: the loops over phrases check its deadline. */
    private readonly budget: Budget = Budget.unlimited(),
  ) {
    const matches = boundMatches(pm, req, acronymMatch);
    const byWord = stemsByWord(req.words.length, matches);
    const limit = Math.max(COMMON_MIN, pm.phraseTerms.length * COMMON_SHARE);
    const rare = byWord.map((stems) => stems.reduce((n, [stem]) => n + (pm.postings[stem] as Int32Array).length, 0) <= limit);
    const common = commonValues(req, w, matches, rare, maxSequence);
    this.bounds = new PhraseBounds(pm, req, matches, w, maxSequence, (word) => rare[word] === true);
    this.bounds.mark();
    this.forced = acronymMatch > 0 ? acronymPhrases(pm, req) : [];
    if (this.forced.length > 0) this.forcedSet = new Set(this.forced);
    this.exactKeys = common.values.size === 0;
    const rareWords: number[] = [];
    for (let i = 0; i < rare.length; i++) if (rare[i]) rareWords.push(i);
    this.rare = { words: rareWords, byWord, commonBest: common.best };
    this.walk = new CommonWalk(pm, w, req.total, common.values);
    this.most = this.forced.length > 0 ? Infinity : mostBound(req, w, matches, maxSequence);
  }

  /**
   * A phrase's bound (bounds.ts); for a phrase where request acronym words spell initials of
   * phrase words, with each such word's best acronym pair added (a word is in one pair at most).
   */
  boundOf(p: number): number {
    const bound = this.bounds.bound(p);
    if (!this.forcedSet?.has(p)) return bound;
    const known = this.forcedBounds.get(p);
    if (known !== undefined) return known;
    this.budget.tick();
    const pairs: Pair[] = [];
    addAcronyms(this.pm, this.req, this.pm.phraseTerms[p] as Int32Array, this.acronymMatch, this.w, pairs);
    const best = new Map<number, number>(); // request acronym word → its best pair
    for (const x of pairs) {
      // Runs of request words spelled by a phrase word are in the bound already (boundMatches).
      if (x.i1 - x.i0 === 1 && this.req.words[x.i0]!.acronym) best.set(x.i0, Math.max(best.get(x.i0) ?? 0, x.coefficient * x.mass));
    }
    const extra = [...best.values()].reduce((sum, v) => sum + v, 0);
    const total = this.req.total + (this.w.phraseTotal[p] as number);
    const forced = extra > 0 && total > 0 ? bound + loosen((this.maxSequence * extra) / total) : bound;
    this.forcedBounds.set(p, forced);
    return forced;
  }

  /**
   * Computes the bounds of the forced phrases before the search reads candidates, pausing
   * between them: a request of many short unknown words can make thousands of phrases forced.
   */
  *prepare(): Steps<void> {
    for (const [k, p] of this.forced.entries()) {
      if (k % FORCED_PER_LOOK === 0 && this.budget.pause()) {
        yield;
        this.resume();
      }
      this.boundOf(p);
    }
  }

  /** Call at the start of every synchronous step that reads candidates (other classifications share the scratch). */
  resume(): void {
    this.bounds.mark();
  }

  /**
   * The highest bound of the phrases not yet popped (0 or less: none can score), or a value
   * `enough` accepts: phrases only common words reach are enumerated until their cap falls
   * to the highest known bound or `enough` accepts the cap (the search needs nothing that low).
   */
  peekBound(enough: (bound: number) => boolean): number {
    // Nothing can change the result (the favoured intents decided it): no need to gather.
    if (this.heap === undefined && enough(this.most)) return this.most;
    const heap = (this.heap ??= this.gather());
    for (;;) {
      const top = heap.peekKey();
      if (!this.exactKeys && top > this.rest.peekKey() && top > 0) {
        // A rare-word phrase with an upper-bound key: replace the key by the exact bound.
        const p = heap.pop();
        const bound = this.bounds.bound(p);
        if (bound > 0) this.rest.insert(p, bound);
        continue;
      }
      this.budget.tick();
      const known = Math.max(top, this.rest.peekKey());
      const cap = this.walk.cap();
      if (cap <= known || cap <= 0 || enough(cap)) return known;
      const p = this.walk.next();
      if (p < 0 || this.forcedSet?.has(p)) continue; // read already, or in `rest`
      // The cap bounds the phrases only common words reach; one a rare word reaches may bound
      // higher, but it is in `heap` already (bound() below would give -1), so skipping it is safe.
      if (this.pruning?.needless(p, cap)) continue;
      const bound = this.bounds.bound(p, true); // -1: a rare word reaches it, so it is in `heap`
      if (bound > 0) this.rest.insert(p, bound);
    }
  }

  /**
   * Removes the phrase with the highest bound (call peekBound() first). On equal keys it takes
   * `heap`'s, whose exact bound may be lower: scoring it then is harmless.
   */
  pop(): number {
    const heap = this.heap!;
    return this.rest.peekKey() > heap.peekKey() ? this.rest.pop() : heap.pop();
  }

  /**
   * Every phrase the rare words reach in one heap (the forced ones go to `rest`). Their keys sum
   * what the rare words bring each phrase (accumulated over postings, which is cheap) and the
   * most the common words could bring (`commonValue`): an upper bound of the bound, made exact
   * when the phrase reaches the top (peekBound). With no common words the keys are exact.
   * Phrases `pruning` rules out are left out.
   */
  private gather(): MaxHeap {
    const { words: rareWords, byWord, commonBest: commonValue } = this.rare;
    const { stamp, touched, acc, best, round } = this.pm.scratch;
    const u = this.req.words;
    let n = 0;
    for (const i of rareWords) {
      const stems = byWord[i]!;
      if (stems.length === 1) {
        // The common case, one stem: its postings are distinct phrases, so the value adds directly.
        const [stem, coefficient] = stems[0]!;
        const value = coefficient * (u[i]!.weight + (this.w.stem[stem] as number));
        if (value <= 0) continue;
        const list = this.pm.postings[stem] as Int32Array;
        for (let k = 0; k < list.length; k++) {
          const p = list[k] as number;
          if (acc[p] === 0) touched[n++] = p;
          acc[p] = (acc[p] as number) + value;
        }
        continue;
      }
      let nRound = 0;
      for (const [stem, coefficient] of stems) {
        const value = coefficient * (u[i]!.weight + (this.w.stem[stem] as number));
        if (value <= 0) continue;
        const list = this.pm.postings[stem] as Int32Array;
        for (let k = 0; k < list.length; k++) {
          const p = list[k] as number;
          // A word may reach a phrase through several stems (synonyms, typos): it brings the best, once.
          if (stamp[p] !== 2) {
            stamp[p] = 2;
            best[p] = value;
            round[nRound++] = p;
          } else if (value > (best[p] as number)) best[p] = value;
        }
      }
      for (let k = 0; k < nRound; k++) {
        const p = round[k] as number;
        if (acc[p] === 0) touched[n++] = p;
        acc[p] = (acc[p] as number) + (best[p] as number);
        stamp[p] = 0;
      }
    }
    const heap = new MaxHeap();
    const pruning = this.pruning;
    if (pruning?.prime && n > 0) {
      let top = touched[0] as number;
      for (let k = 1; k < n; k++) if ((acc[touched[k] as number] as number) > (acc[top] as number)) top = touched[k] as number;
      pruning.prime(top);
    }
    // A phrase whose sum stays under `least` keys under pruning.stopBelow() even with the
    // lightest phrase's weight in the denominator: it is left out without computing its key
    // (most are). The margin keeps float rounding on the safe side.
    const least = pruning ? (pruning.stopBelow() * (this.req.total + this.w.lightest)) / (this.maxSequence * (1 + STOP_MARGIN)) - commonValue : -Infinity;
    // The same test with the phrase's own weight, by a product: with nBest > 1 the cut is low,
    // and the lightest weight lets most phrases through to a division and pruning.needless().
    const cut = pruning ? pruning.stopBelow() / (this.maxSequence * (1 + STOP_MARGIN)) : -Infinity;
    for (let k = 0; k < n; k++) {
      const p = touched[k] as number;
      const sum = acc[p] as number;
      acc[p] = 0;
      if (sum < least) continue;
      const total = this.req.total + (this.w.phraseTotal[p] as number);
      if (sum + commonValue < cut * total) continue;
      const key = loosen((this.maxSequence * (sum + commonValue)) / total);
      if (!this.forcedSet?.has(p) && !pruning?.needless(p, key)) heap.push(p, key);
    }
    for (const p of this.forced) this.rest.insert(p, this.boundOf(p));
    heap.heapify();
    return heap;
  }
}

/**
 * What the common words can bring: per common stem, the most a phrase can get from it
 * (maxSequence × Σ over the words that may meet it of c × (u + v); several words may meet one
 * stem: "to … to", acronyms); and `best`, the sum over common words of their best c × (u + v).
 */
function commonValues(req: AnalyzedRequest, w: Weights, matches: ReadonlyMap<number, readonly BoundMatch[]>, rare: readonly boolean[], maxSequence: number) {
  const values = new Map<number, number>();
  const wordBest = zeros(req.words.length);
  const here = zeros(req.words.length); // per word, its best value with the current stem
  const words: number[] = [];
  for (const [stem, list] of matches) {
    for (const m of list) {
      const x = m.coefficient * (req.words[m.word]!.weight + (w.stem[stem] as number));
      if (rare[m.word] || x <= 0) continue;
      // A word listed twice for one stem (a bound match of another kind) counts once, at its best.
      if (here[m.word] === 0) words.push(m.word);
      here[m.word] = Math.max(here[m.word] as number, x);
    }
    let sum = 0;
    for (const word of words) {
      sum += here[word] as number;
      wordBest[word] = Math.max(wordBest[word] as number, here[word] as number);
      here[word] = 0;
    }
    words.length = 0;
    if (sum > 0) values.set(stem, maxSequence * sum);
  }
  return { values, best: wordBest.reduce((a, b) => a + b, 0) };
}

/**
 * An upper bound of every phrase's bound (bounds.ts) but the acronym pairs Candidates.boundOf
 * adds: each request word brings at most its best value over all its matches, and no phrase
 * weighs less than the lightest. Raised by STOP_MARGIN, as the bounds sum in other orders.
 */
function mostBound(req: AnalyzedRequest, w: Weights, matches: ReadonlyMap<number, readonly BoundMatch[]>, maxSequence: number): number {
  const best = zeros(req.words.length);
  for (const [stem, list] of matches) {
    const v = w.stem[stem] as number;
    for (const m of list) {
      const value = m.coefficient * req.words[m.word]!.weight + m.coefficient * v;
      if (value > (best[m.word] as number)) best[m.word] = value;
    }
  }
  const sum = best.reduce((a, b) => a + b, 0);
  const total = req.total + w.lightest;
  if (sum <= 0) return 0;
  return total > 0 ? ((maxSequence * sum) / total) * (1 + STOP_MARGIN) : Infinity;
}

/** For each request word, the stems it can align with, each with its coefficient. */
function stemsByWord(words: number, matches: ReadonlyMap<number, readonly BoundMatch[]>): [number, number][][] {
  const byWord: [number, number][][] = [];
  for (let i = 0; i < words; i++) byWord.push([]);
  for (const [stem, list] of matches) {
    for (const m of list) byWord[m.word]!.push([stem, m.coefficient]);
  }
  return byWord;
}

function acronymPhrases(pm: PreparedModel, req: AnalyzedRequest): number[] {
  const found = new Set<number>();
  if (req.hasAcronymWords) {
    const index = pm.acronyms();
    for (const word of req.words) {
      if (word.acronym) for (const p of index.get(word.form) ?? []) found.add(p);
    }
  }
  return [...found];
}
