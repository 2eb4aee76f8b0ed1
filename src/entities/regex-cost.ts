import { Budget, OutOfBudget, runToEnd } from '../budget.js';
import { MAX_MATCHES_PER_PATTERN } from './limits.js';
import { compileSafeRegex, type CompiledRegex } from './regex.js';
import { RegexScanner } from './regex-scan.js';
import { startFilter } from './regex-starts.js';
import { countWork, WorkOverLimit, type RegexWork } from './regex-work.js';
import { ALT, ALT_MATCH, CAPTURE, EMPTY_WIDTH, FAIL, MATCH, NOP, programOf, RUNE, RUNE1, RUNE_ANY, RUNE_ANY_NOT_NL, type Inst, type Program } from './re2-program.js';

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

/**
 * What one unit of counted work costs, in nanoseconds: an NFA instruction visit (14–35 ns
 * measured across patterns, with the JIT warm), a run of the matcher, and an instruction visit
 * of the start filter's pass (regex-starts.ts: 3.7–4.2 ns, and 7–8 ns for large Unicode classes).
 */
const NS_PER_STEP = 20;
const NS_PER_RUN = 300;
const NS_PER_FILTER_VISIT = 8;

/** The text length the cost is measured on: the default lengthLimit. */
export const COST_TEXT_LENGTH = 400;

/**
 * Where re2js cannot be counted, the cost is timed instead: the timings of a probe while it is
 * over the limit, at most (the fastest counts). A busy machine (or code not yet compiled by the
 * JIT) only makes a scan slower, so a pattern near the limit is timed again before it is refused.
 */
const REPEATS = 20;

/** Characters whose runs are tried, at most (besides the ones every pattern gets). */
const MAX_PROBE_CHARS = 12;

/** Ranges of one character class whose first character is tried, at most. */
const MAX_RANGES_PER_CLASS = 4;

/**
 * Texts on which a pattern is slowest: the same character 400 times, for each character the
 * pattern's program reads, most read first (a run of what a repetition takes keeps its matcher
 * busy to the end of the text; a class gives the first character of each of its ranges, so
 * `\p{Cyrillic}` gives "Ѐ" and `[^a-z]` gives NUL), and those characters in turn, with and
 * without spaces; two walks along the program, taking each loop again as long as it can
 * (`(?:ab)+` gives "abab…"), first or last; and two texts that keep the most of the program's
 * instructions alive, character after character (greedyTexts()). Without a program that can be read, the characters come from the pattern's text.
 */
export function costProbes(pattern: string, re?: CompiledRegex): string[] {
  const program = re && programOf(re);
  const chars = new Set(['a', '0', ' ']);
  for (const c of program ? programChars(program) : sourceChars(pattern)) {
    if (chars.size >= MAX_PROBE_CHARS + 3) break;
    chars.add(c);
  }
  const list = [...chars];
  const fill = (unit: string) => unit.repeat(Math.ceil(COST_TEXT_LENGTH / unit.length)).slice(0, COST_TEXT_LENGTH);
  const walks = program ? [walk(program, true), walk(program, false), ...greedyTexts(program)].filter((w) => w.length > 0) : [];
  return [...new Set([...list.map(fill), fill(list.join('')), fill(list.join(' ') + ' '), ...walks.map(fill)])];
}

/** The characters a pattern's text names, for a program that cannot be read. */
function* sourceChars(pattern: string): Generator<string> {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const e = pattern[++i];
      const stands = e === undefined ? undefined : ESCAPES[e] ?? (/[\p{L}\p{N}]/u.test(e) ? undefined : e);
      if (stands !== undefined) yield stands;
    } else if (!'.+*?()|[]{}^$-'.includes(c)) yield c;
  }
}

/** The character an escape stands for in a probe. */
const ESCAPES: Record<string, string> = { d: '0', D: 'a', w: 'a', W: ' ', s: ' ', S: 'a', n: '\n', t: '\t', p: 'a', P: '0' };

/**
 * The characters a program's rune instructions read (the first of each of a class's ranges, a
 * few), most read first: a character that many instructions read (a bounded repetition is one
 * instruction per repeat) or a loop reads is the one whose run keeps a matcher busy, however
 * many other characters the pattern names.
 */
function programChars(program: Program): string[] {
  const looped = inLoops(program);
  const weights = new Map<string, number>();
  program.inst.forEach((inst, pc) => {
    const weight = looped[pc] ? COST_TEXT_LENGTH : 1;
    const add = (c: string) => weights.set(c, (weights.get(c) ?? 0) + weight);
    if (inst.op === RUNE_ANY || inst.op === RUNE_ANY_NOT_NL) return add('a');
    if (inst.op !== RUNE && inst.op !== RUNE1) return;
    const step = inst.op === RUNE1 || inst.runes.length === 1 ? 1 : 2;
    for (let j = 0; j < inst.runes.length && j < step * MAX_RANGES_PER_CLASS; j += step) {
      const rune = inst.runes[j]!;
      if (rune < 0xd800 || rune > 0xdfff) add(String.fromCodePoint(rune));
    }
  });
  // Equal weights keep program order (a stable sort).
  return [...weights].sort((x, y) => y[1] - x[1]).map(([c]) => c);
}

/** Instruction visits the greedy texts of one pattern may take to build, at most (tens of ms at worst). */
const GREEDY_WORK = 4_000_000;

/** Characters tried at each position of a greedy text, at most. */
const GREEDY_CHOICES = 24;

/**
 * Texts that keep the most of the program's instructions alive: character by character, the
 * one (of those the live instructions read) after which the most instructions are live, counted
 * as the NFA counts its work; once with a new match starting at every position (a scan's finds),
 * once with one start (a word test, or one long find). What the NFA then does on them is what
 * the pattern costs at its worst, where a start needs characters that no run or walk puts
 * together (`(?:ab|ba)(…){0,250}`). Zero-width assertions count as true and a match as cutting
 * nothing, so a text may keep fewer alive than counted here, never more. Building them stops
 * after GREEDY_WORK visits; the text so far is repeated.
 */
function greedyTexts(program: Program): string[] {
  const budget = { left: GREEDY_WORK };
  return [greedyText(program, true, budget), greedyText(program, false, budget)];
}

function greedyText(program: Program, restart: boolean, budget: { left: number }): string {
  const { inst, start } = program;
  const n = inst.length;
  const stamp = new Int32Array(n);
  let serial = 0;
  const stack: number[] = [];
  /** Adds the instructions reached from `pc` without reading (stamped `serial`) to `into`. */
  const close = (pc: number, into: number[]) => {
    stack.push(pc);
    while (stack.length > 0) {
      const at = stack.pop()!;
      if (at < 0 || at >= n || stamp[at] === serial) continue;
      stamp[at] = serial;
      into.push(at);
      const i = inst[at]!;
      if (i.op === ALT || i.op === ALT_MATCH) stack.push(i.arg, i.out);
      else if (i.op === CAPTURE || i.op === EMPTY_WIDTH || i.op === NOP) stack.push(i.out);
    }
  };
  const takes = (i: Inst, rune: number) =>
    i.op === RUNE_ANY || (i.op === RUNE_ANY_NOT_NL ? rune !== 10 : (i.op === RUNE || i.op === RUNE1) && i.matchRune(rune));
  let live: number[] = [];
  let text = '';
  while (text.length < COST_TEXT_LENGTH && budget.left > 0) {
    if (restart || text.length === 0) {
      serial++;
      for (const pc of live) stamp[pc] = serial;
      close(start, live);
    }
    const choices: number[] = [];
    for (const pc of live) {
      const i = inst[pc]!;
      const rune = i.op === RUNE || i.op === RUNE1 ? i.runes[0] : i.op === RUNE_ANY || i.op === RUNE_ANY_NOT_NL ? 0x61 : undefined;
      if (rune !== undefined && (rune < 0xd800 || rune > 0xdfff) && !choices.includes(rune)) choices.push(rune);
      if (choices.length >= GREEDY_CHOICES) break;
    }
    let best: number[] = [];
    let bestRune = 0x61;
    for (const rune of choices) {
      serial++;
      const next: number[] = [];
      for (const pc of live) if (takes(inst[pc]!, rune)) close(inst[pc]!.out, next);
      budget.left -= live.length + next.length;
      if (next.length > best.length) [best, bestRune] = [next, rune];
    }
    text += String.fromCodePoint(bestRune);
    live = best;
  }
  return text;
}

/** Which instructions lie on a cycle of the program (Tarjan's strongly connected components, iteratively). */
function inLoops(program: Program): Uint8Array {
  const n = program.inst.length;
  const next = (pc: number): number[] => {
    const inst = program.inst[pc]!;
    if (inst.op === ALT || inst.op === ALT_MATCH) return [inst.out, inst.arg];
    if (inst.op === MATCH || inst.op === FAIL || inst.op < ALT || inst.op > RUNE_ANY_NOT_NL) return [];
    return [inst.out];
  };
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const looped = new Uint8Array(n);
  const stack: number[] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const frames: { pc: number; edges: number[]; i: number }[] = [{ pc: root, edges: next(root), i: 0 }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      if (frame.i < frame.edges.length) {
        const to = frame.edges[frame.i++]!;
        if (to < 0 || to >= n) continue;
        if (to === frame.pc) looped[to] = 1;
        if (index[to] === -1) {
          index[to] = low[to] = counter++;
          stack.push(to);
          onStack[to] = 1;
          frames.push({ pc: to, edges: next(to), i: 0 });
        } else if (onStack[to]) low[frame.pc] = Math.min(low[frame.pc]!, index[to]!);
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low[parent.pc] = Math.min(low[parent.pc]!, low[frame.pc]!);
      if (low[frame.pc] !== index[frame.pc]) continue;
      const component: number[] = [];
      let pc: number;
      do {
        pc = stack.pop()!;
        onStack[pc] = 0;
        component.push(pc);
      } while (pc !== frame.pc);
      if (component.length > 1) for (const c of component) looped[c] = 1;
    }
  }
  return looped;
}

/**
 * The text read along one path of the program from its start, up to 400 characters: at each
 * choice the first way (`preferFirst`, which for a greedy loop is going round again) or the
 * other, unless that way was already taken since the last character read; after a match, the
 * path starts again. Empty when no character can be read.
 */
function walk(program: Program, preferFirst: boolean): string {
  let text = '';
  let pc = program.start;
  const since = new Set<number>(); // instructions passed since the last character read
  while (text.length < COST_TEXT_LENGTH) {
    if (since.has(pc)) return text;
    since.add(pc);
    const inst = program.inst[pc];
    if (!inst) return text;
    switch (inst.op) {
      case ALT:
      case ALT_MATCH: {
        const [first, other] = preferFirst ? [inst.out, inst.arg] : [inst.arg, inst.out];
        pc = since.has(first) ? other : first;
        break;
      }
      case CAPTURE:
      case EMPTY_WIDTH:
      case NOP:
        pc = inst.out;
        break;
      case MATCH:
        pc = program.start;
        break;
      case RUNE:
      case RUNE1:
      case RUNE_ANY:
      case RUNE_ANY_NOT_NL: {
        const rune = inst.op === RUNE || inst.op === RUNE1 ? inst.runes[0] : 0x61;
        if (rune === undefined || (rune >= 0xd800 && rune <= 0xdfff)) return text;
        text += String.fromCodePoint(rune);
        since.clear();
        pc = inst.out;
        break;
      }
      default:
        return text; // FAIL, or an instruction this code does not know
    }
  }
  return text;
}

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
  const copy = compiled(pattern);
  const scanner = new RegexScanner(copy);
  const scan = (probe: string, budget: Budget) => void runToEnd(scanner.scan(probe, MAX_MATCHES_PER_PATTERN, budget));
  const filter = startFilter(copy);
  // The scanner runs the filter's pass only for a pattern that can match the empty string.
  const visits = (probe: string) => (filter?.matchesEmpty ? filter.size * codePoints(probe) : 0);
  return countedCost(pattern, copy, (probe) => scan(probe, Budget.unlimited()), visits) ?? measuredCost(pattern, scan);
}

/**
 * The cost of a pattern's `$regex<…>` word test: whether a whole word matches, as
 * patterns/compile.ts runs it (`matcher(word).matches()`, whose engines re2js bounds by the
 * program's size times the word's length, as counted here).
 */
export function wordTestCost(pattern: string, compile: () => CompiledRegex): number {
  const counting = compile();
  return countedCost(pattern, counting, (probe) => void counting.matcher(probe).matches(), () => 0) ?? measuredCost(pattern, (probe) => void counting.matcher(probe).matches());
}

function compiled(pattern: string): CompiledRegex {
  const result = compileSafeRegex(pattern);
  if (!result.ok) throw new Error(`scanCost of an invalid pattern: ${result.problem}`);
  return result.re;
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** What is wrong with a measured cost, for the user; undefined when it is within the limit. */
export function costProblem(cost: number): string | undefined {
  if (cost <= MAX_REGEX_COST_MS) return undefined;
  return `the pattern is too slow: matching it on a ${COST_TEXT_LENGTH}-character text would take over ${MAX_REGEX_COST_MS} ms, the limit (long or nested bounded repetitions, or an alternative that matches the empty string, are the usual cause)`;
}
