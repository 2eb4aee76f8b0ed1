import { StsError } from '../errors.js';
import { compileIntentSet, type CompileDeps, type CompileResult } from './compile.js';
import { mergeSources } from './merge-sources.js';
import { IntentsFile, type IntentsFileInput } from './source-schema.js';
import { loadWordNet } from './wordnet.js';

/**
 * Compiles an intents source given as an object (the JSON form of the intents file), for
 * library users who build intents in code. Validates it first; loads WordNet when it asks for it.
 */
export function compile(source: IntentsFileInput, deps: CompileDeps = {}): CompileResult {
  const parsed = IntentsFile.safeParse(source);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
    throw new StsError('invalid_source', `invalid intents source: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
  }
  const set = mergeSources([{ file: '(source)', kind: 'intents', data: parsed.data }]);
  const wordNet = set.wordNet ? (deps.wordNet ?? loadWordNet()) : undefined;
  return compileIntentSet(set, wordNet ? { wordNet } : {});
}
