import { Budget, runToEnd, type Steps } from '../budget.js';
import { StsError } from '../errors.js';
import type { Word } from '../text/analyze.js';
import type { CompiledEntities, SynonymPhrase } from './compiled-schema.js';
import { MAX_ENTITY_MATCHES, MAX_MATCHES_PER_PATTERN } from './limits.js';
import { findNumbers } from './number.js';
import { resolveOverlaps, type Candidate } from './overlaps.js';
import { compileSafeRegex } from './regex.js';
import { createPatternSet, type PatternSet } from './regex-set.js';
import { RegexScanner } from './regex-scan.js';
import { resolveBuiltinEntity } from './system.js';
import { wordSpan } from './word-span.js';

/** An entity found in a request. */
export interface EntityMatch {
  /** The entity's name: a custom entity's, or a built-in's own name ("number", never an alias). */
  entity: string;
  /** A synonyms record's value; a pattern record's value or else the matched text; a number's value. */
  value: string | number;
  /** The matched substring of the original text. */
  text: string;
  /** UTF-16 offsets into the original text, end exclusive. */
  start: number;
  end: number;
  /** Indices into the analyzer's words, end exclusive; equal when the match covers no word. */
  wordStart: number;
  wordEnd: number;
}

export { MAX_ENTITY_MATCHES, MAX_MATCHES_PER_PATTERN };

export interface FindEntitiesOptions {
  /** At most this many matches (default MAX_ENTITY_MATCHES). */
  maxMatches?: number;
  /**
   * Look only for these entities (names or aliases, e.g. the ones a model's phrases refer
   * to); unknown names are ignored. Default: all of them. Leaving an entity out can change
   * the result elsewhere: it no longer competes for overlapping text.
   */
  entities?: Iterable<string>;
}

/** What find needs from compiled entities, prepared once per compiled object. */
interface Runtime {
  byFirst: Map<string, SynonymPhrase[]>;
  patterns: { entity: number; record: number; source: string; scanner: RegexScanner }[];
  /** Which patterns match somewhere in a text (see createPatternSet); undefined: run them all. */
  prefilter: PatternSet | undefined;
}

/** Built on first use and kept per compiled object, which is therefore treated as immutable from then on. */
const runtimes = new WeakMap<CompiledEntities, Runtime>();

/**
 * Compiles the patterns and builds the lookup maps now rather than on the first request
 * (call it when a model is loaded): the first request pays nothing more than the next. Throws
 * StsError('invalid_model') for a pattern record that does not compile, which
 * validateCompiledEntities would have reported already.
 */
export function prepareEntities(compiled: CompiledEntities): void {
  runtimeOf(compiled);
}

function runtimeOf(compiled: CompiledEntities): Runtime {
  let rt = runtimes.get(compiled);
  if (!rt) {
    const patterns = compiled.patterns.map(({ entity, record }) => {
      const r = compiled.entities[entity]?.records[record];
      const c = r?.type === 'pattern' ? compileSafeRegex(r.pattern) : undefined;
      // validateCompiledEntities rejects these; a structure built by hand may still have them.
      if (!c?.ok) throw new StsError('invalid_model', `damaged entities: entities.${entity}.records.${record} is not a valid pattern record`);
      return { entity, record, source: c.re.pattern(), scanner: new RegexScanner(c.re) };
    });
    rt = {
      byFirst: new Map(compiled.synonyms.map((g) => [g.first, g.phrases])),
      patterns,
      prefilter: createPatternSet(patterns.map((p) => ({ source: p.source, size: p.scanner.re.programSize() }))),
    };
    runtimes.set(compiled, rt);
  }
  return rt;
}

interface Found extends Candidate {
  entity: string;
  value: string | number;
  wordStart: number;
  wordEnd: number;
}

/**
 * The entities in a request: `text` is the original request and `words` the classifier's
 * analyzer words of that same text (their offsets point into it). Synonyms match stem
 * sequences of consecutive words; patterns run on the original text; the built-in number
 * reads the text itself. Overlaps are settled as overlaps.ts says; the result has no
 * overlapping matches and is sorted by start. Without a deadline (compiling a model, tests):
 * a request's search is scanEntities.
 */
export function findEntities(compiled: CompiledEntities, text: string, words: readonly Word[], options: FindEntitiesOptions = {}): EntityMatch[] {
  return runToEnd(scanEntities(compiled, text, words, Budget.unlimited(), options));
}

/** findEntities within a budget: it pauses between regex runs and stops when the budget runs out (OutOfBudget). */
export function* scanEntities(
  compiled: CompiledEntities,
  text: string,
  words: readonly Word[],
  budget: Budget,
  options: FindEntitiesOptions = {},
): Steps<EntityMatch[]> {
  const rt = runtimeOf(compiled);
  const limit = options.maxMatches ?? MAX_ENTITY_MATCHES;
  const only = options.entities ? new Set([...options.entities].map((n) => resolveBuiltinEntity(n) ?? n)) : undefined;
  const wanted = (name: string) => only === undefined || only.has(name);
  const found: Found[] = [];

  // Synonyms: at each word, the phrases starting with its stem.
  for (let i = 0; i < words.length; i++) {
    if (budget.pause()) yield;
    for (const phrase of rt.byFirst.get((words[i] as Word).stem) ?? []) {
      const n = phrase.stems.length;
      if (i + n > words.length || !phrase.stems.every((s, k) => (words[i + k] as Word).stem === s)) continue;
      const entity = compiled.entities[phrase.entity]!;
      if (!wanted(entity.name)) continue;
      const record = entity.records[phrase.record]!;
      const start = (words[i] as Word).start;
      const end = (words[i + n - 1] as Word).end;
      found.push({
        entity: entity.name,
        value: record.type === 'synonyms' ? record.value : '',
        start,
        end,
        wordStart: i,
        wordEnd: i + n,
        entityOrder: phrase.entity,
        recordOrder: phrase.record,
      });
    }
  }

  // Patterns, on the original text; only those the prefilter saw matching somewhere.
  const hits = rt.prefilter?.match(text, budget);
  for (const [k, p] of rt.patterns.entries()) {
    if (hits && !hits.has(k)) continue;
    const entity = compiled.entities[p.entity]!;
    if (!wanted(entity.name)) continue;
    const record = entity.records[p.record]!;
    for (const m of yield* p.scanner.scan(text, MAX_MATCHES_PER_PATTERN, budget)) {
      const value = record.type === 'pattern' && record.value !== undefined ? record.value : text.slice(m.start, m.end);
      found.push({ entity: entity.name, value, ...m, ...wordSpan(words, m.start, m.end), entityOrder: p.entity, recordOrder: p.record });
    }
  }

  // Built-ins, declared after the custom entities.
  for (const [b, name] of compiled.builtins.entries()) {
    if (!wanted(name)) continue;
    const entityOrder = compiled.entities.length + b;
    if (name === 'number') {
      budget.check();
      for (const m of findNumbers(text, { language: compiled.language })) {
        found.push({ entity: name, value: m.value, start: m.start, end: m.end, ...wordSpan(words, m.start, m.end), entityOrder, recordOrder: 0 });
      }
    }
  }

  return resolveOverlaps(found, text.length, limit).map((f) => ({
    entity: f.entity,
    value: f.value,
    text: text.slice(f.start, f.end),
    start: f.start,
    end: f.end,
    wordStart: f.wordStart,
    wordEnd: f.wordEnd,
  }));
}
