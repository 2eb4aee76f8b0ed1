import { z } from 'zod';
import { StsError, fromZodError, type ErrorLocation } from '../errors.js';
import { ENTITY_NAME } from './names.js';
import { compileSafeRegex } from './regex.js';
import { BUILTIN_ENTITIES } from './system.js';

/**
 * Compiled entities: plain JSON, stored in the model file, so requests never re-analyze
 * entity words. Entities and records keep their source text (values, words as written,
 * patterns), so an export writes them back unchanged; `synonyms` and `patterns` are the
 * lookup tables that find.ts reads, pointing into `entities` by index.
 */
export const COMPILED_ENTITIES_VERSION = 1;

const Id = z.number().int().min(0);

export const CompiledSynonymsRecord = z.strictObject({
  type: z.literal('synonyms'),
  value: z.string(),
  words: z.array(z.string()).min(1),
});

export const CompiledPatternRecord = z.strictObject({
  type: z.literal('pattern'),
  pattern: z.string().min(1),
  value: z.string().optional(),
});

export const CompiledEntity = z.strictObject({
  name: z.string().regex(ENTITY_NAME),
  records: z.array(z.discriminatedUnion('type', [CompiledSynonymsRecord, CompiledPatternRecord])).min(1),
});

/** A synonym word or phrase as a stem sequence, and the record it belongs to. */
export const SynonymPhrase = z.strictObject({
  entity: Id,
  record: Id,
  stems: z.array(z.string()).min(1),
});

/**
 * Phrases grouped by their first stem, so a request word looks up only the phrases that can
 * start at it. Sorted by stem; inside a group longest phrase first, then declaration order.
 * An array rather than an object keyed by stem: a stem is user text ("__proto__").
 */
export const SynonymGroup = z.strictObject({
  first: z.string(),
  phrases: z.array(SynonymPhrase).min(1),
});

export const PatternRef = z.strictObject({ entity: Id, record: Id });

export const CompiledEntities = z.strictObject({
  version: z.literal(COMPILED_ENTITIES_VERSION),
  /** The language the words were stemmed for; also decides how `1,000` reads (number.ts). */
  language: z.string(),
  entities: z.array(CompiledEntity),
  synonyms: z.array(SynonymGroup),
  /** Pattern records in declaration order. */
  patterns: z.array(PatternRef),
  /** Built-in entities this model finds, in tie-break order after the custom ones. */
  builtins: z.array(z.enum(BUILTIN_ENTITIES)),
});
export type CompiledEntities = z.output<typeof CompiledEntities>;
export type CompiledEntity = z.output<typeof CompiledEntity>;
export type SynonymGroup = z.output<typeof SynonymGroup>;
export type SynonymPhrase = z.output<typeof SynonymPhrase>;

/**
 * Checks a loaded value (the `entities` part of a model file) and returns it typed, or throws
 * StsError('invalid_model') with the JSON path of the first problems: shape, indices that
 * point outside `entities`, records of the wrong type, and patterns that do not compile.
 * `path` prefixes the reported paths (e.g. "entities" when nested in a model).
 */
export function validateCompiledEntities(value: unknown, options: { file?: string; path?: string } = {}): CompiledEntities {
  const at = (message: string, path: string): ErrorLocation => ({
    file: options.file,
    path: [options.path, path].filter(Boolean).join('.') || '(root)',
    message,
  });
  const parsed = CompiledEntities.safeParse(value);
  if (!parsed.success) {
    throw fromZodError('invalid_model', 'damaged entities', parsed.error, { file: options.file, prefix: options.path });
  }
  const problem = checkReferences(parsed.data);
  if (problem) {
    const d = at(problem.message, problem.path);
    throw new StsError('invalid_model', `damaged entities: ${d.path}: ${d.message}`, [d]);
  }
  return parsed.data;
}

function checkReferences(c: CompiledEntities): { path: string; message: string } | undefined {
  const names = new Set<string>();
  for (const [e, entity] of c.entities.entries()) {
    if (names.has(entity.name)) return { path: `entities.${e}.name`, message: `duplicate entity "${entity.name}"` };
    names.add(entity.name);
  }
  const record = (entity: number, rec: number) => c.entities[entity]?.records[rec];
  let previous: string | undefined;
  for (const [g, group] of c.synonyms.entries()) {
    if (previous !== undefined && group.first <= previous) return { path: `synonyms.${g}.first`, message: 'groups are not sorted by stem or repeat one' };
    previous = group.first;
    for (const [k, phrase] of group.phrases.entries()) {
      const where = `synonyms.${g}.phrases.${k}`;
      if (record(phrase.entity, phrase.record)?.type !== 'synonyms') return { path: where, message: 'does not point at a synonyms record' };
      if (phrase.stems[0] !== group.first) return { path: `${where}.stems`, message: `does not start with the group's stem "${group.first}"` };
    }
  }
  for (const [k, ref] of c.patterns.entries()) {
    const r = record(ref.entity, ref.record);
    if (r?.type !== 'pattern') return { path: `patterns.${k}`, message: 'does not point at a pattern record' };
    const compiled = compileSafeRegex(r.pattern);
    if (!compiled.ok) return { path: `entities.${ref.entity}.records.${ref.record}.pattern`, message: compiled.problem };
  }
  if (new Set(c.builtins).size !== c.builtins.length) return { path: 'builtins', message: 'repeats a built-in entity' };
  return undefined;
}
