import { z } from 'zod';
import { CailaIntent, cailaIntentsToDefs } from '../caila-project.js';
import { isRecord, parseWith, type Imported } from './common.js';

/*
 * JAICP's intents export (NLU → Intents → Export): a JSON list of
 * {id, path, description, answer, enabled, phrases: [{text}], patterns, slots}, the same intents
 * a Caila project export holds, without the project and its settings.
 */
export const JaicpIntentsExport = z.array(CailaIntent);

/** A list of objects of which some has a path (an empty list is an empty export). */
export function isJaicpIntentsExport(value: unknown): boolean {
  return Array.isArray(value) && value.every(isRecord) && (value.length === 0 || value.some((i) => 'path' in i));
}

/** Enabled intents with their phrases, patterns, slots, answers and descriptions; what cannot be used is a warning. */
export function jaicpIntentsToSource(value: unknown): Imported {
  const intents = parseWith(JaicpIntentsExport, value, 'JAICP intents export');
  const warnings: string[] = [];
  return { source: { intents: cailaIntentsToDefs(intents, 'the JAICP export', warnings) }, warnings };
}
