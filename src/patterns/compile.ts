import type { RE2JS } from 're2js';
import { normalizeText, tokenize } from '../text/normalize.js';
import { createStemmer } from '../text/stem.js';
import { compileRegex, type PatternNode } from './parse.js';

/** The parts of a request word a pattern looks at (an analyzer `Word` fits). */
export interface PatternWord {
  /** Normalized form (lower case, ё → е, no apostrophes). */
  form: string;
  /** Stem, by the same stemmer as `compilePattern`'s language. */
  stem: string;
}

export interface CompilePatternOptions {
  /** The model's language: `~word` elements compare stems made by `createStemmer(language)`. */
  language: string;
  /**
   * The model's stop words, when the request words given to the matcher come from an analyzer
   * that drops them: plain and `~` words of the pattern that are stop words then match nothing
   * (they are left out), as they are left out of requests.
   */
  stopWords?: Iterable<string>;
}

/** A node ready for matching; `id` is its index in `CompiledPattern.nodes`. */
export type CompiledNode =
  | { id: number; kind: 'word'; test: (w: PatternWord) => boolean }
  | { id: number; kind: 'empty' }
  | { id: number; kind: 'any' }
  | { id: number; kind: 'entity'; name: string }
  | { id: number; kind: 'sequence'; items: CompiledNode[] }
  | { id: number; kind: 'alternatives'; options: CompiledNode[] }
  | { id: number; kind: 'optional'; item: CompiledNode }
  | { id: number; kind: 'anyOrder'; items: CompiledNode[]; full: number };

/** A pattern prepared for one language: stems and regexes computed once, matching compares strings. */
export interface CompiledPattern {
  readonly pattern: PatternNode;
  readonly root: CompiledNode;
  /** Every node, by id. */
  readonly nodes: readonly CompiledNode[];
}

type Draft =
  | { kind: 'word'; test: (w: PatternWord) => boolean }
  | { kind: 'empty' }
  | { kind: 'any' }
  | { kind: 'entity'; name: string }
  | { kind: 'sequence'; items: Draft[] }
  | { kind: 'alternatives'; options: Draft[] }
  | { kind: 'optional'; item: Draft }
  | { kind: 'anyOrder'; items: Draft[] };

/**
 * Prepares a parsed pattern for matching requests of a language. Simplifies without changing
 * what matches: runs of `*` become one `*` and stop words (if given) are left out.
 */
export function compilePattern(pattern: PatternNode, options: CompilePatternOptions): CompiledPattern {
  const stem = createStemmer(options.language);
  const stop = new Set([...(options.stopWords ?? [])].flatMap((w) => tokenize(normalizeText(w))));
  const regexes = new Map<string, RE2JS>();

  const draft = (node: PatternNode): Draft => {
    switch (node.kind) {
      case 'word': {
        if (stop.has(node.form)) return { kind: 'empty' };
        const form = node.form;
        return { kind: 'word', test: (w) => w.form === form };
      }
      case 'lemma': {
        if (stop.has(node.form)) return { kind: 'empty' };
        const form = node.form;
        const s = stem(form) || form;
        return { kind: 'word', test: (w) => w.stem === s || w.form === form };
      }
      case 'wordPart': {
        const { text, anyBefore, anyAfter } = node;
        const test: (w: PatternWord) => boolean =
          anyBefore && anyAfter
            ? (w) => w.form.includes(text)
            : anyBefore
              ? (w) => w.form.endsWith(text)
              : (w) => w.form.startsWith(text);
        return { kind: 'word', test };
      }
      case 'regex': {
        let re = regexes.get(node.source);
        if (!re) regexes.set(node.source, (re = compileRegex(node.source)));
        const compiled = re;
        // The matcher may test one word many times (once per way of reaching it): each word once.
        const seen = new WeakMap<PatternWord, boolean>();
        return {
          kind: 'word',
          test: (w) => {
            let hit = seen.get(w);
            // Through a matcher, not RE2JS#matches: that one runs re2js's lazy DFA, which builds
            // states for each new word, at a cost the compile-time count (regex-cost.ts) does not bound.
            if (hit === undefined) seen.set(w, (hit = compiled.matcher(w.form).matches()));
            return hit;
          },
        };
      }
      case 'any':
        return { kind: 'any' };
      case 'entity':
        return { kind: 'entity', name: node.name };
      case 'sequence': {
        const items: Draft[] = [];
        for (const item of node.items.map(draft)) {
          if (item.kind === 'empty') continue;
          if (item.kind === 'any' && items[items.length - 1]?.kind === 'any') continue; // "* *" = "*"
          if (item.kind === 'sequence') items.push(...item.items);
          else items.push(item);
        }
        if (items.length === 0) return { kind: 'empty' };
        return items.length === 1 ? (items[0] as Draft) : { kind: 'sequence', items };
      }
      case 'alternatives':
        return { kind: 'alternatives', options: node.options.map(draft) };
      case 'optional': {
        const item = draft(node.item);
        return item.kind === 'empty' || item.kind === 'any' ? item : { kind: 'optional', item };
      }
      case 'anyOrder': {
        const items = node.items.map(draft).filter((d) => d.kind !== 'empty');
        if (items.length === 0) return { kind: 'empty' };
        return items.length === 1 ? (items[0] as Draft) : { kind: 'anyOrder', items };
      }
    }
  };

  const nodes: CompiledNode[] = [];
  const add = (node: CompiledNode): CompiledNode => (nodes.push(node), node);
  /** Children first, so ids follow the order nodes are finished in. */
  const number = (d: Draft): CompiledNode => {
    switch (d.kind) {
      case 'sequence': {
        const items = d.items.map(number);
        return add({ id: nodes.length, kind: 'sequence', items });
      }
      case 'alternatives': {
        const options = d.options.map(number);
        return add({ id: nodes.length, kind: 'alternatives', options });
      }
      case 'optional': {
        const item = number(d.item);
        return add({ id: nodes.length, kind: 'optional', item });
      }
      case 'anyOrder': {
        const items = d.items.map(number);
        return add({ id: nodes.length, kind: 'anyOrder', items, full: 2 ** items.length - 1 });
      }
      default:
        return add({ id: nodes.length, ...d });
    }
  };
  const root = number(draft(pattern));
  return { pattern, root, nodes };
}

