import type { PreparedModel, Weights } from './prepared-model.js';
import type { AnalyzedRequest } from './request.js';
import { MaxHeap } from './max-heap.js';

/**
 * The phrases worth scoring, from the inverted index, each with an upper bound of its score:
 *   bound = maxSequence × Σ_request words max_(stems of the phrase it can match) c × (u + v)
 *           / (U + V_phrase)
 * Each request word is in at most one pair and a pair weighs c × (u + v), so no alignment can
 * beat it. Scoring in bound order can stop as soon as a bound falls below the scores kept.
 * Phrases reached through acronyms get an infinite bound (an acronym pair spans several words).
 *
 * Common words ("what", "is", "my") reach thousands of phrases, and ordering them all cost
 * more than scoring the few that matter. So phrases are first gathered through the rarer words
 * only (the common ones still add to those phrases' bounds); a phrase that only common words
 * reach cannot score above `restBound`, and `expand()` gathers those phrases only if the search
 * gets that low (MaxScore, as search engines prune). The result is the same as gathering all.
 */
export interface Candidates {
  heap: MaxHeap;
  /** Bound of every phrase not in `heap`: reached by common words only (0 when there are none). */
  restBound: number;
  /** A heap of the phrases reached by common words only. */
  expand: () => MaxHeap;
}

/** A word is common when its postings cover more than this share of the phrases (and at least MIN). */
const COMMON_SHARE = 1 / 32;
const COMMON_MIN = 64;

export function findCandidates(
  pm: PreparedModel,
  req: AnalyzedRequest,
  w: Weights,
  maxSequence: number,
  acronyms: boolean,
  /** Defer common words: pays off when one intent is wanted (nBest 1); with several, most searches expand anyway. */
  deferCommon: boolean,
): Candidates {
  const byWord = groupMatchesByWord(req);
  const limit = deferCommon ? Math.max(COMMON_MIN, pm.phraseTerms.length * COMMON_SHARE) : Infinity;
  const reach = byWord.map((stems) => stems.reduce((n, [stem]) => n + (pm.postings[stem] as Int32Array).length, 0));
  let rare = byWord.map((_, i) => i).filter((i) => (reach[i] as number) <= limit);
  let common = byWord.map((_, i) => i).filter((i) => (reach[i] as number) > limit);
  if (rare.length === 0) [rare, common] = [common, []]; // nothing to prune with: gather everything

  const acc = new Accumulator(pm, req, w, byWord);
  acc.add(rare, 'open');
  acc.add(common, 'closed');
  const forced = acronyms ? acronymPhrases(pm, req) : [];
  acc.force(forced);
  const heap = acc.drain(maxSequence, 0);
  return {
    heap,
    restBound: common.length > 0 ? maxSequence * commonOnlyBound(req, w, byWord, common) : 0,
    expand: () => {
      const again = new Accumulator(pm, req, w, byWord);
      again.add(rare, 'open');
      again.force(forced);
      const seen = again.touchedCount();
      again.add(common, 'open');
      return again.drain(maxSequence, seen);
    },
  };
}

/**
 * Bound of a phrase reached by common words C only: Σ_C c·(u + v) / (U + V_phrase) with V_phrase ≥ Σ
 * of the matched v. For c ≤ 1 the ratio grows with each v and with each word added (U ≥ Σ u),
 * so the largest value is at v = the word's largest match weight, over all of C.
 */
function commonOnlyBound(req: AnalyzedRequest, w: Weights, byWord: [number, number][][], common: number[]): number {
  let numerator = 0;
  let vSum = 0;
  let cMax = 0;
  for (const i of common) {
    let best = 0;
    let vMax = 0;
    for (const [stem, c] of byWord[i]!) {
      const v = w.stem[stem] as number;
      best = Math.max(best, c * (req.words[i]!.weight + v));
      vMax = Math.max(vMax, v);
      cMax = Math.max(cMax, c);
    }
    numerator += best;
    vSum += vMax;
  }
  if (numerator <= 0) return 0;
  return cMax <= 1 ? numerator / (req.total + vSum) : numerator / req.total;
}

/** Sums per phrase the best value each request word can bring, in the model's scratch arrays. */
class Accumulator {
  private nTouched = 0;
  constructor(
    private readonly pm: PreparedModel,
    private readonly req: AnalyzedRequest,
    private readonly w: Weights,
    private readonly byWord: [number, number][][],
  ) {}

  touchedCount(): number {
    return this.nTouched;
  }

  /** `open`: any phrase the words reach; `closed`: only phrases already touched. */
  add(words: number[], mode: 'open' | 'closed'): void {
    const { stamp, best, acc, touched, round } = this.pm.scratch;
    for (const i of words) {
      const u = this.req.words[i]!.weight;
      const stems = this.byWord[i]!;
      if (stems.length === 1) {
        // The common case, one stem: postings are distinct, so the value adds directly.
        const [stem, coefficient] = stems[0]!;
        const value = coefficient * (u + (this.w.stem[stem] as number));
        if (value <= 0) continue;
        const list = this.pm.postings[stem] as Int32Array;
        for (let k = 0; k < list.length; k++) {
          const p = list[k] as number;
          if (acc[p] === 0) {
            if (mode === 'closed') continue;
            touched[this.nTouched++] = p;
          }
          acc[p] = (acc[p] as number) + value;
        }
        continue;
      }
      // A word may reach a phrase through several stems (synonyms, typos): it brings the best, once.
      const mark = i + 1;
      let nRound = 0;
      for (const [stem, coefficient] of stems) {
        const value = coefficient * (u + (this.w.stem[stem] as number));
        if (value <= 0) continue;
        const list = this.pm.postings[stem] as Int32Array;
        for (let k = 0; k < list.length; k++) {
          const p = list[k] as number;
          if (mode === 'closed' && acc[p] === 0) continue;
          if (stamp[p] !== mark) {
            stamp[p] = mark;
            best[p] = value;
            round[nRound++] = p;
          } else if (value > (best[p] as number)) best[p] = value;
        }
      }
      for (let k = 0; k < nRound; k++) {
        const p = round[k] as number;
        if (acc[p] === 0) touched[this.nTouched++] = p;
        acc[p] = (acc[p] as number) + (best[p] as number);
        stamp[p] = 0;
      }
    }
  }

  force(phrases: number[]): void {
    const { acc, touched } = this.pm.scratch;
    for (const p of phrases) {
      if (acc[p] === 0) touched[this.nTouched++] = p;
      acc[p] = Infinity;
    }
  }

  /** A heap of the touched phrases from index `from` on, with their bounds; clears the scratch slots. */
  drain(maxSequence: number, from: number): MaxHeap {
    const { acc, touched } = this.pm.scratch;
    const heap = new MaxHeap(this.nTouched - from);
    for (let k = 0; k < this.nTouched; k++) {
      const p = touched[k] as number;
      if (k >= from) heap.push(p, (maxSequence * (acc[p] as number)) / (this.req.total + (this.w.phraseTotal[p] as number)));
      acc[p] = 0;
    }
    heap.heapify();
    return heap;
  }
}

function groupMatchesByWord(req: AnalyzedRequest): [number, number][][] {
  const byWord: [number, number][][] = req.words.map(() => []);
  for (const [stem, list] of req.matches) {
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
  for (const term of req.acronymTerms.keys()) {
    for (const p of pm.postings[pm.termStems[term] as number] ?? []) found.add(p);
  }
  return [...found];
}
