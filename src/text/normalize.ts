/**
 * Text normalization shared by training phrases and requests, so both sides compare alike:
 * Unicode NFKC (full-width forms, ligatures), lower case, `ё` → `е` (Russian writers use both),
 * and apostrophes dropped inside words ("what's" → "whats", "don’t" → "dont").
 */
const APOSTROPHES = /[’'`ʼ‘]/g;

export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/ё/g, 'е').replace(APOSTROPHES, '');
}

/** A word is a run of letters, combining marks and digits in any script; everything else separates words. */
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/** Words of an already normalized text, in order. */
export function tokenize(normalized: string): string[] {
  return normalized.match(WORD) ?? [];
}

/**
 * Words as JAICP's word limit counts them: runs of non-space characters, where each of the
 * punctuation marks `! , . : ; ? " ' ( ) * / [ \ ] { | }` counts as a word of its own.
 */
const LIMIT_WORD = /[!,.:;?"'()*/[\\\]{|}]|[^\s!,.:;?"'()*/[\\\]{|}]+/g;

export function countWords(text: string): number {
  let count = 0;
  LIMIT_WORD.lastIndex = 0;
  while (LIMIT_WORD.exec(text) !== null) count++;
  return count;
}
