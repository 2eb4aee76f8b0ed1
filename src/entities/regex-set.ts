import { RE2Set } from 're2js';
import type { Budget } from '../budget.js';
import { COST_TEXT_LENGTH } from './regex-cost.js';
import { PATTERN_FLAGS } from './regex.js';

/** Which patterns match somewhere in a text; the pass is charged to the budget's regex allowance. */
export interface PatternSet {
  match(text: string, budget: Budget): ReadonlySet<number>;
}

/**
 * Largest set, in program instructions (the patterns' sizes added): one pass of the set cannot
 * pause, and when its DFA runs out of memory it runs as an automaton of that size over the text.
 */
const MAX_SET_PROGRAM = 20_000;
/** A set slower than this on a probe text is not used (the patterns then run one by one, pausing between runs). */
const MAX_SET_MS = 1;

/**
 * A prefilter for many patterns: one RE2Set pass over the text says which patterns match
 * anywhere in it, so only those run their (slower, position-tracking) matcher: with hundreds
 * of pattern records, most of a request's time was spent in matchers that find nothing.
 * Undefined when there are fewer than two patterns, when the set cannot be built, or when it is
 * too large or too slow to run in one go (the patterns then all run, as before). It is run on
 * probe texts here, so that the states its DFA builds on first use are built with the model.
 */
export function createPatternSet(patterns: readonly { source: string; size: number }[], now: () => number = () => performance.now()): PatternSet | undefined {
  if (patterns.length < 2 || patterns.reduce((sum, p) => sum + p.size, 0) > MAX_SET_PROGRAM) return undefined;
  let set: RE2Set;
  try {
    set = new RE2Set(RE2Set.UNANCHORED, PATTERN_FLAGS);
    for (const p of patterns) set.add(p.source);
    set.compile();
  } catch {
    return undefined;
  }
  for (const probe of ['a', '0', 'a0 .'].map((unit) => unit.repeat(COST_TEXT_LENGTH / unit.length))) {
    const started = now();
    set.match(probe);
    if (now() - started > MAX_SET_MS) return undefined;
  }
  return {
    match(text, budget) {
      const started = budget.check();
      const found = new Set(set.match(text));
      budget.chargeRegex(budget.clock() - started);
      return found;
    },
  };
}
