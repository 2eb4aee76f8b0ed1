import type { Budget } from '../budget.js';
import type { CompiledNode, CompiledPattern, PatternWord } from './compile.js';

/**
 * An entity found in the request, as entity search reports it (only these fields are read).
 * Word indices point into the same word array given to `matchPattern`; `wordEnd` is exclusive.
 */
export interface PatternEntity {
  entity: string;
  value: string | number;
  text: string;
  wordStart: number;
  wordEnd: number;
}

/** An entity that an `@Entity` element of the pattern took: one of the entities given. */
export type PatternCapture = PatternEntity;

export interface PatternMatch {
  /** The entities taken by `@Entity` elements, in request order. */
  captures: PatternCapture[];
}

/**
 * Work a single match may do before it gives up and reports no match. One step is one visit of
 * a (pattern element, request position) pair, a repeated visit answered from the memo included.
 * Thanks to the memo the work is polynomial — at most (elements × continuations × (words + 1))
 * fresh visits — so the cap only stops pathological patterns (many `*` between repeated words
 * on long requests, large nested `{ }`); ordinary patterns on 400-character requests take a
 * few hundred to a few thousand steps.
 */
export const PATTERN_MAX_STEPS = 100_000;

/** Steps between two looks at the budget's deadline (a step takes well under a microsecond). */
const STEPS_PER_CHECK = 1024;

export interface MatchPatternOptions {
  /** Defaults to PATTERN_MAX_STEPS. */
  maxSteps?: number;
  /** The request's budget: its deadline is checked as the match goes (OutOfBudget is thrown, not caught). */
  budget?: Budget;
  /** Filled in by the matcher: the steps taken, and whether the cap was hit (the result is then null). */
  stats?: { steps: number; exhausted: boolean };
}

/** What is left to match after an element: the rest of a sequence, the unused items of a { }, or the end. */
interface Frame {
  readonly kind: 'end' | 'sequence' | 'anyOrder';
  readonly node: CompiledNode | null;
  /** The next item of a sequence, or the mask of the { } items already used. */
  readonly index: number;
  readonly next: Frame | null;
  /** (element id × (words + 1) + position) pairs known to fail with this continuation. */
  readonly failed: Set<number>;
  /** Frames continuing into this one, interned so each continuation has one memo. */
  kids: Map<number, Frame> | null;
}

class Exhausted extends Error {}

/**
 * Matches a compiled pattern against the words of a request. The pattern must cover every word
 * (like JAICP's `q` patterns); `@Entity` elements take entity matches that start at the word
 * where the element stands. When several ways match, the first one in this order wins (this
 * only decides which entities are captured): alternatives left to right, `[x]` with x before
 * without, `*` taking as few words as possible, `{ }` trying its items in written order, an
 * `@Entity` trying the longest entity match first.
 *
 * Backtracking over (element, position, continuation) with a memo of the failed ones, so each
 * is explored once; the work is capped at `maxSteps` (PATTERN_MAX_STEPS), past which the
 * result is null (no match) and `stats.exhausted` is set.
 */
export function matchPattern(
  pattern: CompiledPattern,
  words: readonly PatternWord[],
  entities: readonly PatternEntity[] = [],
  options: MatchPatternOptions = {},
): PatternMatch | null {
  const n = words.length;
  const width = n + 1;
  const maxSteps = options.maxSteps ?? PATTERN_MAX_STEPS;
  let steps = 0;

  const starting = new Map<number, PatternEntity[]>();
  for (const e of entities) {
    if (!Number.isInteger(e.wordStart) || !Number.isInteger(e.wordEnd)) continue;
    if (e.wordStart < 0 || e.wordEnd <= e.wordStart || e.wordEnd > n) continue;
    const list = starting.get(e.wordStart);
    if (list) list.push(e);
    else starting.set(e.wordStart, [e]);
  }
  for (const list of starting.values()) list.sort((a, b) => b.wordEnd - a.wordEnd); // stable: ties keep input order

  const captures: PatternCapture[] = [];
  const end: Frame = { kind: 'end', node: null, index: 0, next: null, failed: new Set(), kids: null };

  const frame = (kind: 'sequence' | 'anyOrder', node: CompiledNode, index: number, next: Frame): Frame => {
    const key = node.id * 65_537 + index; // index ≤ 2^16 - 1 (a { } has at most 16 items)
    next.kids ??= new Map();
    let f = next.kids.get(key);
    if (!f) next.kids.set(key, (f = { kind, node, index, next, failed: new Set(), kids: null }));
    return f;
  };

  const budget = options.budget;
  const tick = () => {
    if (++steps > maxSteps) throw new Exhausted();
    if (budget !== undefined && steps % STEPS_PER_CHECK === 0) budget.check();
  };

  /** Can `node` match from `pos` and `cont` match after it, up to the end of the request? */
  const match = (node: CompiledNode, pos: number, cont: Frame): boolean => {
    tick();
    const key = node.id * width + pos;
    if (cont.failed.has(key)) return false;
    if (visit(node, pos, cont)) return true;
    cont.failed.add(key);
    return false;
  };

  const visit = (node: CompiledNode, pos: number, cont: Frame): boolean => {
    switch (node.kind) {
      case 'word':
        return pos < n && node.test(words[pos] as PatternWord) && proceed(cont, pos + 1);
      case 'empty':
        return proceed(cont, pos);
      case 'any':
        for (let e = pos; e <= n; e++) if (proceed(cont, e)) return true;
        return false;
      case 'entity':
        for (const e of starting.get(pos) ?? []) {
          if (e.entity !== node.name) continue;
          captures.push({ entity: e.entity, value: e.value, text: e.text, wordStart: e.wordStart, wordEnd: e.wordEnd });
          if (proceed(cont, e.wordEnd)) return true;
          captures.pop();
        }
        return false;
      case 'sequence':
        return proceed(frame('sequence', node, 0, cont), pos);
      case 'alternatives':
        for (const option of node.options) if (match(option, pos, cont)) return true;
        return false;
      case 'optional':
        return match(node.item, pos, cont) || proceed(cont, pos);
      case 'anyOrder':
        return proceed(frame('anyOrder', node, 0, cont), pos);
    }
  };

  /** Matches what `cont` still expects, from `pos`. */
  const proceed = (cont: Frame, pos: number): boolean => {
    tick();
    const node = cont.node as CompiledNode;
    const next = cont.next as Frame;
    if (cont.kind === 'end') return pos === n;
    if (node.kind === 'sequence') {
      const item = node.items[cont.index];
      if (!item) return proceed(next, pos);
      return match(item, pos, frame('sequence', node, cont.index + 1, next));
    }
    if (node.kind !== 'anyOrder') throw new Error(`a continuation frame of a ${node.kind}`);
    if (cont.index === node.full) return proceed(next, pos);
    for (let j = 0; j < node.items.length; j++) {
      const bit = 1 << j;
      if (cont.index & bit) continue;
      if (match(node.items[j] as CompiledNode, pos, frame('anyOrder', node, cont.index | bit, next))) return true;
    }
    return false;
  };

  let matched = false;
  let exhausted = false;
  try {
    matched = match(pattern.root, 0, end);
  } catch (e) {
    // Exhausted: the step cap; RangeError: a pattern and request so long the recursion overflows the stack.
    if (!(e instanceof Exhausted) && !(e instanceof RangeError)) throw e;
    exhausted = true;
  }
  if (options.stats) {
    options.stats.steps = steps;
    options.stats.exhausted = exhausted;
  }
  return matched ? { captures } : null;
}
