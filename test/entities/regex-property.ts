import fc from 'fast-check';
import { Budget, runToEnd } from '../../src/budget.js';
import { compileSafeRegex, type CompiledRegex } from '../../src/entities/regex.js';
import { RegexScanner, type PatternMatch } from '../../src/entities/regex-scan.js';

/** The scanner against the usual loop on random patterns and texts (regex-scan.test.ts, and its slow tier). */

/** The matches of the usual loop: find, and after an empty match find again one character on; empty matches dropped. */
export function usualLoop(re: CompiledRegex, text: string, limit: number): PatternMatch[] {
  const out: PatternMatch[] = [];
  const m = re.matcher(text);
  while (out.length < limit && m.find()) if (m.end() > m.start()) out.push({ start: m.start(), end: m.end() });
  return out;
}

/** Small RE2 patterns: literals, classes, anchors, word boundaries, repetitions, alternatives with empty branches. */
const pattern: fc.Arbitrary<string> = fc.letrec((tie) => ({
  atom: fc.constantFrom('a', 'b', 'z', ' ', '.', '[ab]', '[^a]', '\\d', '\\w', '\\b', '\\B', '^', '$', '(?i:A)', 'я', '😀', '\\pL'),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('atom') as fc.Arbitrary<string>,
    fc.tuple(tie('node') as fc.Arbitrary<string>, tie('node') as fc.Arbitrary<string>).map(([x, y]) => x + y),
    fc.tuple(tie('node') as fc.Arbitrary<string>, tie('node') as fc.Arbitrary<string>).map(([x, y]) => `(?:${x}|${y})`),
    fc.tuple(tie('node') as fc.Arbitrary<string>, fc.constantFrom('*', '+', '?', '{0,3}', '{2}', '*?', '+?')).map(([x, q]) => `(?:${x})${q}`),
    (tie('node') as fc.Arbitrary<string>).map((x) => `(?:${x}|)`),
    (tie('node') as fc.Arbitrary<string>).map((x) => `(?:|${x})`),
  ),
})).node;

const text = fc.string({ unit: fc.constantFrom('a', 'b', 'z', ' ', '1', 'A', '\n', 'я', '😀', '\ud800', '.'), maxLength: 40 });


/** Asserts, over `runs` random patterns and texts, that the scanner finds the usual loop's matches. */
export function scannerMatchesUsualLoop(runs: number): void {
  fc.assert(
    fc.property(pattern, text, fc.integer({ min: 1, max: 5 }), (p, t, limit) => {
      const c = compileSafeRegex(p);
      fc.pre(c.ok);
      if (!c.ok) return;
      expect(runToEnd(new RegexScanner(c.re).scan(t, limit, Budget.unlimited()))).toEqual(usualLoop(c.re, t, limit));
    }),
    { numRuns: runs },
  );
}
