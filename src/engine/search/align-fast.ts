import type { Settings } from '../../config.js';
import { alignPhrase } from '../score/align.js';
import { zeros } from './zeros.js';
import type { PhraseBounds } from './bounds.js';
import type { PreparedModel, Weights } from '../prepare/prepared-model.js';
import type { AnalyzedRequest } from '../prepare/request.js';

const STEM = 0; // MATCH_KINDS index of 'stem'
/** Up to this many candidate pairs an insertion sort is the fastest; beyond it (long texts), a merge sort. */
const INSERTION_SORT_MAX = 32;
const ENTITY = 3; // MATCH_KINDS index of 'entity'
const ACRONYM = 4; // MATCH_KINDS index of 'acronym'

/**
 * The score alignPhrase() gives, without building its pairs: the search scores many phrases
 * and keeps only numbers. This is the same greedy alignment on one-word pairs, in typed
 * arrays: candidates heaviest first (ties: closer positions, then phrase order), each word
 * used once, runs of consecutive pairs earning wordSequence1/2/3. Phrases with acronym pairs
 * (Candidates.forced, or a stem with an 'acronym' bound match) and phrases with "@Entity" words
 * take alignPhrase() itself (their pairs can span several words); no other phrase has such
 * pairs. A test checks both give the same score.
 */
export class FastAligner {
  // Candidate pairs: request word, phrase word, coefficient, mass (u + v); then the order of the sort.
  private readonly ci: number[] = [];
  private readonly cj: number[] = [];
  private readonly cc: number[] = [];
  private readonly cm: number[] = [];
  private readonly order: number[] = [];
  private readonly usedI: number[];
  private readonly usedJ: number[];
  private readonly pairOfWord: number[];
  /** The chosen pairs in request order. */
  private readonly chain: number[];

  constructor(
    private readonly pm: PreparedModel,
    private readonly req: AnalyzedRequest,
    private readonly table: PhraseBounds,
    private readonly s: Settings,
    private readonly w: Weights,
    /** Phrases reached through acronyms (Candidates.forced). */
    private readonly forced: ReadonlySet<number> | undefined,
  ) {
    this.usedI = zeros(req.words.length);
    this.usedJ = zeros(pm.maxPhraseLength);
    this.pairOfWord = zeros(req.words.length);
    this.chain = zeros(req.words.length);
  }

  score(phrase: number): number {
    if (this.pm.phraseHasEntity[phrase] === 1 || this.forced?.has(phrase)) return alignPhrase(this.pm, this.req, phrase, this.s, this.w).score;
    const { table, s } = this;
    const { stemStamp, stemSlot, serial, starts, matchWord, matchC, matchKind } = table;

    const words = this.req.words;
    const start = this.pm.phraseStart[phrase] as number;
    const m = (this.pm.phraseStart[phrase + 1] as number) - start;
    const stems = this.pm.phraseStems;
    const terms = this.pm.phraseTerms[phrase] as Int32Array;
    let n = 0;
    for (let j = 0; j < m; j++) {
      const stem = stems[start + j] as number;
      if (stemStamp[stem] !== serial) continue;
      const slot = stemSlot[stem] as number;
      const v = this.w.stem[stem] as number;
      for (let k = starts[slot] as number; k < (starts[slot + 1] as number); k++) {
        const kind = matchKind[k] as number;
        if (kind === ENTITY) continue;
        if (kind === ACRONYM) return alignPhrase(this.pm, this.req, phrase, this.s, this.w).score; // a pair over several words
        const i = matchWord[k] as number;
        const word = words[i]!;
        const c = kind === STEM ? (word.termId === terms[j] ? s.exactMatch : s.lemmaMatch) : (matchC[k] as number);
        if (c <= 0) continue;
        this.push(n++, i, j, c, word.weight + v);
      }
    }
    // Heaviest first, then the pair whose positions agree more, then candidate order (a stable sort).
    const { ci, cj, cc, cm, order } = this;
    if (n > INSERTION_SORT_MAX) {
      const sorted = order.slice(0, n).sort((x, y) => (before(x, y, cc, cm, ci, cj) ? -1 : before(y, x, cc, cm, ci, cj) ? 1 : x - y));
      for (let a = 0; a < n; a++) order[a] = sorted[a] as number;
    } else {
      for (let a = 1; a < n; a++) {
        const x = order[a] as number;
        let b = a - 1;
        while (b >= 0 && before(x, order[b] as number, cc, cm, ci, cj)) {
          order[b + 1] = order[b] as number;
          b--;
        }
        order[b + 1] = x;
      }
    }
    // Greedy choice, each word on either side used once.
    const { usedI, usedJ, pairOfWord, chain } = this;
    for (let a = 0; a < n; a++) {
      const x = order[a] as number;
      const i = ci[x] as number;
      const j = cj[x] as number;
      if (usedI[i] === 1 || usedJ[j] === 1) continue;
      usedI[i] = 1;
      usedJ[j] = 1;
      pairOfWord[i] = x;
    }
    // The chosen pairs in request order (clearing the marks).
    let chosen = 0;
    for (let i = 0; i < words.length; i++) {
      if (usedI[i] !== 1) continue;
      usedI[i] = 0;
      const x = pairOfWord[i] as number;
      usedJ[cj[x] as number] = 0;
      chain[chosen++] = x;
    }
    // Runs of pairs that follow each other in both texts; each pair adds coefficient × factor × mass, as alignPhrase sums.
    let matched = 0;
    for (let first = 0; first < chosen; ) {
      let end = first + 1;
      while (end < chosen && ci[chain[end]!] === ci[chain[end - 1]!]! + 1 && cj[chain[end]!] === cj[chain[end - 1]!]! + 1) end++;
      const a = chain[first] as number;
      const z = chain[end - 1] as number;
      const length = end - first;
      const complete = (ci[a] === 0 && ci[z] === words.length - 1) || (cj[a] === 0 && cj[z] === m - 1);
      const factor = complete || length >= 3 ? s.wordSequence3 : length === 2 ? s.wordSequence2 : s.wordSequence1;
      for (let k = first; k < end; k++) {
        const x = chain[k] as number;
        matched += (cc[x] as number) * factor * (cm[x] as number);
      }
      first = end;
    }
    const denominator = this.req.total + (this.w.phraseTotal[phrase] as number);
    return denominator > 0 ? matched / denominator : 0;
  }

  private push(at: number, i: number, j: number, coefficient: number, mass: number): void {
    this.ci[at] = i;
    this.cj[at] = j;
    this.cc[at] = coefficient;
    this.cm[at] = mass;
    this.order[at] = at;
  }
}

function before(x: number, y: number, cc: readonly number[], cm: readonly number[], ci: readonly number[], cj: readonly number[]): boolean {
  const wx = (cc[x] as number) * (cm[x] as number);
  const wy = (cc[y] as number) * (cm[y] as number);
  if (wx !== wy) return wx > wy;
  return Math.abs((ci[x] as number) - (cj[x] as number)) < Math.abs((ci[y] as number) - (cj[y] as number));
}
