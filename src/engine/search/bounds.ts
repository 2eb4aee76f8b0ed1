import type { PreparedModel, Weights } from '../prepare/prepared-model.js';
import { MATCH_KINDS, type BoundMatch } from './bound-matches.js';
import { zeros } from './zeros.js';
import type { AnalyzedRequest } from '../prepare/request.js';

/**
 * Bounds are raised by this share of themselves: the aligner sums the same values in another
 * order, and a rounding difference in the last place must not put a bound under its score.
 * (Scores are reported to 1e-6.)
 */
const SLACK = 1e-9;

/** x with the slack added (x ≥ 0). */
export function loosen(x: number): number {
  return x + x * SLACK;
}

/**
 * Whether a phrase with this (loosened) bound may score above `score`, rather than tie it at
 * most: within a few slacks of `score` it can only tie, up to rounding far below what is reported.
 */
export function mayExceed(bound: number, score: number): boolean {
  return bound > score + Math.abs(score) * 4 * SLACK;
}

/**
 * Upper bounds of phrase scores, computed from the phrase's side:
 *   bound = maxSequence × Σ_request words max_(stems of the phrase it can match) c × (u + v)
 *           / (U + V_phrase)
 * Each request word is in at most one pair and a pair weighs c × (u + v), so no alignment can
 * beat it (docs/scoring.md §6). Pairs from request acronym words span several phrase words and
 * are not in these bounds: Candidates.boundOf adds them.
 *
 * The request's stems are looked up through the model's scratch arrays, which other
 * classifications also use: call mark() at the start of every synchronous step.
 */
export class PhraseBounds {
  private readonly stems: number[];
  /** The matches of slot k are entries starts[k] .. starts[k + 1] - 1 of the arrays below (read by align-fast.ts too). */
  readonly starts: number[];
  readonly matchWord: number[];
  /** c and c × u of each match: its value with a phrase stem of weight v is cu + c × v. */
  readonly matchC: number[];
  readonly matchCU: number[];
  /** The match's kind: MATCH_KINDS index. */
  readonly matchKind: number[];
  /** The slot of each entry. */
  private readonly matchSlot: number[];
  /** 1 for the slots of stems that some word of `marked` brings a positive value to. */
  private readonly flagged: number[];
  private readonly wordBest: number[];
  /** The words bound() set in wordBest, to clear them. */
  private readonly touchedWords: number[];
  /** 1 for the slots with entity or acronym matches: pairs that join several request words to one phrase word. */
  private readonly spanning: number[];
  private byWord?: number[][];
  /** No request word has more than one match (entry): sums need no per-word max. */
  private readonly oneMatchPerWord: boolean;
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
    this.starts = zeros(lists.length + 1);
    this.matchWord = zeros(n);
    this.matchC = zeros(n);
    this.matchCU = zeros(n);
    this.matchKind = zeros(n);
    this.matchSlot = zeros(n);
    this.flagged = zeros(lists.length);
    this.spanning = zeros(lists.length);
    const perWord = zeros(req.words.length);
    let at = 0;
    lists.forEach((list, slot) => {
      this.starts[slot] = at;
      const v = w.stem[this.stems[slot] as number] as number;
      for (const m of list) {
        const u = req.words[m.word]!.weight;
        this.matchWord[at] = m.word;
        this.matchC[at] = m.coefficient;
        this.matchCU[at] = m.coefficient * u;
        this.matchKind[at] = MATCH_KINDS.indexOf(m.kind);
        this.matchSlot[at] = slot;
        // Only a positive value gathers the stem's phrases (Candidates.gather); a zero one leaves them to the walk.
        if (marked(m.word) && m.coefficient * (u + v) > 0) this.flagged[slot] = 1;
        if (m.kind === 'entity' || m.kind === 'acronym') this.spanning[slot] = 1;
        perWord[m.word]!++;
        at++;
      }
    });
    this.starts[lists.length] = at;
    this.wordBest = zeros(req.words.length);
    this.touchedWords = zeros(req.words.length);
    this.oneMatchPerWord = perWord.every((c) => c <= 1);
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
   * The bounds of phrases first .. end - 1 (without acronym-word pairs), through the postings
   * of the request's stems rather than phrase by phrase: the cheaper way for a run of phrases
   * such as one intent's. Memory: two arrays of end - first.
   */
  boundsOfRange(first: number, end: number): number[] {
    const n = end - first;
    const sum = zeros(n);
    if (this.oneMatchPerWord) {
      // A word brings each phrase one value at most: add directly.
      for (let k = 0; k < this.matchWord.length; k++) this.addRange(k, first, end, sum, undefined);
    } else {
      // Each word brings a phrase its best value: take the word's best per phrase, then add it.
      const best = zeros(n);
      const touched: number[] = [];
      for (const entries of this.entriesByWord()) {
        for (const k of entries) this.addRange(k, first, end, best, touched);
        for (const q of touched) {
          sum[q] = (sum[q] as number) + (best[q] as number);
          best[q] = 0;
        }
        touched.length = 0;
      }
    }
    for (let q = 0; q < n; q++) {
      const s = sum[q] as number;
      sum[q] = s > 0 ? loosen((this.maxSequence * s) / (this.req.total + (this.phraseTotal[first + q] as number))) : 0;
    }
    return sum;
  }

  /** The entries of each request word that has any (built once per request, on first use). */
  private entriesByWord(): number[][] {
    if (!this.byWord) {
      const byWord = new Map<number, number[]>();
      this.matchWord.forEach((word, k) => {
        const list = byWord.get(word);
        if (list) list.push(k);
        else byWord.set(word, [k]);
      });
      this.byWord = [...byWord.values()];
    }
    return this.byWord;
  }

  /** Entry k's value for each phrase of first .. end - 1 holding its stem: added to `out`, or kept as the best (`touched` lists the phrases set). */
  private addRange(k: number, first: number, end: number, out: number[], touched: number[] | undefined): void {
    const stem = this.stems[this.matchSlot[k] as number] as number;
    const list = this.pm.postings[stem] as Int32Array;
    const value = (this.matchCU[k] as number) + (this.matchC[k] as number) * (this.stemWeight[stem] as number);
    if (value <= 0) return;
    for (let at = lowerBound(list, first); at < list.length && (list[at] as number) < end; at++) {
      const q = (list[at] as number) - first;
      if (!touched) out[q] = (out[q] as number) + value;
      else if (value > (out[q] as number)) {
        if (out[q] === 0) touched.push(q);
        out[q] = value;
      }
    }
  }

  /** The phrase's bound; -1 when `skipFlagged` and a marked word reaches the phrase. */
  bound(phrase: number, skipFlagged = false): number {
    const { phraseStems, stemStamp, stemSlot, serial, starts, matchWord, matchC, matchCU, stemWeight, touchedWords } = this;
    const best = this.wordBest;
    const end = this.phraseStart[phrase + 1] as number;
    let touched = 0;
    // The pairs' total is at most what the request words can bring, each at its best (each word is
    // in one pair), and at most what the phrase words can (each phrase word is in one pair too).
    let phraseSide = 0;
    for (let j = this.phraseStart[phrase] as number; j < end; j++) {
      const stem = phraseStems[j] as number;
      if (stemStamp[stem] !== serial) continue;
      const slot = stemSlot[stem] as number;
      if (skipFlagged && this.flagged[slot] === 1) {
        for (let t = 0; t < touched; t++) best[touchedWords[t] as number] = 0;
        return -1;
      }
      const v = stemWeight[stem] as number;
      const last = starts[slot + 1] as number;
      let slotBest = 0;
      let slotSum = 0;
      for (let k = starts[slot] as number; k < last; k++) {
        const value = (matchCU[k] as number) + (matchC[k] as number) * v;
        if (value <= 0) continue;
        slotSum += value;
        if (value > slotBest) slotBest = value;
        const word = matchWord[k] as number;
        if (value > (best[word] as number)) {
          if (best[word] === 0) touchedWords[touched++] = word;
          best[word] = value;
        }
      }
      // An entity or acronym pair joins several request words to this one phrase word: their sum.
      phraseSide += this.spanning[slot] === 1 ? slotSum : slotBest;
    }
    if (touched === 0) return 0;
    let requestSide = 0;
    for (let t = 0; t < touched; t++) {
      const word = touchedWords[t] as number;
      requestSide += best[word] as number;
      best[word] = 0;
    }
    const sum = Math.min(requestSide, phraseSide);
    return loosen((this.maxSequence * sum) / (this.req.total + (this.phraseTotal[phrase] as number)));
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
