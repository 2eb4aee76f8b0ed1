import type { z } from 'zod';
import { EntityName } from '../../entities/index.js';
import { StsError } from '../../errors.js';
import type { IntentsFileInput } from '../source-schema.js';

/** What every importer returns: an intents source to validate and compile, and what it dropped. */
export interface Imported {
  source: IntentsFileInput;
  warnings: string[];
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** Paths as the importers' error details write them: "nlu.3.examples", "(root)". */
export const joinPath = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(root)';

/**
 * Validates a value with a schema; a mismatch is `invalid_source` naming the JSON path of the first
 * problem ("invalid Rasa NLU data at nlu.2.intent: …"), all problems in the details. `prefix` is
 * where the value sits in the file, for items validated one by one.
 */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string, prefix: readonly (string | number)[] = []): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => {
    const at = i.code === 'unrecognized_keys' ? [...i.path, i.keys[0]!] : i.path;
    return { path: joinPath([...prefix, ...at]), message: i.message };
  });
  throw invalid(what, details);
}

export function invalid(what: string, details: { path: string; message: string }[]): StsError {
  const first = details[0] ?? { path: '(root)', message: 'invalid' };
  const more = details.length > 1 ? ` (and ${details.length - 1} more problems)` : '';
  return new StsError('invalid_source', `invalid ${what} at ${first.path}: ${first.message}${more}`, details);
}

export { labelPath, LABEL_MESSAGE } from '../parse-training-list.js';

/** Distinct values in order of first appearance. */
export const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];

/** A name another tool gives an entity that can be a custom entity of ours: what our entities' schema accepts. */
export const usableEntityName = (name: string) => EntityName.safeParse(name).success;
