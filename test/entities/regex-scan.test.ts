import { RE2JS } from 're2js';
import { Budget, OutOfBudget, runToEnd } from '../../src/budget.js';
import { compileSafeRegex, type CompiledRegex } from '../../src/entities/regex.js';
import { COST_TEXT_LENGTH, costProbes, MAX_REGEX_COST_MS, measuredCost, scanCost, wordTestCost } from '../../src/entities/regex-cost.js';
import { RegexScanner } from '../../src/entities/regex-scan.js';
import { scannerMatchesUsualLoop, usualLoop } from './regex-property.js';
import { startFilter } from '../../src/entities/regex-starts.js';
import { countWork, WorkOverLimit } from '../../src/entities/regex-work.js';

function compiled(pattern: string): CompiledRegex {
  const c = compileSafeRegex(pattern);
  if (!c.ok) throw new Error(c.problem);
  return c.re;
}

const scan = (pattern: string, text: string, limit = 100) => runToEnd(new RegexScanner(compiled(pattern)).scan(text, limit, Budget.unlimited()));

/** Counts the matcher runs (Matcher#find) while `fn` runs. */
function countRuns(fn: () => void): number {
  const proto = Object.getPrototypeOf(RE2JS.compile('a').matcher('')) as { find: (...args: unknown[]) => boolean };
  const find = proto.find;
  let runs = 0;
  proto.find = function (this: unknown, ...args: unknown[]) {
    runs++;
    return find.apply(this, args);
  };
  try {
    fn();
  } finally {
    proto.find = find;
  }
  return runs;
}

describe('RegexScanner', () => {
  test('finds exactly the matches of the usual loop (1,000 random patterns and texts; 20,000 in the slow tier)', () => {
    scannerMatchesUsualLoop(1000);
  });

  test.each([
    ['.*z|', 'a'.repeat(399) + 'z', [{ start: 0, end: 400 }]],
    ['\\d*', 'ab12c345', [{ start: 2, end: 4 }, { start: 5, end: 8 }]],
    ['|a', 'aaa', []],
    ['(?:a|)b', 'xab b', [{ start: 1, end: 3 }, { start: 4, end: 5 }]],
    ['\\b', 'hello world', []],
  ])('%s (case %#): the matches of the usual loop', (p, t, expected) => {
    expect(scan(p, t)).toEqual(expected);
    expect(usualLoop(compiled(p), t, 100)).toEqual(expected);
  });

  test('an empty match costs no scan of the rest of the text: `.*z|` on 400 × "a" runs no matcher at all', () => {
    const re = compiled('.*z|');
    expect(countRuns(() => usualLoop(re, 'a'.repeat(400), 100))).toBe(402); // the usual loop: a scan to the end from each position, and one past the end
    expect(countRuns(() => scan('.*z|', 'a'.repeat(400)))).toBe(0);
    expect(countRuns(() => scan('.*z|', 'a'.repeat(399) + 'z'))).toBe(1);
  });

  test('the start filter keeps every position where a non-empty match starts, and reads no unknown program', () => {
    const filter = startFilter(compiled('(?:ab)*c?'))!;
    expect(filter.matchesEmpty).toBe(true);
    expect(runToEnd(filter.starts('xabcxc', Budget.unlimited(), { lap: () => false, resume: () => undefined } as never))).toEqual([1, 3, 5]);
    expect(startFilter(compiled('(?:ab|)c'))!.matchesEmpty).toBe(false);
    expect(startFilter({ re2: () => ({}) } as unknown as CompiledRegex)).toBeUndefined();
  });

  test('a scan checks the deadline between matcher runs and charges them to the regex allowance', () => {
    let t = 0;
    const budget = new Budget({ now: () => (t += 1), regexMs: 5 });
    const scanner = new RegexScanner(compiled('a'));
    const e = (() => {
      try {
        runToEnd(scanner.scan('a'.repeat(50), 100, budget));
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(OutOfBudget);
    expect(e).toMatchObject({ kind: 'regex', max: 5 });
  });
});

describe('the cost of a pattern, counted on its worst 400-character texts', () => {
  test('ordinary patterns are far under the limit', () => {
    for (const p of ['\\d{3}-\\d{4}', '[a-z]+@[a-z]+\\.[a-z]{2,}', '(?:\\+7|8)\\d{10}', '\\d*', '.*z|', '(понедельник|вторник|среда)']) {
      expect({ p, cost: scanCost(p) }).toEqual({ p, cost: expect.any(Number) });
      expect(scanCost(p)).toBeLessThan(MAX_REGEX_COST_MS / 10);
    }
  });

  test('a pattern that keeps the matcher busy to the end of the text at every position is over it', () => {
    const p = 'a{0,1000}a{0,1000}a{0,1000}a{0,1000}z|';
    expect(scanCost(p)).toBeGreaterThan(MAX_REGEX_COST_MS);
    expect(COST_TEXT_LENGTH).toBe(400);
  });

  test('the same pattern gets the same cost every time, however busy the machine: it is counted, not timed', () => {
    const near = ['[a-c]{0,80}z', '.{0,100}z', '[a-z]{0,60}[0-9]{0,60}z', '(?:a|aa){0,50}b', '[a-c]{0,100}z|'];
    const costs = near.map((p) => scanCost(p));
    // A busy event loop meanwhile (what a timed cost would count in): the counts do not move.
    const until = performance.now() + 30;
    const again = near.map((p) => {
      while (performance.now() < until);
      return scanCost(p);
    });
    expect(again).toEqual(costs);
    for (const cost of costs) expect(cost).toBeLessThanOrEqual(MAX_REGEX_COST_MS);
    for (const p of ['[a-c]{0,200}z', '.{0,300}z', 'a{0,300}z|', '(?:[a-z]{0,5}){0,50}x']) expect({ p, over: scanCost(p) > MAX_REGEX_COST_MS }).toEqual({ p, over: true });
  });

  test('the texts tried come from the program: what its classes and repetitions read, and the paths its loops take', () => {
    // Patterns are case-insensitive: their programs read letters in one case, either.
    const probes = (p: string) => costProbes(p, compiled(p)).map((t) => t.toLowerCase());
    expect(probes('\\p{Cyrillic}{0,10}z')).toContain('ѐ'.repeat(400));
    expect(probes('[^a-z0-9 ,]{0,10}z')).toContain('\u0000'.repeat(400));
    expect(probes('(?:ab)+c')).toContain('ab'.repeat(200));
    // Many characters named once, one repeated: its run is tried, however many others there are.
    expect(probes('bcdefghijklmnopqrstuvwxy|q{0,100}z')).toContain('q'.repeat(400));
    for (const p of [
      '\\p{Cyrillic}{0,1000}\\p{Cyrillic}{0,1000}\\p{Cyrillic}{0,1000}\\p{Cyrillic}{0,1000}z',
      '[^a-z0-9 ,]{0,1000}[^a-z0-9 ,]{0,1000}[^a-z0-9 ,]{0,1000}z',
      '(?:ab){0,1000}(?:ab){0,1000}(?:ab){0,1000}c',
      'bcdefghijklmnop|q{0,1000}q{0,1000}q{0,1000}z',
    ]) {
      expect({ p, over: scanCost(p) > MAX_REGEX_COST_MS }).toEqual({ p, over: true });
    }
  });

  test('the texts tried include ones that keep the most of the program alive: a start that needs two characters, a branch in the middle', () => {
    const branches = '(?:(a)|(b)|(c)|(e)|(f)|(g)|(h)|(i))';
    // "abab…" starts a match at every other character, and each keeps up to 250 repeats alive.
    expect(scanCost(`(?:ab|ba)${branches}{0,250}d`)).toBeGreaterThan(MAX_REGEX_COST_MS);
    const middle = 'c|x' + '(?:ab){0,200}'.repeat(12) + 'y|d';
    expect(scanCost(middle)).toBeGreaterThan(MAX_REGEX_COST_MS);
    expect(wordTestCost(middle)).toBeGreaterThan(MAX_REGEX_COST_MS);
    const anyPrefix = `[a-z]*(?:ab|ba)${branches}{0,250}d`;
    expect(wordTestCost(anyPrefix)).toBeGreaterThan(MAX_REGEX_COST_MS);
  });

  test('a word test is counted as patterns run it, through a matcher: the same cost every time, and over the limit where it is slow', () => {
    const ordinary = wordTestCost('[a-z]{0,40}z');
    expect(ordinary).toBeLessThan(MAX_REGEX_COST_MS / 10);
    expect(wordTestCost('[a-z]{0,40}z')).toBe(ordinary);
    const slow = 'a{0,1000}a{0,1000}a{0,1000}a{0,1000}z';
    expect(wordTestCost(slow)).toBeGreaterThan(MAX_REGEX_COST_MS);
  });

  test('a count grows with the work: twice the repetition, about twice the cost', () => {
    const small = scanCost('[a-c]{0,40}z');
    const large = scanCost('[a-c]{0,80}z');
    expect(large / small).toBeGreaterThan(1.6);
    expect(large / small).toBeLessThan(2.4);
  });

  test('this re2js can be counted (else costs fall back to timing)', () => {
    const re = compiled('[a-c]{0,10}z');
    const work = countWork(re, () => false);
    expect(work).toBeDefined();
    expect(re.matcher('ab'.repeat(20) + 'z').find()).toBe(true);
    expect(work!.runs).toBe(1);
    expect(work!.steps).toBeGreaterThan(40);
  });

  test('timed instead (a re2js that cannot be counted): the fastest of the timings of a probe counts', () => {
    let clock = 0;
    const costs = [5, 5, 1.5]; // a probe slowed twice (a busy machine), then its own cost
    let runs = 0;
    const cost = measuredCost('ab', () => void (clock += costs[Math.min(runs++, 2)]!), () => clock);
    expect(cost).toBe(1.5);
    expect(runs).toBeGreaterThan(3); // the other probes, each under the limit, timed once
    clock = 0;
    expect(measuredCost('ab', () => void (clock += 3), () => clock)).toBe(3);
  });

  test('a count stops once it is over the limit', () => {
    const re = compiled('(?:[a-z]{0,5}){0,50}x');
    const work = countWork(re, (w) => w.steps > 1000)!;
    expect(() => re.matcher('a'.repeat(400)).find()).toThrow(WorkOverLimit);
    expect(work.steps).toBeLessThan(1000 + re.programSize());
  });
});
