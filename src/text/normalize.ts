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

/** A word of the original text: its normalized form and where it stands (UTF-16 offsets, end exclusive). */
export interface Token {
  form: string;
  start: number;
  end: number;
}

/** A word of the original text, apostrophes inside included ("what's"), so offsets point at what the user wrote. */
const RAW_WORD = /[\p{L}\p{M}\p{N}]+(?:[’'`ʼ‘][\p{L}\p{M}\p{N}]+)*/gu;

/**
 * Words of a raw text with their positions, each normalized as normalizeText would (the same
 * forms as tokenize(normalizeText(text))); a word that normalization splits (NFKC "½" → "1⁄2")
 * gives several forms with the same position.
 */
export function tokenizeWithOffsets(text: string): Token[] {
  return ASCII.test(text) ? tokenizeAscii(text) : tokenizeAnyScript(text);
}

/** tokenizeWithOffsets for any text (tokenizeWithOffsets takes a faster path for ASCII). */
export function tokenizeAnyScript(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(RAW_WORD)) {
    const start = m.index;
    const end = start + m[0].length;
    for (const form of tokenize(normalizeText(m[0]))) tokens.push({ form, start, end });
  }
  return tokens;
}

const ASCII = /^[\x00-\x7f]*$/;

/** A-Z, a-z or 0-9. */
function isAsciiWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

/**
 * tokenizeWithOffsets for ASCII text, where NFKC changes nothing and every raw word is one
 * form: runs of letters and digits, joined by a ' or ` between two of them (RAW_WORD).
 */
function tokenizeAscii(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (!isAsciiWordChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let apostrophe = false;
    for (;;) {
      while (i < text.length && isAsciiWordChar(text.charCodeAt(i))) i++;
      const c = text.charCodeAt(i);
      if ((c !== 39 && c !== 96) || !isAsciiWordChar(text.charCodeAt(i + 1))) break;
      apostrophe = true;
      i++;
    }
    const raw = text.slice(start, i).toLowerCase();
    tokens.push({ form: apostrophe ? raw.replace(/['`]/g, '') : raw, start, end: i });
  }
  return tokens;
}

/** Characters as lengthLimit counts them: Unicode code points (a surrogate pair is one). */
export function countSymbols(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
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
