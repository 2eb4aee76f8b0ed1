import { RE2JS } from 're2js';

/**
 * User regular expressions run on re2js, a port of RE2: matching time is linear in the text
 * (no backtracking), so a pattern such as `(a+)+$` cannot hang the server the way it hangs
 * JavaScript's RegExp. The price is RE2 syntax: no backreferences (`\1`) and no lookarounds;
 * such patterns fail at compile time with RE2's message.
 *
 * Patterns match case-insensitively (users write "мск" and users type "МСК"; `(?-i)` turns it
 * off). They run on the original request text, not the normalized one, so offsets are the
 * user's; `ё` and `е` are therefore different letters here. Note that RE2's `\w`, `\d` and `\b`
 * are ASCII-only: use `\p{L}` / `[\p{L}\p{N}_]` for words in other scripts.
 */
export const PATTERN_FLAGS = RE2JS.CASE_INSENSITIVE;

/**
 * Size limits on top of RE2's own (repetition counts up to 1000). Matching costs about
 * program size × text length, so a bounded program bounds a request's cost.
 */
export const MAX_PATTERN_LENGTH = 2000;
export const MAX_PROGRAM_SIZE = 10_000;

export type CompiledRegex = RE2JS;

/** Compiles a user pattern, or says what is wrong with it (a message for the user). */
export function compileSafeRegex(pattern: string): { ok: true; re: CompiledRegex } | { ok: false; problem: string } {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return { ok: false, problem: `the pattern is ${pattern.length} characters long; the limit is ${MAX_PATTERN_LENGTH}` };
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, PATTERN_FLAGS);
  } catch (e) {
    // re2js says "error parsing regexp: missing closing ): `(a`"; the prefix adds nothing.
    const message = e instanceof Error ? e.message.replace(/^error parsing regexp: /, '') : String(e);
    return { ok: false, problem: message };
  }
  if (re.programSize() > MAX_PROGRAM_SIZE) {
    return { ok: false, problem: `the pattern is too complex (program size ${re.programSize()}; the limit is ${MAX_PROGRAM_SIZE})` };
  }
  return { ok: true, re };
}

/**
 * A pattern's program through compileSafeRegex(), for a pattern already known to compile (or
 * one whose problem is the caller's error): throws with the problem otherwise.
 */
export function compileRegex(pattern: string): CompiledRegex {
  const compiled = compileSafeRegex(pattern);
  if (!compiled.ok) throw new Error(compiled.problem);
  return compiled.re;
}
