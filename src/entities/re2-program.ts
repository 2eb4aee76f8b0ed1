import type { RE2JS } from 're2js';

/*
 * A compiled regex's program, as re2js holds it (`re2().prog`): read by the start filter
 * (regex-starts.ts) and by the texts a pattern's cost is counted on (regex-cost.ts). These are
 * re2js internals: where they cannot be read, each reader does without.
 */

/** re2js's instruction codes (its Inst class), as its compiled programs hold them. */
export const ALT = 1;
export const ALT_MATCH = 2;
export const CAPTURE = 3;
export const EMPTY_WIDTH = 4;
export const FAIL = 5;
export const MATCH = 6;
export const NOP = 7;
export const RUNE = 8;
export const RUNE1 = 9;
export const RUNE_ANY = 10;
export const RUNE_ANY_NOT_NL = 11;

export interface Inst {
  op: number;
  out: number;
  arg: number;
  /** A class's ranges (low, high, …), or one rune. */
  runes: ArrayLike<number>;
  matchRune(r: number): boolean;
}

export interface Program {
  inst: Inst[];
  start: number;
}

/** The program of a compiled regex, or undefined when it cannot be read. */
export function programOf(re: RE2JS): Program | undefined {
  const prog = (re.re2() as unknown as { prog?: Partial<Program> }).prog;
  return prog && Array.isArray(prog.inst) && typeof prog.start === 'number' ? (prog as Program) : undefined;
}
