import { fromZodError } from '../errors.js';
import type { CompileDeps, CompileResult } from './compile.js';
import { compileIntentSet } from '../lexicons.js';
import { mergeSources } from './merge-sources.js';
import { IntentsFile, type IntentsFileInput } from './source-schema.js';
import { loadWordNet } from './wordnet.js';

/**
 * Compiles an intents source given as an object (the JSON form of the intents file), for
 * library users who build intents in code. Validates it first; loads WordNet when it asks for it.
 * The deps given replace the shipped ones (vectors, thesaurus); those not given keep them.
 */
export function compile(source: IntentsFileInput, deps: CompileDeps = {}): CompileResult {
  const parsed = IntentsFile.safeParse(source);
  if (!parsed.success) {
    throw fromZodError('invalid_source', 'invalid intents source', parsed.error);
  }
  const set = mergeSources([{ file: '(source)', kind: 'intents', data: parsed.data }]);
  const wordNet = set.wordNet ? (deps.wordNet ?? loadWordNet()) : undefined;
  const given = Object.fromEntries(Object.entries(deps).filter(([, v]) => v !== undefined)) as CompileDeps;
  return compileIntentSet(set, { ...given, ...(wordNet && { wordNet }) });
}
