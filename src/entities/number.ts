import { tokenizeWithOffsets, type Token } from '../text/normalize.js';
import { ENGLISH_NUMBER_WORDS, RUSSIAN_NUMBER_WORDS, type NumberLexicon, type NumberWord } from './number-words.js';

/**
 * The built-in `number` entity (Caila's `duckling.number`): cardinal numbers written in
 * digits or in English or Russian words, with their value as a JS number.
 *
 * Digits: `42`, `-7`, `3.5`, `3,5` (a decimal comma), `1 000 000` (groups of three separated
 * by spaces, also no-break and thin spaces), `1,000,000` (comma groups, in English only: in
 * Russian `1,000` is the decimal 1.0), and a digit number followed by a scale word
 * (`5 тысяч`, `2 million`, `1.5 млн`). A digit run we cannot read as one number (a date
 * `12.05.2024`, a version `1.2.3`, a list `1,2,3`) gives no number rather than pieces of it;
 * so do digits glued to letters (`10am`, `5km`) and numbers of more than 15 digits (ids and
 * card numbers, which a JS number cannot hold exactly).
 *
 * Words: see number-words.ts for the vocabulary and the grammar below for how words combine.
 * Ordinals ("first", "второй"), fractions other than полтора, "dozen" and mixed-script
 * numbers ("twenty один") are not covered.
 *
 * Numbers are read from the original text with the tokenizer's own words, not the analyzer's,
 * so stop words ("and", "a") and compounds of a model do not break "a hundred and five".
 */
export interface NumberMatch {
  /** UTF-16 offsets in the text, end exclusive. */
  start: number;
  end: number;
  value: number;
}

export interface NumberOptions {
  /** The model's language: decides whether `1,000` groups thousands (English) or is a decimal. */
  language: string;
}

/** Languages that write `1,000,000` for a million; elsewhere the comma is a decimal separator. */
const COMMA_GROUPING_LANGUAGES = new Set(['en', 'zh', 'ja', 'ko']);

/** Beyond this many digits a JS number is no longer exact. */
const MAX_DIGITS = 15;

export function findNumbers(text: string, options: NumberOptions): NumberMatch[] {
  const tokens = tokenizeWithOffsets(text);
  const commaGroups = COMMA_GROUPING_LANGUAGES.has(options.language.slice(0, 2).toLowerCase());
  const out: NumberMatch[] = [];
  for (let i = 0; i < tokens.length; ) {
    const token = tokens[i] as Token;
    const found = /^\d+$/.test(token.form) ? readDigits(text, tokens, i, commaGroups) : readWords(text, tokens, i);
    if (found.match) out.push(found.match);
    i = Math.max(found.next, i + 1);
  }
  return out;
}

interface Found {
  match?: NumberMatch;
  /** The index of the first token after what was read (or skipped). */
  next: number;
}

// ---- digits ----------------------------------------------------------------------------

const SPACE_GROUPED = /\d{1,3}(?:[ \u00A0\u202F]\d{3})+(?:[.,]\d+)?/y;
const COMMA_GROUPED = /\d{1,3}(?:,\d{3})+(?:\.\d+)?/y;
const PLAIN = /\d+(?:[.,]\d+)?/y;
/** A run of digits with the dots and commas inside it: what must be read as one number or not at all. */
const DIGIT_RUN = /\d(?:[.,]?\d)*/y;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function stickyMatch(re: RegExp, text: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(text)?.[0];
}

function readDigits(text: string, tokens: Token[], i: number, commaGroups: boolean): Found {
  const start = (tokens[i] as Token).start;
  const run = stickyMatch(DIGIT_RUN, text, start);
  // Full-width and other non-ASCII digits: the token's form has ASCII digits, the text not.
  if (run === undefined) return { next: i + 1 };
  const runEnd = start + run.length;
  const skipRun = { next: tokenAfter(tokens, i, runEnd) };
  // Digits glued to letters ("3.5km") are units or codes, not numbers.
  if (runEnd < text.length && LETTER_OR_DIGIT.test(text[runEnd] as string)) return skipRun;

  let literal: string | undefined;
  let value: number | undefined;
  const spaced = stickyMatch(SPACE_GROUPED, text, start);
  if (spaced !== undefined && endsCleanly(text, start + spaced.length)) {
    literal = spaced;
    value = Number(spaced.replace(/[ \u00A0\u202F]/g, '').replace(',', '.'));
  } else if (commaGroups && stickyMatch(COMMA_GROUPED, text, start) === run) {
    literal = run;
    value = Number(run.replace(/,/g, ''));
  } else if (stickyMatch(PLAIN, text, start) === run) {
    literal = run;
    value = Number(run.replace(',', '.'));
  }
  if (literal === undefined || value === undefined || (literal.match(/\d/g) ?? []).length > MAX_DIGITS) return skipRun;

  let matchStart = start;
  let end = start + literal.length;
  // A minus sign right before the digits, itself not after a word ("5-3", "covid-19" are not negative).
  const sign = text[start - 1];
  if ((sign === '-' || sign === '\u2212') && (start < 2 || !LETTER_OR_DIGIT.test(text[start - 2] as string))) {
    matchStart = start - 1;
    value = -value;
  }
  let next = tokenAfter(tokens, i, end);
  // "5 тысяч", "2 million", "3 hundred", "1.5 млн".
  const scaleToken = tokens[next];
  const scale = scaleToken && /^\s+$/.test(text.slice(end, scaleToken.start)) ? lookup(scaleToken.form) : undefined;
  if (scale && (scale.kind === 'scale' || scale.kind === 'hundred')) {
    value = exact(value * scale.value);
    end = (scaleToken as Token).end;
    next++;
  }
  return { match: { start: matchStart, end, value }, next };
}

/** A number ends cleanly if no letter, digit or `.5`-like continuation follows it. */
function endsCleanly(text: string, end: number): boolean {
  const c = text[end];
  if (c === undefined) return true;
  if (LETTER_OR_DIGIT.test(c)) return false;
  return !((c === '.' || c === ',') && /\d/.test(text[end + 1] ?? ''));
}

/** The index of the first token at or after offset `end`. */
function tokenAfter(tokens: Token[], i: number, end: number): number {
  let k = i + 1;
  while (k < tokens.length && (tokens[k] as Token).start < end) k++;
  return k;
}

/** Products such as 1.1 × 10⁶ come out as 1100000.0000000002; 15 significant digits is what we read. */
function exact(x: number): number {
  return Number(x.toPrecision(MAX_DIGITS));
}

function lookup(form: string): NumberWord | undefined {
  return ENGLISH_NUMBER_WORDS.get(form) ?? RUSSIAN_NUMBER_WORDS.get(form);
}

// ---- words -----------------------------------------------------------------------------

/** Words of one number are separated by spaces or a hyphen ("twenty-one"); a comma ends the number. */
const WORD_GAP = /^[\s\u00A0]*(?:[-\u2010\u2011][\s\u00A0]*)?$/;

/**
 * The grammar, for one language at a time (a number's words all come from the lexicon of its
 * first word):
 *
 *   number := (small? scale)* small?       scales decreasing: million before thousand
 *   small  := hundreds? ("and"? below100)? | below100 | "полтора" | zero (alone)
 *   hundreds := Russian hundreds word ("двести") | (unit | "a")? "hundred"
 *   below100 := teen | tens unit? | unit
 *
 * A scale without a count before it is 1 × scale ("тысяча", "a thousand"), except plural and
 * abbreviated forms ("тысяч", "млн"), which need a count. "one two three" is three numbers.
 */
function readWords(text: string, tokens: Token[], i: number): Found {
  const first = (tokens[i] as Token).form;
  const lexicon: NumberLexicon | undefined = ENGLISH_NUMBER_WORDS.has(first)
    ? ENGLISH_NUMBER_WORDS
    : RUSSIAN_NUMBER_WORDS.has(first)
      ? RUSSIAN_NUMBER_WORDS
      : undefined;
  if (!lexicon) return { next: i + 1 };

  /** The number word at token k, if it continues the number (the gap before it is a space or hyphen). */
  const word = (k: number): NumberWord | undefined => {
    const t = tokens[k];
    if (!t) return undefined;
    if (k > i && !WORD_GAP.test(text.slice((tokens[k - 1] as Token).end, t.start))) return undefined;
    return lexicon.get(t.form);
  };
  const isBelow100 = (w: NumberWord | undefined) => w !== undefined && (w.kind === 'unit' || w.kind === 'teen' || w.kind === 'tens');

  const readBelow100 = (k: number): { value: number; next: number } | undefined => {
    const w = word(k);
    if (!w || !isBelow100(w)) return undefined;
    if (w.kind === 'tens') {
      const u = word(k + 1);
      if (u?.kind === 'unit') return { value: w.value + u.value, next: k + 2 };
    }
    return { value: w.value, next: k + 1 };
  };

  const readSmall = (k: number, afterScale: boolean): { value: number; next: number } | undefined => {
    const w = word(k);
    if (!w) return undefined;
    if (k === i && (w.kind === 'zero' || w.kind === 'half')) return { value: w.value, next: k + 1 };
    let value = 0;
    let p = k;
    let hundreds = false;
    if (w.kind === 'hundreds') {
      value = w.value;
      p = k + 1;
      hundreds = true;
    } else if ((w.kind === 'unit' || w.kind === 'a') && word(k + 1)?.kind === 'hundred') {
      value = w.value * 100;
      p = k + 2;
      hundreds = true;
    } else if (w.kind === 'hundred') {
      value = 100;
      p = k + 1;
      hundreds = true;
    }
    // "a hundred and five", "three thousand and twenty": "and" only between parts of a number.
    if ((hundreds || afterScale) && word(p)?.kind === 'and' && isBelow100(word(p + 1))) p++;
    const rest = readBelow100(p);
    if (rest) return { value: value + rest.value, next: rest.next };
    return hundreds ? { value, next: p } : undefined;
  };

  let total = 0;
  let lastScale = Infinity;
  let p = i;
  let parts = 0;
  for (;;) {
    const small = readSmall(p, parts > 0);
    let q = small ? small.next : p;
    let count = small?.value;
    if (!small && word(q)?.kind === 'a' && word(q + 1)?.kind === 'scale') {
      count = 1;
      q++;
    }
    const scale = word(q);
    if (scale?.kind === 'scale' && scale.value < lastScale && count !== 0 && (count !== undefined || !scale.needsCount)) {
      total += (count ?? 1) * scale.value;
      lastScale = scale.value;
      p = q + 1;
      parts++;
      continue;
    }
    if (small) {
      total += small.value;
      p = small.next;
      parts++;
    }
    break;
  }
  if (parts === 0) return { next: i + 1 };
  // A lone word that also is an ordinary word ("семью": family) is not a number.
  if (p === i + 1 && lexicon.get(first)?.notAlone) return { next: i + 1 };
  return { match: { start: (tokens[i] as Token).start, end: (tokens[p - 1] as Token).end, value: exact(total) }, next: p };
}
