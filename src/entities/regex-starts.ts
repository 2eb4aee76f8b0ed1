import type { RE2JS } from 're2js';
import type { Budget, Steps } from '../budget.js';
import { RegexTimer } from './regex-timer.js';
import { ALT, ALT_MATCH, CAPTURE, EMPTY_WIDTH, FAIL, MATCH, NOP, programOf, RUNE, RUNE1, RUNE_ANY, RUNE_ANY_NOT_NL } from './re2-program.js';

/*
 * Where a non-empty match of a regex may start in a text, found in one backward pass over the
 * compiled RE2 program: for each position, the instructions from which a match is reachable
 * after at least one character. It lets a scan run the matcher only at those positions, where
 * the usual loop (find, and after an empty match find again one character on) runs a full scan
 * from every position of a pattern that matches the empty string: `.*z|` on 400 characters is
 * 400 scans to the end of the text.
 *
 * The pass over-approximates and never misses a position: zero-width assertions (`^`, `$`,
 * `\b`) count as always true, and a lone surrogate as any character. A position it keeps may
 * still give only an empty match; the matcher there says so. It reads re2js's compiled program
 * (`re2().prog`): if that is not there, or holds instructions it does not know (lookbehinds),
 * there is no filter and the scan runs the usual loop.
 */

/** Positions between two looks at the budget: a position costs one visit of each instruction at most. */
const POSITIONS_PER_LOOK = 8;

/** A program's instructions as the backward pass reads them, built once per regex. */
export interface StartFilter {
  /** Whether the regex can match the empty string somewhere (only then is the filter worth its pass). */
  readonly matchesEmpty: boolean;
  /**
   * The positions (UTF-16 offsets, at code point boundaries) where a non-empty match may start,
   * ascending; the pass is charged to the budget as regex work, and pauses every few positions.
   */
  starts(text: string, budget: Budget, timer: RegexTimer): Steps<number[]>;
  /** Instructions visited by one pass over a text of this many code points, at most (its cost). */
  readonly size: number;
}

/** The filter of a compiled regex, or undefined when its program cannot be read. */
export function startFilter(re: RE2JS): StartFilter | undefined {
  const prog = programOf(re);
  if (!prog) return undefined;
  const insts = prog.inst;
  const n = insts.length;
  const start = prog.start;
  // Epsilon edges, reversed: which instructions reach pc without reading a character.
  const pred: number[][] = Array.from({ length: n }, () => []);
  const runes: number[] = [];
  const matches: number[] = [];
  for (let pc = 0; pc < n; pc++) {
    const inst = insts[pc]!;
    switch (inst.op) {
      case ALT:
      case ALT_MATCH:
        pred[inst.out]?.push(pc);
        pred[inst.arg]?.push(pc);
        break;
      case CAPTURE:
      case EMPTY_WIDTH:
      case NOP:
        pred[inst.out]?.push(pc);
        break;
      case MATCH:
        matches.push(pc);
        break;
      case RUNE:
      case RUNE1:
      case RUNE_ANY:
      case RUNE_ANY_NOT_NL:
        runes.push(pc);
        break;
      case FAIL:
        break;
      default:
        return undefined; // lookbehinds, or a program this code does not know
    }
  }
  const stack: number[] = [];
  /** Marks in `set` every instruction that reaches one already marked (seeds in `stack`) by epsilon edges. */
  const close = (set: Uint8Array) => {
    while (stack.length > 0) {
      for (const p of pred[stack.pop()!]!) {
        if (set[p] === 0) {
          set[p] = 1;
          stack.push(p);
        }
      }
    }
  };
  // Instructions that reach a match without reading anything.
  const atMatch = new Uint8Array(n);
  for (const pc of matches) {
    atMatch[pc] = 1;
    stack.push(pc);
  }
  close(atMatch);
  const edges = pred.reduce((sum, list) => sum + list.length, 0);

  return {
    matchesEmpty: atMatch[start] === 1,
    size: n + runes.length + edges,
    *starts(text, budget, timer) {
      const bounds: number[] = [];
      for (let i = 0; i < text.length; ) {
        bounds.push(i);
        i += codePointWidth(text, i);
      }
      const found: number[] = [];
      // live: from these instructions a match is reachable at the position after this one.
      let live = atMatch.slice();
      let here = new Uint8Array(n);
      for (let k = bounds.length - 1; k >= 0; k--) {
        if (k % POSITIONS_PER_LOOK === 0 && timer.lap(budget)) {
          yield;
          timer.resume(budget);
        }
        const at = bounds[k]!;
        const r = text.codePointAt(at)!;
        const lone = r >= 0xd800 && r <= 0xdfff; // a lone surrogate: re2js reads it as itself; any rune may take it here
        here.fill(0);
        for (const pc of runes) {
          const inst = insts[pc]!;
          if (live[inst.out] !== 1 || here[pc] === 1) continue;
          const takes = inst.op === RUNE_ANY || (inst.op === RUNE_ANY_NOT_NL ? r !== 10 : lone || inst.matchRune(r));
          if (!takes) continue;
          here[pc] = 1;
          stack.push(pc);
        }
        close(here);
        if (here[start] === 1) found.push(at);
        // From here on, a match may also be reached without reading anything.
        for (let pc = 0; pc < n; pc++) if (atMatch[pc] === 1) here[pc] = 1;
        [live, here] = [here, live];
      }
      return found.reverse();
    },
  };
}

/** UTF-16 units of the code point at i: 2 for a surrogate pair, else 1 (as re2js steps). */
function codePointWidth(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff || i + 1 >= text.length) return 1;
  const d = text.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
}
