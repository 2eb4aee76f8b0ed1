import type { Word } from '../text/analyze.js';

/**
 * The words a character span overlaps, as [wordStart, wordEnd) indices into `words` (which
 * are in text order). A span that overlaps no word (punctuation only, or words the analyzer
 * dropped as stop words) gives an empty range at the place it would be: wordStart === wordEnd.
 */
export function wordSpan(words: readonly Word[], start: number, end: number): { wordStart: number; wordEnd: number } {
  const wordStart = firstIndex(words, (w) => w.end > start);
  const wordEnd = Math.max(wordStart, firstIndex(words, (w) => w.start >= end));
  return { wordStart, wordEnd };
}

/** Binary search: the first index whose word satisfies a predicate that is monotone over the list. */
function firstIndex(words: readonly Word[], ok: (w: Word) => boolean): number {
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ok(words[mid] as Word)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * True when a match covers whole words: it starts where its first word starts and ends where
 * its last word ends. The classifier pairs and fills slots only with such matches: a regex
 * that matched "wea" inside "weather" must not make "weather" a value of the entity.
 */
export function coversWholeWords(words: readonly Word[], m: { start: number; end: number; wordStart: number; wordEnd: number }): boolean {
  if (m.wordEnd <= m.wordStart) return false;
  return words[m.wordStart]!.start === m.start && words[m.wordEnd - 1]!.end === m.end;
}
