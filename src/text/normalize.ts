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
/** RAW_WORD over ASCII text: letters and digits, with ' or ` inside. */
const ASCII_WORD = /[A-Za-z0-9]+(?:['`][A-Za-z0-9]+)*/g;
const ASCII_APOSTROPHES = /['`]/g;

/** tokenizeWithOffsets for ASCII text, where NFKC changes nothing and every raw word is one form. */
function tokenizeAscii(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(ASCII_WORD)) {
    tokens.push({ form: m[0].toLowerCase().replace(ASCII_APOSTROPHES, ''), start: m.index, end: m.index + m[0].length });
  }
  return tokens;
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
