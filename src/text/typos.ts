/**
 * Typo correction towards a model's own vocabulary.
 *
 * A request word the model does not know (neither its form nor its stem) is matched against the
 * words of the training phrases: same first letter, within an edit distance that grows with the
 * word's length (transposition counts as one edit). Correcting towards the vocabulary rather
 * than a general dictionary is what measured best: the model can only use words it has, and a
 * small vocabulary makes wrong corrections rare. Slang and names unknown to the model mostly
 * find nothing within the distance and stay as they are.
 */

import { letterMask, popcount } from './letter-mask.js';

/** Largest edit distance allowed for a word of this length: none below 4 letters. */
export function maxTypoDistance(length: number): number {
  if (length < 4) return 0;
  if (length <= 5) return 1;
  if (length <= 9) return 2;
  return 3;
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transposition), or a value above
 * max as soon as the distance is known to exceed max. `scratch` (at least 3 × (b.length + 1)
 * cells) lets a caller comparing one word with many reuse one buffer.
 */
export function editDistanceWithin(a: string, b: string, max: number, scratch?: Int32Array): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  const w = m + 1;
  const buf = scratch && scratch.length >= 3 * w ? scratch : new Int32Array(3 * w);
  // rows i-2, i-1, i live at offsets r2, r1, r0 (rotating)
  let r2 = 0;
  let r1 = w;
  let r0 = 2 * w;
  for (let j = 0; j <= m; j++) buf[r1 + j] = j;
  for (let i = 1; i <= n; i++) {
    buf[r0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = Math.min((buf[r1 + j] as number) + 1, (buf[r0 + j - 1] as number) + 1, (buf[r1 + j - 1] as number) + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) d = Math.min(d, (buf[r2 + j - 2] as number) + 1);
      buf[r0 + j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    const t = r2;
    r2 = r1;
    r1 = r0;
    r0 = t;
  }
  return buf[r1 + m] as number;
}

/**
 * Vocabulary words grouped by first letter (the letter users mistype least), then by length
 * (a word can only be within distance d of words whose length differs by at most d), each with
 * its letter mask.
 */
export type TypoIndex = ReadonlyMap<string, ReadonlyMap<number, TypoWords>>;

/** The vocabulary words of one first letter and length, sorted, and their letterMask()s. */
export interface TypoWords {
  readonly words: readonly string[];
  readonly masks: Int32Array;
}

/** Builds the index from the model's word forms; words under 3 letters are left out. */
export function buildTypoIndex(words: Iterable<string>): TypoIndex {
  const lists = new Map<string, Map<number, string[]>>();
  for (const w of [...new Set(words)].sort()) {
    if (w.length < 3) continue;
    const first = w[0] as string;
    let byLength = lists.get(first);
    if (!byLength) lists.set(first, (byLength = new Map()));
    const list = byLength.get(w.length) ?? [];
    list.push(w);
    byLength.set(w.length, list);
  }
  const index = new Map<string, Map<number, TypoWords>>();
  for (const [first, byLength] of lists) {
    const buckets = new Map<number, TypoWords>();
    for (const [length, list] of byLength) buckets.set(length, { words: list, masks: Int32Array.from(list, letterMask) });
    index.set(first, buckets);
  }
  return index;
}

export interface TypoCorrection {
  /** Vocabulary words at the smallest distance found (one, or two on a tie). */
  words: string[];
  distance: number;
}

/**
 * The vocabulary words a typed word most likely stands for, or null. The caller asks only for
 * words the model does not know (form and stem both absent). More than `maxTies` equally near
 * words means the word is ambiguous: no correction.
 */
export function correctTypo(word: string, index: TypoIndex, maxTies = 2): TypoCorrection | null {
  const max = maxTypoDistance(word.length);
  if (max === 0) return null;
  const byLength = index.get(word[0] as string);
  if (!byLength) return null;
  let best = max + 1;
  let words: string[] = [];
  const scratch = new Int32Array(3 * (word.length + max + 1));
  const mask = letterMask(word);
  for (let len = word.length - max; len <= word.length + max; len++) {
    const bucket = byLength.get(len);
    if (!bucket) continue;
    for (let k = 0; k < bucket.words.length; k++) {
      const c = bucket.words[k] as string;
      if (c === word) return null;
      // popcount ≤ letters differing (letterMask) ≤ 2 × distance, since an edit changes at
      // most two letters of the multiset and a transposition none: such a word is too far.
      const limit = Math.min(max, best);
      if (popcount(mask ^ (bucket.masks[k] as number)) > 2 * limit) continue;
      const d = editDistanceWithin(word, c, limit, scratch);
      if (d < best) {
        best = d;
        words = [c];
      } else if (d === best && d <= max) {
        words.push(c);
      }
    }
  }
  if (best > max || words.length === 0 || words.length > maxTies) return null;
  return { words, distance: best };
}
