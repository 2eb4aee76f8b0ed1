/**
 * Character-level Jaccard similarity, the `jaccardMatch` component: two words compared as
 * multisets of letters, |A ∩ B| / |A ∪ B|. Same letters in another order score 1 ("cat" /
 * "act", JAICP's example); a typo costs a letter or two ("restaurant" / "restarant": 0.9).
 */
export function sortedChars(word: string): string {
  return [...word].sort().join('');
}

/** Jaccard index of two words given as `sortedChars`. */
export function jaccardSorted(a: string, b: string): number {
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (ca === cb) {
      common++;
      i++;
      j++;
    } else if (ca < cb) i++;
    else j++;
  }
  return common / (a.length + b.length - common);
}

export function jaccard(a: string, b: string): number {
  return jaccardSorted(sortedChars(a), sortedChars(b));
}

/** How many searched words keep their results (oldest dropped first). */
const CACHE_SIZE = 10_000;

/** Words shorter than this are too short for a letter-set comparison to mean anything. */
export const MIN_FUZZY_LENGTH = 3;

/**
 * Which letters a word has, hashed into 32 bits. A letter in one word but not the other adds at
 * least 1 to the size of the multisets' symmetric difference, and so does each set bit of
 * maskA ^ maskB (a bucket differs only if one of its letters does).
 */
function letterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i++) mask |= 1 << (word.charCodeAt(i) & 31);
  return mask;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * A vocabulary searchable by character Jaccard, bucketed by length. With multisets of sizes a
 * and b, |A∩B|/|A∪B| ≥ t needs min/max length ≥ t, and a symmetric difference of at most
 * (a + b)(1 − t)/(1 + t) letters, which letter masks rule out cheaply for most words.
 */
export class FuzzyIndex {
  private readonly byLength: { term: number; sorted: string; mask: number }[][] = [];
  /** Unknown words recur (names, typos users repeat): their results are kept, up to CACHE_SIZE. */
  private readonly cache = new Map<string, { term: number; similarity: number }[]>();

  constructor(forms: readonly string[], include: (term: number) => boolean) {
    forms.forEach((form, term) => {
      if (form.length < MIN_FUZZY_LENGTH || form.includes(' ') || !include(term)) return;
      (this.byLength[form.length] ??= []).push({ term, sorted: sortedChars(form), mask: letterMask(form) });
    });
  }

  /** Terms whose similarity to `word` is at least `threshold` (> 0), with that similarity. */
  search(word: string, threshold: number): { term: number; similarity: number }[] {
    if (word.length < MIN_FUZZY_LENGTH || threshold <= 0) return [];
    const key = `${threshold} ${word}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const found = this.scan(word, threshold);
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, found);
    return found;
  }

  private scan(word: string, threshold: number): { term: number; similarity: number }[] {
    const sorted = sortedChars(word);
    const found: { term: number; similarity: number }[] = [];
    const min = Math.max(MIN_FUZZY_LENGTH, Math.ceil(word.length * threshold));
    const max = Math.min(this.byLength.length - 1, Math.floor(word.length / threshold));
    const mask = letterMask(word);
    for (let len = min; len <= max; len++) {
      const maxDifference = Math.floor(((word.length + len) * (1 - threshold)) / (1 + threshold) + 1e-9);
      for (const entry of this.byLength[len] ?? []) {
        if (popcount(mask ^ entry.mask) > maxDifference) continue;
        const similarity = jaccardSorted(sorted, entry.sorted);
        if (similarity >= threshold) found.push({ term: entry.term, similarity });
      }
    }
    return found;
  }
}
