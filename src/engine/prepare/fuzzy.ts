import { letterMask, popcount } from '../../text/letter-mask.js';

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
 * A vocabulary searchable by character Jaccard. With multisets of sizes a and b,
 * |A∩B|/|A∪B| ≥ t needs min/max length ≥ t and a symmetric difference d of at most
 * (a + b)(1 − t)/(1 + t) letters. Where that allows d ≤ 1 (most word lengths at the default
 * 0.82), the candidates are looked up by their sorted letters: the same letters (d = 0), the
 * word less one letter or plus one letter of the vocabulary's alphabet (d = 1). Other lengths
 * are scanned, with letter masks ruling out most words cheaply.
 */
export class FuzzyIndex {
  private readonly byLength: Entry[][] = [];
  /** Entries by their letters (sorted). */
  private readonly byLetters = new Map<string, Entry[]>();
  /** Every letter of the vocabulary, sorted. */
  private readonly alphabet: string[];
  /** Entries with letters outside the BMP (their lengths in code units and letters differ): always scanned. */
  private readonly irregular: Entry[] = [];
  /** Unknown words recur (names, typos users repeat): their results are kept, up to CACHE_SIZE. */
  private readonly cache = new Map<string, { term: number; similarity: number }[]>();

  constructor(forms: readonly string[], include: (term: number) => boolean) {
    forms.forEach((form, term) => {
      if (form.length < MIN_FUZZY_LENGTH || form.includes(' ') || !include(term)) return;
      const entry = { term, sorted: sortedChars(form), mask: letterMask(form) };
      if (!isBmp(form)) return void this.irregular.push(entry);
      (this.byLength[form.length] ??= []).push(entry);
      push(this.byLetters, entry.sorted, entry);
    });
    this.alphabet = [...new Set([...this.byLetters.keys()].join(''))].sort();
  }

  /** Terms whose similarity to `word` is at least `threshold` (> 0), with that similarity, by term. */
  search(word: string, threshold: number): { term: number; similarity: number }[] {
    if (word.length < MIN_FUZZY_LENGTH || threshold <= 0) return [];
    const key = `${threshold} ${word}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const found = this.find(word, threshold).sort((x, y) => x.term - y.term);
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, found);
    return found;
  }

  private find(word: string, threshold: number): { term: number; similarity: number }[] {
    const sorted = sortedChars(word);
    const mask = letterMask(word);
    const found: { term: number; similarity: number }[] = [];
    const consider = (entry: Entry) => {
      const similarity = jaccardSorted(sorted, entry.sorted);
      if (similarity >= threshold) found.push({ term: entry.term, similarity });
    };
    const n = word.length;
    const min = Math.max(MIN_FUZZY_LENGTH, Math.ceil(n * threshold));
    const max = Math.min(this.byLength.length - 1, Math.floor(n / threshold));
    const bmp = isBmp(word);
    for (let len = min; len <= max; len++) {
      const maxDifference = Math.floor(((n + len) * (1 - threshold)) / (1 + threshold) + 1e-9);
      // d ≥ |n − len| and d has the parity of n + len: the smallest d that could remain.
      const next = Math.abs(n - len) + 2;
      if (bmp && Math.abs(n - len) <= 1 && next > maxDifference) {
        if (Math.abs(n - len) > maxDifference) continue;
        if (len === n) for (const e of this.byLetters.get(sorted) ?? []) consider(e);
        else if (len === n + 1) for (const key of insertions(sorted, this.alphabet)) for (const e of this.byLetters.get(key) ?? []) consider(e);
        else for (const key of new Set(deletions(sorted))) for (const e of this.byLetters.get(key) ?? []) consider(e);
        continue;
      }
      for (const entry of this.byLength[len] ?? []) {
        if (popcount(mask ^ entry.mask) <= maxDifference) consider(entry);
      }
    }
    for (const entry of this.irregular) consider(entry);
    return found;
  }
}

interface Entry {
  term: number;
  sorted: string;
  mask: number;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The sorted string with one more letter, for each letter of the alphabet (each result distinct). */
function insertions(sorted: string, alphabet: readonly string[]): string[] {
  return alphabet.map((c) => {
    let i = 0;
    while (i < sorted.length && (sorted[i] as string) <= c) i++;
    return sorted.slice(0, i) + c + sorted.slice(i);
  });
}

/** A sorted string less one character, for each position (duplicates possible). */
function deletions(sorted: string): string[] {
  return Array.from(sorted, (_, i) => sorted.slice(0, i) + sorted.slice(i + 1));
}

function isBmp(word: string): boolean {
  return !/[\uD800-\uDFFF]/.test(word);
}
