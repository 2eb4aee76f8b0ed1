import { RE2JS } from 're2js';
import { Budget, OutOfBudget, runToEnd } from '../../src/budget.js';
import { compileSafeRegex, type CompiledRegex } from '../../src/entities/regex.js';
import { COST_TEXT_LENGTH, MAX_REGEX_COST_MS, scanCost } from '../../src/entities/regex-cost.js';
import { RegexScanner } from '../../src/entities/regex-scan.js';
import { scannerMatchesUsualLoop, usualLoop } from './regex-property.js';
import { startFilter } from '../../src/entities/regex-starts.js';

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

describe('the cost of a pattern, measured on its worst 400-character texts', () => {
  test('ordinary patterns are far under the limit', () => {
    for (const p of ['\\d{3}-\\d{4}', '[a-z]+@[a-z]+\\.[a-z]{2,}', '(?:\\+7|8)\\d{10}', '\\d*', '.*z|', '(понедельник|вторник|среда)']) {
      expect({ p, cost: scanCost(p, new RegexScanner(compiled(p))) }).toEqual({ p, cost: expect.any(Number) });
      expect(scanCost(p, new RegexScanner(compiled(p)))).toBeLessThan(MAX_REGEX_COST_MS);
    }
  });

  test('a pattern that keeps the matcher busy to the end of the text at every position is over it', () => {
    // With a clock that advances with each look, the scan of each probe stops at the limit.
    const p = 'a{0,1000}a{0,1000}a{0,1000}a{0,1000}z|';
    expect(scanCost(p, new RegexScanner(compiled(p)))).toBeGreaterThan(MAX_REGEX_COST_MS);
    expect(COST_TEXT_LENGTH).toBe(400);
  });
});
