import { Budget, OutOfBudget, runToEnd } from '../budget.js';
import { MAX_MATCHES_PER_PATTERN } from './limits.js';
import { compileRegex, type CompiledRegex } from './regex.js';
import { RegexScanner } from './regex-scan.js';
import { startFilter } from './regex-starts.js';
import { countWork, WorkOverLimit, type RegexWork } from './regex-work.js';
import { COST_TEXT_LENGTH, costProbes } from './regex-probes.js';
import { countSymbols } from '../text/normalize.js';

/**
 * What a regex may cost on its worst 400-character text when a model is compiled: a record over
 * it is refused, naming the record. Ordinary patterns (a phone number, a code, a short list of
 * words) cost a few microseconds; this leaves room for large ones while keeping each under the
 * lateness a deadline allows, since one run of a matcher cannot be interrupted.
 *
 * The cost is counted (regex-work.ts), not timed, so a pattern gets the same verdict on every
 * machine and under any load. It is given in milliseconds of the machine the rates below were
 * measured on (AMD EPYC, Node.js 20; docs/limits.md): scans whose count comes to 2 ms took
 * 1.4–3.5 ms there.
 */
export const MAX_REGEX_COST_MS = 2;

export { COST_TEXT_LENGTH, costProbes } from './regex-probes.js';

/**
 * What one unit of counted work costs, in nanoseconds: an NFA instruction visit (14–35 ns
 * measured across patterns, with the JIT warm), a run of the matcher, and an instruction visit
 * of the start filter's pass (regex-starts.ts: 3.7–4.2 ns, and 7–8 ns for large Unicode classes).
 */
const NS_PER_STEP = 20;
const NS_PER_RUN = 300;
const NS_PER_FILTER_VISIT = 8;

/**
 * Where re2js cannot be counted, the cost is timed instead: the timings of a probe while it is
 * over the limit, at most (the fastest counts). A busy machine (or code not yet compiled by the
 * JIT) only makes a scan slower, so a pattern near the limit is timed again before it is refused.
 */
const REPEATS = 20;

/**
 * The counted cost of a pattern (ms): the most work one `run` over a probe does, on a regex
 * compiled for the count alone, plus the start filter's pass where `filter` says it runs. The
 * count of a pathological pattern stops soon after the limit. Undefined when re2js cannot be counted.
 */
function countedCost(pattern: string, re: CompiledRegex, run: (probe: string) => void, filterVisits: (probe: string) => number): number | undefined {
  let base = 0;
  const work = countWork(re, (w) => base + workMs(w) > MAX_REGEX_COST_MS);
  if (!work) return undefined;
  let worst = 0;
  for (const probe of costProbes(pattern, re)) {
    work.steps = 0;
    work.runs = 0;
    base = (filterVisits(probe) * NS_PER_FILTER_VISIT) / 1e6;
    if (base <= MAX_REGEX_COST_MS) {
      try {
        run(probe);
      } catch (e) {
        if (!(e instanceof WorkOverLimit)) throw e;
      }
    }
    worst = Math.max(worst, base + workMs(work));
    if (worst > MAX_REGEX_COST_MS) break;
  }
  return worst;
}

function workMs(work: RegexWork): number {
  return (work.steps * NS_PER_STEP + work.runs * NS_PER_RUN) / 1e6;
}

/**
 * The timed cost of a pattern (ms), where it cannot be counted: the most one `run` over a probe
 * took, each probe timed up to REPEATS times while it is over the limit (the fastest counts).
 * `run` gets a budget whose regex allowance is the limit, so a scan of a pathological pattern
 * stops soon after passing it.
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

/**
 * The cost of an entity pattern record (a valid one): a scan for its matches, as a request runs
 * it, on a copy compiled as records are (regex.ts).
 */
export function scanCost(pattern: string): number {
  const copy = compileRegex(pattern);
  const scanner = new RegexScanner(copy);
  const scan = (probe: string, budget: Budget) => void runToEnd(scanner.scan(probe, MAX_MATCHES_PER_PATTERN, budget));
  const filter = startFilter(copy);
  // The scanner runs the filter's pass only for a pattern that can match the empty string.
  const visits = (probe: string) => (filter?.matchesEmpty ? filter.size * countSymbols(probe) : 0);
  return countedCost(pattern, copy, (probe) => scan(probe, Budget.unlimited()), visits) ?? measuredCost(pattern, scan);
}

/**
 * The cost of a pattern's `$regex<…>` word test (a valid one): whether a whole word matches, as
 * patterns/compile.ts runs it (`matcher(word).matches()`, whose engines re2js bounds by the
 * program's size times the word's length, as counted here), on a copy compiled as patterns are.
 */
export function wordTestCost(pattern: string): number {
  const copy = compileRegex(pattern);
  const test = (probe: string) => void copy.matcher(probe).matches();
  return countedCost(pattern, copy, test, () => 0) ?? measuredCost(pattern, test);
}

/** What is wrong with a measured cost, for the user; undefined when it is within the limit. */
export function costProblem(cost: number): string | undefined {
  if (cost <= MAX_REGEX_COST_MS) return undefined;
  return `the pattern is too slow: matching it on a ${COST_TEXT_LENGTH}-character text would take over ${MAX_REGEX_COST_MS} ms, the limit (long or nested bounded repetitions, or an alternative that matches the empty string, are the usual cause)`;
}
