import { compileRegex } from '../entities/regex.js';
import { StsError } from '../errors.js';
import { normalizeText, tokenize } from '../text/normalize.js';

/**
 * The syntax tree of a pattern (a subset of JAICP's pattern language). Plain JSON: a compiled
 * model can store it as is, and `formatPattern` prints it back as canonical pattern text.
 *
 * Every node matches a run of consecutive request words (possibly none, for `any`, `optional`
 * and sequences of those); a whole pattern must cover the whole request.
 */
export type PatternNode =
  /** A word with this normalized form (`book`, `Книгу` → `книгу`). */
  | { kind: 'word'; form: string }
  /** `~word`: any form of the word (same stem as `form`). */
  | { kind: 'lemma'; form: string }
  /** `put*`, `*put`, `*put*`: a word that starts with / ends with / contains `text` (JAICP's "stem" element). */
  | { kind: 'wordPart'; text: string; anyBefore: boolean; anyAfter: boolean }
  /** `*`: any number of words, none included. */
  | { kind: 'any' }
  /** `@Entity`, `@duckling.number`: one entity match of that name starting at this word. */
  | { kind: 'entity'; name: string }
  /** `$regex<…>`: one word whose normalized form matches the RE2 regex as a whole, case-insensitively. */
  | { kind: 'regex'; source: string }
  /** Elements one after another (never nested in another sequence, never empty). */
  | { kind: 'sequence'; items: PatternNode[] }
  /** `(a|b c)`: the first option that lets the whole pattern match (two or more options). */
  | { kind: 'alternatives'; options: PatternNode[] }
  /** `[x]`, `[a|b]`: the item or nothing. */
  | { kind: 'optional'; item: PatternNode }
  /** `{a b c}`: every item exactly once, in any order, as one block of adjacent words. */
  | { kind: 'anyOrder'; items: PatternNode[] };

/** Limits that keep a pattern cheap to parse, compile and match. */
export const PATTERN_LIMITS = {
  /** Characters in a pattern. */
  maxLength: 10_000,
  /** Nesting depth of ( ), [ ] and { }. */
  maxDepth: 50,
  /** Items in one { } (the matcher tracks the used ones in a bit mask). */
  maxAnyOrderItems: 16,
  /** Characters in one $regex<…>. */
  maxRegexLength: 1_000,
  /**
   * Elements one match can pass through in a row (see `matchChain`): the matcher recurses once
   * per element, so this keeps its stack shallow.
   */
  maxChain: 500,
} as const;

/** Characters with a meaning of their own; everything else (but whitespace) is part of a word. */
const SPECIAL = new Set(['(', ')', '[', ']', '{', '}', '|', '*', '~', '@', '$']);
const WHITESPACE = /\s/u;
const ENTITY_NAME = /[\p{L}\p{N}_](?:[\p{L}\p{M}\p{N}_.-]*[\p{L}\p{M}\p{N}_])?/uy;
const DOLLAR_NAME = /[\p{L}\p{N}_]+/uy;
const DIGITS = /^\p{N}+$/u;

/** What a pattern can be nested in; `/` separates alternatives only inside ( ) and [ ] (as in JAICP). */
type Context = 'top' | 'group' | 'anyOrder';

/**
 * Parses a pattern into its syntax tree. Throws `StsError('invalid_source')` with the 1-based
 * column of the problem and what was expected there, e.g.
 * `pattern "(book | reserve a table": column 24: expected ")"`.
 */
export function parsePattern(source: string): PatternNode {
  if (typeof source !== 'string') throw new StsError('invalid_source', 'a pattern must be a string');
  return new Parser(source).parse();
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly src: string) {}

  parse(): PatternNode {
    if (this.src.length > PATTERN_LIMITS.maxLength) {
      this.fail(PATTERN_LIMITS.maxLength, `the pattern is longer than ${PATTERN_LIMITS.maxLength} characters`);
    }
    const { nodes } = this.sequence('top');
    if (this.i < this.src.length) {
      const ch = this.src[this.i] as string;
      if (ch === '|') this.fail(this.i, 'unexpected "|": alternatives must be inside ( ) or [ ]');
      this.fail(this.i, `unexpected "${ch}" without a matching "${OPENERS[ch] ?? ''}"`);
    }
    if (nodes.length === 0) {
      this.fail(this.src.length, this.src.trim() === '' ? 'the pattern is empty' : 'the pattern has no words');
    }
    const tree = sequenceOf(nodes);
    if (matchChain(tree) > PATTERN_LIMITS.maxChain) {
      this.fail(0, `the pattern has more than ${PATTERN_LIMITS.maxChain} elements in a row`);
    }
    return tree;
  }

  /** Elements up to the end of the text or a character that ends the current context (left unread). */
  private sequence(context: Context): { nodes: PatternNode[]; elements: number } {
    const nodes: PatternNode[] = [];
    let elements = 0;
    for (;;) {
      this.skipSpace();
      if (this.i >= this.src.length) break;
      const ch = this.src[this.i] as string;
      if (ch === ')' || ch === ']' || ch === '}' || ch === '|') break;
      if (ch === '/' && context === 'group') break;
      elements++;
      const node = this.element(context);
      if (node) nodes.push(node);
    }
    return { nodes, elements };
  }

  /** One element; null for a word of punctuation only (requests lose punctuation too). */
  private element(context: Context): PatternNode | null {
    const start = this.i;
    const ch = this.src[start] as string;
    switch (ch) {
      case '(':
      case '[': {
        const close = ch === '(' ? ')' : ']';
        this.enter(start);
        this.i++;
        const options = this.alternatives(start, close);
        this.depth--;
        const node = alternativesOf(options);
        return ch === '(' ? node : optionalOf(node);
      }
      case '{': {
        this.enter(start);
        this.i++;
        const { nodes, elements } = this.sequence('anyOrder');
        this.expectClose(start, '{', '}');
        this.depth--;
        if (nodes.length === 0) {
          this.fail(this.i - 1, elements === 0 ? 'empty "{ }": expected a pattern element' : '"{ }" has no words');
        }
        if (nodes.length > PATTERN_LIMITS.maxAnyOrderItems) {
          this.fail(start, `"{ }" has more than ${PATTERN_LIMITS.maxAnyOrderItems} elements`);
        }
        return nodes.length === 1 ? (nodes[0] as PatternNode) : { kind: 'anyOrder', items: nodes };
      }
      case '*': {
        this.i++;
        if (!this.atWordChar(context)) return { kind: 'any' };
        const wordStart = this.i;
        const text = this.readWord(context);
        if (DIGITS.test(text)) this.fail(start, `"*${text}": counted wildcards are not supported, use "*" (any number of words)`);
        const anyAfter = this.src[this.i] === '*';
        if (anyAfter) this.i++;
        return this.wordPart(wordStart, text, true, anyAfter);
      }
      case '~': {
        this.i++;
        if (!this.atWordChar(context)) this.fail(this.i, 'expected a word after "~"');
        const wordStart = this.i;
        const forms = tokenize(normalizeText(this.readWord(context)));
        if (forms.length === 0) this.fail(wordStart, 'expected a word after "~"');
        if (this.src[this.i] === '*') this.fail(this.i, '"~word" cannot be combined with "*"');
        return sequenceOf(forms.map((form) => ({ kind: 'lemma', form })));
      }
      case '@': {
        this.i++;
        ENTITY_NAME.lastIndex = this.i;
        const m = ENTITY_NAME.exec(this.src);
        if (!m) this.fail(this.i, 'expected an entity name after "@"');
        this.i += m[0].length;
        if (this.atWordChar(context)) {
          this.fail(this.i, `unexpected "${this.src[this.i]}" after the entity name "@${m[0]}"`);
        }
        return { kind: 'entity', name: m[0] };
      }
      case '$':
        return this.dollar(start);
      default: {
        const text = this.readWord(context);
        const anyAfter = this.src[this.i] === '*';
        if (anyAfter) {
          this.i++;
          return this.wordPart(start, text, false, true);
        }
        const forms = tokenize(normalizeText(text));
        return forms.length === 0 ? null : sequenceOf(forms.map((form) => ({ kind: 'word', form })));
      }
    }
  }

  /** Options separated by `|` (or `/`) up to `close`; the opening bracket is already read. */
  private alternatives(openAt: number, close: ')' | ']'): PatternNode[] {
    const open = this.src[openAt] as string;
    const options: PatternNode[] = [];
    for (;;) {
      const { nodes, elements } = this.sequence('group');
      const at = this.i;
      if (nodes.length === 0) {
        if (at >= this.src.length && elements === 0) this.expectClose(openAt, open, close);
        this.fail(at, elements === 0 ? 'empty alternative: expected a pattern element' : 'the alternative has no words');
      }
      options.push(sequenceOf(nodes));
      const ch = this.src[at];
      if (ch === '|' || ch === '/') {
        this.i++;
        continue;
      }
      this.expectClose(openAt, open, close);
      return options;
    }
  }

  private expectClose(openAt: number, open: string, close: string): void {
    const ch = this.src[this.i];
    if (ch === close) {
      this.i++;
      return;
    }
    const opened = `to close "${open}" at column ${this.column(openAt)}`;
    if (ch === undefined) this.fail(this.i, `expected "${close}" ${opened}`);
    this.fail(this.i, `expected "${close}" ${opened}, found "${ch}"`);
  }

  /** `$regex<…>`; other `$` elements of JAICP (named patterns, $morph, $weight…) are not supported. */
  private dollar(start: number): PatternNode {
    this.i++;
    DOLLAR_NAME.lastIndex = this.i;
    const name = DOLLAR_NAME.exec(this.src)?.[0];
    if (!name) this.fail(this.i, 'expected "regex<" after "$"');
    this.i += name.length;
    if (name !== 'regex') {
      this.fail(start, `unsupported element "$${name}": the only "$" element supported is $regex<…>`);
    }
    if (this.src[this.i] !== '<') this.fail(this.i, 'expected "<" after "$regex"');
    const open = this.i;
    const bodyStart = ++this.i;
    const bodyEnd = this.regexEnd(bodyStart);
    if (bodyEnd < 0) this.fail(this.src.length, `expected ">" to close "$regex<" at column ${this.column(open)}`);
    const body = this.src.slice(bodyStart, bodyEnd);
    this.i = bodyEnd + 1;
    if (body === '') this.fail(bodyStart, 'empty regex: expected a regular expression between "<" and ">"');
    if (body.length > PATTERN_LIMITS.maxRegexLength) {
      this.fail(bodyStart, `the regex is longer than ${PATTERN_LIMITS.maxRegexLength} characters`);
    }
    try {
      compileRegex(body);
    } catch (e) {
      this.fail(bodyStart, `invalid regex: ${e instanceof Error ? e.message : String(e)}`);
    }
    return { kind: 'regex', source: body };
  }

  /**
   * Where a regex body ends: the `>` that balances the opening `<`. A `\` escapes the next
   * character, `<…>` pairs nest (`(?P<name>…)`), and `<`, `>` inside a character class count
   * for nothing (`[^>]`). -1 if the body is not closed.
   */
  private regexEnd(from: number): number {
    let depth = 1;
    let inClass = false;
    for (let j = from; j < this.src.length; j++) {
      const ch = this.src[j];
      if (ch === '\\') {
        j++;
      } else if (inClass) {
        if (ch === ']') inClass = false;
      } else if (ch === '[') {
        inClass = true;
        if (this.src[j + 1] === '^') j++;
        if (this.src[j + 1] === ']') j++; // a "]" first in a class is a literal
      } else if (ch === '<') {
        depth++;
      } else if (ch === '>' && --depth === 0) {
        return j;
      }
    }
    return -1;
  }

  private wordPart(at: number, text: string, anyBefore: boolean, anyAfter: boolean): PatternNode {
    const forms = tokenize(normalizeText(text));
    if (forms.length === 0) this.fail(at, 'expected letters or digits next to "*"');
    const last = forms.length - 1;
    return sequenceOf(
      forms.map((form, k): PatternNode => {
        const before = anyBefore && k === 0;
        const after = anyAfter && k === last;
        return before || after ? { kind: 'wordPart', text: form, anyBefore: before, anyAfter: after } : { kind: 'word', form };
      }),
    );
  }

  private readWord(context: Context): string {
    const start = this.i;
    while (this.atWordChar(context)) this.i++;
    return this.src.slice(start, this.i);
  }

  private atWordChar(context: Context): boolean {
    const ch = this.src[this.i];
    if (ch === undefined || SPECIAL.has(ch) || WHITESPACE.test(ch)) return false;
    return !(ch === '/' && context === 'group');
  }

  private skipSpace(): void {
    while (this.i < this.src.length && WHITESPACE.test(this.src[this.i] as string)) this.i++;
  }

  private enter(at: number): void {
    if (++this.depth > PATTERN_LIMITS.maxDepth) this.fail(at, `nested deeper than ${PATTERN_LIMITS.maxDepth} levels`);
  }

  /** 1-based column in characters (code points), so non-BMP characters count once. */
  private column(index: number): number {
    return [...this.src.slice(0, index)].length + 1;
  }

  private fail(index: number, problem: string): never {
    const shown = this.src.length > 200 ? `${this.src.slice(0, 200)}…` : this.src;
    const message = `pattern "${shown}": column ${this.column(index)}: ${problem}`;
    throw new StsError('invalid_source', message, [{ message }]);
  }
}

const OPENERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

// A `$regex<…>` body compiles as an entity regex does (case-insensitive, size-bounded, linear-time).
export { compileRegex };

/**
 * The most elements one match passes through in a row: items of sequences and { } add up,
 * alternatives count their longest option, each group counts itself too.
 */
export function matchChain(node: PatternNode): number {
  switch (node.kind) {
    case 'sequence':
    case 'anyOrder':
      return 1 + node.items.reduce((sum, item) => sum + matchChain(item), 0);
    case 'alternatives':
      return 1 + Math.max(...node.options.map(matchChain));
    case 'optional':
      return 1 + matchChain(node.item);
    default:
      return 1;
  }
}

function sequenceOf(nodes: PatternNode[]): PatternNode {
  const items = nodes.flatMap((n) => (n.kind === 'sequence' ? n.items : [n]));
  return items.length === 1 ? (items[0] as PatternNode) : { kind: 'sequence', items };
}

function alternativesOf(options: PatternNode[]): PatternNode {
  const flat = options.flatMap((n) => (n.kind === 'alternatives' ? n.options : [n]));
  return flat.length === 1 ? (flat[0] as PatternNode) : { kind: 'alternatives', options: flat };
}

function optionalOf(node: PatternNode): PatternNode {
  return node.kind === 'optional' ? node : { kind: 'optional', item: node };
}

/**
 * Canonical text of a pattern: single spaces, `|` between alternatives, normalized word
 * forms. `parsePattern(formatPattern(node))` gives back an equal tree.
 */
export function formatPattern(node: PatternNode): string {
  switch (node.kind) {
    case 'word':
      return node.form;
    case 'lemma':
      return `~${node.form}`;
    case 'wordPart':
      return `${node.anyBefore ? '*' : ''}${node.text}${node.anyAfter ? '*' : ''}`;
    case 'any':
      return '*';
    case 'entity':
      return `@${node.name}`;
    case 'regex':
      return `$regex<${node.source}>`;
    case 'sequence':
      return node.items.map(formatPattern).join(' ');
    case 'alternatives':
      return `(${node.options.map(formatPattern).join('|')})`;
    case 'optional': {
      const inner = node.item.kind === 'alternatives' ? node.item.options.map(formatPattern).join('|') : formatPattern(node.item);
      return `[${inner}]`;
    }
    case 'anyOrder':
      return `{${node.items.map((n) => (n.kind === 'sequence' ? `(${formatPattern(n)})` : formatPattern(n))).join(' ')}}`;
  }
}
