/**
 * Compares a command's output with the output a document shows. `…` stands for anything: within
 * a line, any characters; a line that is only `…`, any number of lines (none included). Trailing
 * spaces and trailing blank lines are ignored.
 *
 * When they differ, `compareOutput` also gives the document's lines rewritten to fit the output
 * with the fewest changes, keeping every `…`: what the docs would say after an update
 * (STS_DOCS_UPDATE=1), and a readable way to show what changed.
 */

export const ELLIPSIS = '…';

export interface Comparison {
  matches: boolean;
  /** The expected lines, each changed as little as possible to match the actual output. */
  updated: string[];
  /** A line-by-line listing: `  ` same, `- ` expected only, `+ ` actual only. */
  diff: string[];
}

const isWildLine = (line: string) => line.trim() === ELLIPSIS;

// Edit costs of the alignments: a changed line costs less than dropping one and letting a
// neighbouring `…` take its place, so updates keep what the document wrote. Within a line a
// digit changed into a digit (or a letter into a letter) is cheap, and a digit into punctuation
// dearer than dropping it, so "0.438532," becomes "0.5," rather than "0.5,\"phra".
const CHANGE = 2;
const DROP = 4;
const CHANGE_KIND = 5;
const kind = (c: string) => (/\p{N}/u.test(c) ? 'n' : /\p{L}/u.test(c) ? 'l' : c);
const charChange = (x: string, y: string) => (x === y ? 0 : kind(x) === kind(y) ? CHANGE : CHANGE_KIND);

function lineRegex(expected: string): RegExp {
  const parts = expected.split(ELLIPSIS).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, 'u');
}

const clean = (lines: string[]) => {
  const out = lines.map((l) => l.trimEnd());
  while (out.length > 0 && out.at(-1) === '') out.pop();
  return out;
};

type Step = { kind: 'same' | 'wild' | 'changed'; e: number; a: number[] } | { kind: 'deleted'; e: number } | { kind: 'inserted'; a: number };

/** Aligns expected lines with actual lines: a `…` line absorbs lines, other lines match their regex or count one change. */
function alignLines(expected: string[], actual: string[]): { cost: number; steps: Step[] } {
  const m = expected.length;
  const n = actual.length;
  const regexes = expected.map((l) => (isWildLine(l) ? null : lineRegex(l)));
  const cost = Array.from({ length: m + 1 }, () => new Array<number>(n + 1).fill(0));
  for (let j = 1; j <= n; j++) cost[0]![j] = j * DROP;
  for (let i = 1; i <= m; i++) {
    const wild = regexes[i - 1] === null;
    cost[i]![0] = cost[i - 1]![0]! + (wild ? 0 : DROP);
    for (let j = 1; j <= n; j++) {
      if (wild) {
        cost[i]![j] = Math.min(cost[i - 1]![j]!, cost[i]![j - 1]!);
      } else {
        const same = regexes[i - 1]!.test(actual[j - 1]!) ? 0 : CHANGE;
        cost[i]![j] = Math.min(cost[i - 1]![j - 1]! + same, cost[i - 1]![j]! + DROP, cost[i]![j - 1]! + DROP);
      }
    }
  }
  const steps: Step[] = [];
  let i = m;
  let j = n;
  let absorbed: number[] = [];
  while (i > 0 || j > 0) {
    const here = cost[i]![j]!;
    if (i > 0 && regexes[i - 1] === null) {
      if (j > 0 && cost[i]![j - 1] === here) {
        absorbed.unshift(--j);
        continue;
      }
      steps.unshift({ kind: 'wild', e: --i, a: absorbed });
      absorbed = [];
      continue;
    }
    if (i > 0 && j > 0) {
      const same = regexes[i - 1]!.test(actual[j - 1]!) ? 0 : CHANGE;
      if (cost[i - 1]![j - 1]! + same === here) {
        steps.unshift({ kind: same === 0 ? 'same' : 'changed', e: --i, a: [--j] });
        continue;
      }
    }
    if (i > 0 && cost[i - 1]![j]! + DROP === here) {
      steps.unshift({ kind: 'deleted', e: --i });
      continue;
    }
    steps.unshift({ kind: 'inserted', a: --j });
  }
  return { cost: cost[m]![n]!, steps };
}

/**
 * The expected line changed as little as possible to match the actual one: an edit distance in
 * which each `…` absorbs any run of characters for free. Characters that survive are the actual
 * ones, so the result matches the actual line.
 */
export function fitLine(expected: string, actual: string): string {
  const e = [...expected];
  const a = [...actual];
  const m = e.length;
  const n = a.length;
  const width = n + 1;
  const cost = new Int32Array((m + 1) * width);
  for (let j = 1; j <= n; j++) cost[j] = j * DROP;
  for (let i = 1; i <= m; i++) {
    const wild = e[i - 1] === ELLIPSIS;
    const row = i * width;
    const up = (i - 1) * width;
    cost[row] = cost[up]! + (wild ? 0 : DROP);
    for (let j = 1; j <= n; j++) {
      cost[row + j] = wild
        ? Math.min(cost[up + j]!, cost[row + j - 1]!)
        : Math.min(cost[up + j - 1]! + charChange(e[i - 1]!, a[j - 1]!), cost[up + j]! + DROP, cost[row + j - 1]! + DROP);
    }
  }
  const out: string[] = [];
  let i = m;
  let j = n;
  while (i > 0 || j > 0) {
    const here = cost[i * width + j]!;
    if (i > 0 && e[i - 1] === ELLIPSIS) {
      if (j > 0 && cost[i * width + j - 1] === here) j--;
      else (out.push(ELLIPSIS), i--);
      continue;
    }
    if (i > 0 && j > 0 && cost[(i - 1) * width + j - 1]! + charChange(e[i - 1]!, a[j - 1]!) === here) {
      out.push(a[--j]!);
      i--;
    } else if (i > 0 && cost[(i - 1) * width + j]! + DROP === here) {
      i--;
    } else {
      out.push(a[--j]!);
    }
  }
  return out.reverse().join('');
}

export function compareOutput(expectedLines: string[], actualLines: string[]): Comparison {
  const expected = clean(expectedLines);
  const actual = clean(actualLines);
  const { cost, steps } = alignLines(expected, actual);
  const updated: string[] = [];
  const diff: string[] = [];
  for (const step of steps) {
    switch (step.kind) {
      case 'same':
        updated.push(expected[step.e]!);
        diff.push(`  ${actual[step.a[0]!]}`);
        break;
      case 'wild':
        updated.push(expected[step.e]!);
        diff.push(`  ${expected[step.e]}${step.a.length > 0 ? `  (${step.a.length} line${step.a.length === 1 ? '' : 's'})` : ''}`);
        break;
      case 'changed':
        updated.push(fitLine(expected[step.e]!, actual[step.a[0]!]!));
        diff.push(`- ${expected[step.e]}`, `+ ${actual[step.a[0]!]}`);
        break;
      case 'deleted':
        diff.push(`- ${expected[step.e]}`);
        break;
      case 'inserted':
        updated.push(actual[step.a]!);
        diff.push(`+ ${actual[step.a]}`);
        break;
    }
  }
  return { matches: cost === 0, updated, diff };
}
