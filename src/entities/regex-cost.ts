import { Budget, OutOfBudget, runToEnd } from '../budget.js';
import { MAX_MATCHES_PER_PATTERN } from './limits.js';
import type { CompiledRegex } from './regex.js';
import type { RegexScanner } from './regex-scan.js';

/**
 * What a regex may cost on its worst 400-character text, measured when a model is compiled:
 * a record over it is refused, naming the record. Ordinary patterns (a phone number, a code,
 * a list of words) take a few microseconds; this leaves room for large ones while keeping each
 * under the lateness a deadline allows, since one run of a matcher cannot be interrupted.
 */
export const MAX_REGEX_COST_MS = 2;

/** The text length the cost is measured on: the default lengthLimit. */
export const COST_TEXT_LENGTH = 400;

/**
 * Timings of a probe while it is over the limit, at most: the fastest counts. A busy machine (or
 * code not yet compiled by the JIT) only makes a scan slower, so a pattern near the limit is
 * timed again before it is refused; an ordinary one is timed once. With the cores oversubscribed,
 * a scan of an ordinary pattern still got preempted in five timings out of five; a pattern that
 * really is over the limit costs about this many times the limit before it is refused.
 */
const REPEATS = 20;

/** Characters whose runs are tried, at most (besides the ones every pattern gets). */
const MAX_PROBE_CHARS = 12;

/**
 * Texts on which a pattern is slowest: the same character 400 times, for each character the
 * pattern names (a run of what a repetition takes keeps its matcher busy to the end of the
 * text), and those characters in turn, with and without spaces.
 */
export function costProbes(pattern: string): string[] {
  const chars = new Set(['a', '0', ' ']);
  for (let i = 0; i < pattern.length && chars.size < MAX_PROBE_CHARS + 3; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const e = pattern[++i];
      const stands = e === undefined ? undefined : ESCAPES[e] ?? (/[\p{L}\p{N}]/u.test(e) ? undefined : e);
      if (stands !== undefined) chars.add(stands);
    } else if (!'.+*?()|[]{}^$-'.includes(c)) chars.add(c);
  }
  const list = [...chars];
  const fill = (unit: string) => unit.repeat(Math.ceil(COST_TEXT_LENGTH / unit.length)).slice(0, COST_TEXT_LENGTH);
  return [...list.map(fill), fill(list.join('')), fill(list.join(' ') + ' ')];
}

/** The character an escape stands for in a probe. */
const ESCAPES: Record<string, string> = { d: '0', D: 'a', w: 'a', W: ' ', s: ' ', S: 'a', n: '\n', t: '\t', p: 'a', P: '0' };

/**
 * The measured cost of a pattern (ms): the most one `run` over a probe took, each probe timed
 * up to REPEATS times while it is over the limit (the fastest counts). `run` gets a budget whose
 * regex allowance is the limit, so a scan of a pathological pattern stops soon after passing it.
 */
export function measuredCost(pattern: string, run: (probe: string, budget: Budget) => void, now: () => number = () => performance.now()): number {
  let worst = 0;
  for (const probe of costProbes(pattern)) {
    let best = Infinity;
    for (let k = 0; k < REPEATS && best > MAX_REGEX_COST_MS; k++) {
      const budget = new Budget({ now, regexMs: MAX_REGEX_COST_MS });
      try {
        run(probe, budget);
      } catch (e) {
        if (!(e instanceof OutOfBudget)) throw e;
      }
      best = Math.min(best, now() - budget.start);
    }
    worst = Math.max(worst, best);
    if (worst > MAX_REGEX_COST_MS) break;
  }
  return worst;
}

/** The cost of an entity pattern record: a scan for its matches, as a request runs it. */
export function scanCost(pattern: string, scanner: RegexScanner, now?: () => number): number {
  return measuredCost(pattern, (probe, budget) => void runToEnd(scanner.scan(probe, MAX_MATCHES_PER_PATTERN, budget)), now);
}

/**
 * The cost of a pattern's `$regex<…>` word test: whether a whole word matches, compiled afresh
 * for each probe, since re2js builds the states of that test's automaton as texts need them.
 */
export function wordTestCost(pattern: string, compile: () => CompiledRegex, now?: () => number): number {
  return measuredCost(pattern, (probe) => void compile().matches(probe), now);
}

/** What is wrong with a measured cost, for the user; undefined when it is within the limit. */
export function costProblem(cost: number): string | undefined {
  if (cost <= MAX_REGEX_COST_MS) return undefined;
  return `the pattern is too slow: matching it on a ${COST_TEXT_LENGTH}-character text takes over ${MAX_REGEX_COST_MS} ms, the limit (long or nested bounded repetitions, or an alternative that matches the empty string, are the usual cause)`;
}
