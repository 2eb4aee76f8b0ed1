import { ALT, ALT_MATCH, CAPTURE, EMPTY_WIDTH, FAIL, MATCH, NOP, programOf, RUNE, RUNE1, RUNE_ANY, RUNE_ANY_NOT_NL, type Inst, type Program } from './re2-program.js';
import type { CompiledRegex } from './regex.js';

/*
 * The texts a regex's cost is counted on (regex-cost.ts): those on which it is slowest, built
 * from its compiled program, 400 characters each.
 */

/** The text length the cost is measured on: the default lengthLimit. */
export const COST_TEXT_LENGTH = 400;

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
 * instructions alive, character after character (greedyTexts()). Without a program that can
 * be read, the characters come from the pattern's text.
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
    if (inst.op === RUNE_ANY || inst.op === RUNE_ANY_NOT_NL) return add(String.fromCodePoint(ANY));
    if (inst.op !== RUNE && inst.op !== RUNE1) return;
    const step = inst.op === RUNE1 || inst.runes.length === 1 ? 1 : 2;
    for (let j = 0; j < inst.runes.length && j < step * MAX_RANGES_PER_CLASS; j += step) {
      const rune = inst.runes[j]!;
      if (!isSurrogate(rune)) add(String.fromCodePoint(rune));
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
 * nothing, so a text may keep fewer alive than counted here, never more. Building each stops
 * after half of GREEDY_WORK visits; the text so far is repeated.
 */
function greedyTexts(program: Program): string[] {
  // Each its own half: the first, which keeps the most alive, would leave the second nothing.
  return [greedyText(program, true, { left: GREEDY_WORK / 2 }), greedyText(program, false, { left: GREEDY_WORK / 2 })];
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
      const rune = i.op === RUNE || i.op === RUNE1 ? i.runes[0] : i.op === RUNE_ANY || i.op === RUNE_ANY_NOT_NL ? ANY : undefined;
      if (rune !== undefined && !isSurrogate(rune) && !choices.includes(rune)) choices.push(rune);
      if (choices.length >= GREEDY_CHOICES) break;
    }
    let best: number[] = [];
    let bestRune = ANY;
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
        const rune = inst.op === RUNE || inst.op === RUNE1 ? inst.runes[0] : ANY;
        if (rune === undefined || isSurrogate(rune)) return text;
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


/** The character a probe puts where a pattern reads any character: "a". */
const ANY = 0x61;

/** A lone surrogate, which no probe holds: re2js reads a text's characters as code points. */
function isSurrogate(rune: number): boolean {
  return rune >= 0xd800 && rune <= 0xdfff;
}
