import { CommonWalk } from '../../src/engine/search/common-walk.js';
import type { PreparedModel, Weights } from '../../src/engine/prepare/prepared-model.js';
import { seededRandom } from '../helpers.js';

/**
 * A walk over hand-made postings: `lists[stem]` holds phrase ids, and phrase p weighs
 * `totals[p]`. Only what CommonWalk reads is faked.
 */
function walkOver(lists: number[][], totals: number[], values: number[]) {
  const w = { phraseTotal: Float64Array.from(totals) } as unknown as Weights;
  const byTotal = lists.map((l) => Int32Array.from([...l].sort((a, b) => totals[a]! - totals[b]! || a - b)));
  const pm = { postingsByTotal: (stem: number) => byTotal[stem]! } as unknown as PreparedModel;
  return new CommonWalk(pm, w, 1, new Map(values.map((v, stem) => [stem, v])));
}

/** Reads the walk to its end: each read's phrase (or -1) and the cap before it. */
function readAll(walk: CommonWalk): { phrase: number; cap: number }[] {
  const reads: { phrase: number; cap: number }[] = [];
  for (let cap = walk.cap(); cap > -Infinity; cap = walk.cap()) reads.push({ phrase: walk.next(), cap });
  return reads;
}

describe('CommonWalk', () => {
  // 600 phrases in three overlapping lists, so a phrase is met up to three times and the walk
  // reads far more than the few phrases it tracks in a Set before it switches to bytes.
  const random = seededRandom(7);
  const totals = Array.from({ length: 600 }, () => 1 + random() * 4);
  const lists = [0, 1, 2].map((s) => totals.flatMap((_, p) => (p % (s + 2) === 0 || random() < 0.5 ? [p] : [])));
  const values = [0.5, 0.3, 0.2];

  test('reads every phrase of the lists once; a phrase met again reads as -1', () => {
    const reads = readAll(walkOver(lists, totals, values));
    const phrases = reads.map((r) => r.phrase).filter((p) => p >= 0);
    const expected = [...new Set(lists.flat())].sort((a, b) => a - b);
    expect([...phrases].sort((a, b) => a - b)).toEqual(expected);
    expect(reads.length).toBe(lists.reduce((n, l) => n + l.length, 0));
  });

  test('the cap before a read is at least what any phrase not read yet could get, and never rises', () => {
    const reads = readAll(walkOver(lists, totals, values));
    const most = totals.map((t, p) => lists.reduce((s, l, stem) => s + (l.includes(p) ? values[stem]! : 0), 0) / (1 + t));
    const read = new Set<number>();
    let previous = Infinity;
    for (const { phrase, cap } of reads) {
      expect(cap).toBeLessThanOrEqual(previous);
      previous = cap;
      const unread = most.reduce((max, m, p) => (read.has(p) ? max : Math.max(max, m)), 0);
      expect(unread).toBeLessThanOrEqual(cap);
      if (phrase >= 0) read.add(phrase);
    }
  });
});
