import type { PreparedModel, Weights } from './prepared-model.js';
import type { AnalyzedRequest, StemMatch } from './request.js';

/** How a request word may meet a phrase stem for bounds: the request's matches, and 'acronym' (see boundMatches). */
export type BoundMatch = Omit<StemMatch, 'kind'> & { kind: StemMatch['kind'] | 'acronym' };
export const MATCH_KINDS: readonly BoundMatch['kind'][] = ['stem', 'synonym', 'jaccard', 'entity', 'acronym'];

/**
 * The request's matches, plus one per word of a run whose initials a phrase word spells
 * ("eta" for "estimated time of arrival"): each word of the run meets that word's stem with
 * acronymMatch. The acronym pair weighs acronymMatch × (v + Σ_run u), at most the sum of
 * those per-word values, so bounds stay bounds; the phrases are found through postings.
 */
export function boundMatches(pm: PreparedModel, req: AnalyzedRequest, acronymMatch: number): Map<number, BoundMatch[]> {
  if (acronymMatch <= 0 || req.acronymTerms.size === 0) return req.matches;
  const matches = new Map<number, BoundMatch[]>([...req.matches].map(([stem, list]) => [stem, [...list]]));
  for (const [term, runs] of req.acronymTerms) {
    const stem = pm.termStems[term] as number;
    const list = matches.get(stem) ?? [];
    for (const run of runs) {
      for (let word = run.start; word < run.end; word++) {
        if (!list.some((m) => m.word === word && m.kind === 'acronym')) list.push({ word, kind: 'acronym', coefficient: acronymMatch });
      }
    }
    matches.set(stem, list);
  }
  return matches;
}

/**
 * Upper bounds of phrase scores, computed from the phrase's side:
 *   bound = maxSequence × Σ_request words max_(stems of the phrase it can match) c × (u + v)
 *           / (U + V_phrase)
 * Each request word is in at most one pair and a pair weighs c × (u + v), so no alignment can
 * beat it (docs/scoring.md §8). Phrases reached through acronyms are not bounded here (an
 * acronym pair spans several words); the callers give them an infinite bound.
 *
 * The request's stems are looked up through the model's scratch arrays, which other
 * classifications also use: call mark() at the start of every synchronous step.
 */
export class PhraseBounds {
  private readonly stems: number[];
  /** The matches of slot k are entries starts[k] .. starts[k + 1] - 1 of the arrays below (read by align-fast.ts too). */
  readonly starts: Int32Array;
  readonly matchWord: Int32Array;
  /** c and c × u of each match: its value with a phrase stem of weight v is cu + c × v. */
  readonly matchC: Float64Array;
  readonly matchCU: Float64Array;
  /** The match's kind: MATCH_KINDS index. */
  readonly matchKind: Uint8Array;
  /** 1 for the slots of stems that some word of `marked` matches. */
  private readonly flagged: Uint8Array;
  private readonly wordBest: Float64Array;
  /** No request word meets more than one stem (with one match each): sums need no per-word max. */
  private readonly oneSlotPerWord: boolean;
  readonly stemStamp: Int32Array;
  readonly stemSlot: Int32Array;
  private readonly phraseStems: Int32Array;
  private readonly phraseStart: Int32Array;
  private readonly stemWeight: Float64Array;
  private readonly phraseTotal: Float64Array;
  serial = 0;

  constructor(
    private readonly pm: PreparedModel,
    private readonly req: AnalyzedRequest,
    matches: ReadonlyMap<number, readonly BoundMatch[]>,
    w: Weights,
    private readonly maxSequence: number,
    /** Request words whose stems bound() reports (see `flagged`). */
    marked: (word: number) => boolean = () => false,
  ) {
    this.stems = [...matches.keys()];
    const lists = [...matches.values()];
    const n = lists.reduce((sum, l) => sum + l.length, 0);
    this.starts = new Int32Array(lists.length + 1);
    this.matchWord = new Int32Array(n);
    this.matchC = new Float64Array(n);
    this.matchCU = new Float64Array(n);
    this.matchKind = new Uint8Array(n);
    this.flagged = new Uint8Array(lists.length);
    let at = 0;
    lists.forEach((list, slot) => {
      this.starts[slot] = at;
      for (const m of list) {
        this.matchWord[at] = m.word;
        this.matchC[at] = m.coefficient;
        this.matchCU[at] = m.coefficient * req.words[m.word]!.weight;
        this.matchKind[at] = MATCH_KINDS.indexOf(m.kind);
        if (marked(m.word)) this.flagged[slot] = 1;
        at++;
      }
    });
    this.starts[lists.length] = at;
    this.wordBest = new Float64Array(req.words.length);
    const slotsOfWord = new Int32Array(req.words.length);
    for (let k = 0; k < n; k++) slotsOfWord[this.matchWord[k] as number]!++;
    this.oneSlotPerWord = slotsOfWord.every((c) => c <= 1);
    ({ stemStamp: this.stemStamp, stemSlot: this.stemSlot } = pm.scratch);
    this.phraseStems = pm.phraseStems;
    this.phraseStart = pm.phraseStart;
    this.stemWeight = w.stem;
    this.phraseTotal = w.phraseTotal;
  }

  mark(): void {
    const sc = this.pm.scratch;
    sc.serial = (sc.serial + 1) | 0 || 1;
    this.serial = sc.serial;
    for (let slot = 0; slot < this.stems.length; slot++) {
      const stem = this.stems[slot] as number;
      this.stemStamp[stem] = sc.serial;
      this.stemSlot[stem] = slot;
    }
  }

  /**
   * The bounds of phrases first .. end - 1 (without acronym pairs), through the postings of the
   * request's stems rather than phrase by phrase: the cheaper way for a run of phrases such as
   * one intent's.
   */
  boundsOfRange(first: number, end: number): Float64Array {
    const n = end - first;
    const { starts, matchWord, matchC, matchCU, stemWeight } = this;
    // When no word meets two stems, a word brings each phrase one value at most: add directly.
    // Otherwise keep each word's best per phrase (a phrases × words table).
    const words = this.oneSlotPerWord ? 1 : this.wordBest.length;
    const best = new Float64Array(n * words);
    for (let slot = 0; slot < this.stems.length; slot++) {
      const stem = this.stems[slot] as number;
      const list = this.pm.postings[stem] as Int32Array;
      const v = stemWeight[stem] as number;
      for (let at = lowerBound(list, first); at < list.length && (list[at] as number) < end; at++) {
        const row = ((list[at] as number) - first) * words;
        for (let k = starts[slot] as number; k < (starts[slot + 1] as number); k++) {
          const value = (matchCU[k] as number) + (matchC[k] as number) * v;
          if (words === 1) best[row] = (best[row] as number) + value;
          else {
            const cell = row + (matchWord[k] as number);
            if (value > (best[cell] as number)) best[cell] = value;
          }
        }
      }
    }
    const bounds = words === 1 ? best : new Float64Array(n);
    for (let q = 0; q < n; q++) {
      let sum = 0;
      for (let i = q * words; i < (q + 1) * words; i++) sum += best[i] as number;
      bounds[q] = sum > 0 ? (this.maxSequence * sum) / (this.req.total + (this.phraseTotal[first + q] as number)) : 0;
    }
    return bounds;
  }

  /** The phrase's bound; -1 when `skipFlagged` and a marked word reaches the phrase. */
  bound(phrase: number, skipFlagged = false): number {
    const { phraseStems, stemStamp, stemSlot, serial, starts, matchWord, matchC, matchCU, stemWeight } = this;
    const best = this.wordBest;
    const end = this.phraseStart[phrase + 1] as number;
    let any = false;
    for (let j = this.phraseStart[phrase] as number; j < end; j++) {
      const stem = phraseStems[j] as number;
      if (stemStamp[stem] !== serial) continue;
      const slot = stemSlot[stem] as number;
      if (skipFlagged && this.flagged[slot] === 1) {
        if (any) best.fill(0);
        return -1;
      }
      const v = stemWeight[stem] as number;
      const last = starts[slot + 1] as number;
      for (let k = starts[slot] as number; k < last; k++) {
        const value = (matchCU[k] as number) + (matchC[k] as number) * v;
        const word = matchWord[k] as number;
        if (value > (best[word] as number)) {
          best[word] = value;
          any = true;
        }
      }
    }
    if (!any) return 0;
    let sum = 0;
    for (let i = 0; i < best.length; i++) {
      sum += best[i] as number;
      best[i] = 0;
    }
    return (this.maxSequence * sum) / (this.req.total + (this.phraseTotal[phrase] as number));
  }
}

/** The first index of a sorted list whose value is at least x. */
function lowerBound(list: Int32Array, x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
