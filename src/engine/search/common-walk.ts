import { loosen } from './bounds.js';
import { zeros } from './zeros.js';
import type { PreparedModel, Weights } from '../prepare/prepared-model.js';

/** How many read phrases the walk keeps in a Set before it switches to one byte per phrase. */
const SEEN_SET_MAX = 128;

/**
 * The phrases that only common words reach, in an order that bounds them lazily: each common
 * stem's postings are read lightest phrase first (postingsByTotal). A phrase not read yet that
 * holds the common stems W weighs at least the head weight h_i of each of their lists, and
 * gets at most Σ_W value_i, so its bound is at most
 *   cap = max_j Σ_(i: h_i ≤ h_j) value_i / (U + h_j).
 * Reading the head of the list that decides the cap lowers it fastest; the caller stops reading
 * once the cap is below what the search still needs. (Threshold algorithms, as in top-k search.)
 */
export class CommonWalk {
  private readonly lists: Int32Array[];
  private readonly values: number[];
  private readonly positions: number[];
  /** Weight of each list's head phrase (Infinity once the list is read). */
  private readonly heads: number[];
  /** List indices, kept sorted by head weight. */
  private readonly order: number[];
  /** Phrases already read from some list: a Set while there are few, then one byte per phrase (`marks`). */
  private readonly seen = new Set<number>();
  private marks?: Uint8Array;
  /** The list whose head decides the cap (cap() sets it). */
  private capList = -1;

  constructor(
    pm: PreparedModel,
    private readonly w: Weights,
    /** Request weight U. */
    private readonly total: number,
    /** Each common stem with the most a phrase can get from it (maxSequence × Σ of its words' c × (u + v)). */
    values: ReadonlyMap<number, number>,
  ) {
    this.lists = [...values.keys()].map((stem) => pm.postingsByTotal(stem, w));
    this.values = [...values.values()];
    this.positions = zeros(this.lists.length);
    this.heads = zeros(this.lists.length);
    this.lists.forEach((list, k) => (this.heads[k] = list.length > 0 ? (w.phraseTotal[list[0] as number] as number) : Infinity));
    this.order = Array.from(this.lists, (_, k) => k).sort((x, y) => (this.heads[x] as number) - (this.heads[y] as number));
  }

  /** The most any phrase not read yet can score (-Infinity: all read). */
  cap(): number {
    let sum = 0;
    let cap = -Infinity;
    for (const k of this.order) {
      const h = this.heads[k] as number;
      if (h === Infinity) break;
      sum += this.values[k] as number;
      const c = sum / (this.total + h);
      if (c > cap) {
        cap = c;
        this.capList = k;
      }
    }
    // Loosened twice: it bounds the phrases' bounds, which are loosened sums themselves, added
    // in another order (a last-bit difference must not put a bound above the cap).
    return cap > 0 ? loosen(loosen(cap)) : cap;
  }

  /** Reads the head of the list that decides the cap (call cap() first): a phrase, or -1 if it was read already. */
  next(): number {
    const k = this.capList;
    const list = this.lists[k] as Int32Array;
    const p = list[this.positions[k]!++] as number;
    const at = this.positions[k] as number;
    this.heads[k] = at < list.length ? (this.w.phraseTotal[list[at] as number] as number) : Infinity;
    // Only k's place in `order` changes, and only later.
    const order = this.order;
    let i = order.indexOf(k);
    while (i + 1 < order.length && (this.heads[order[i + 1] as number] as number) < (this.heads[k] as number)) {
      order[i] = order[i + 1] as number;
      order[++i] = k;
    }
    return this.firstRead(p) ? p : -1;
  }

  /** Marks a phrase read; false if it was read already. */
  private firstRead(p: number): boolean {
    const marks = this.marks;
    if (marks !== undefined) {
      if (marks[p] === 1) return false;
      marks[p] = 1;
      return true;
    }
    if (this.seen.has(p)) return false;
    this.seen.add(p);
    // A long walk (many common words, a low floor) reads thousands: a Set costs ~35 ns a phrase
    // there, bytes ~4 ns; but allocating bytes for every phrase costs more than a short walk.
    if (this.seen.size > SEEN_SET_MAX) {
      this.marks = new Uint8Array(this.w.phraseTotal.length);
      for (const q of this.seen) this.marks[q] = 1;
    }
    return true;
  }
}
