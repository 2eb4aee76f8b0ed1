import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClassifier as createEngineClassifier, type Classifier, type ClassifierOptions } from './engine/classifier.js';
import { StsError } from './errors.js';
import { compileIntentSet as compileCore, type CompileDeps, type CompileResult } from './model/compile.js';
import type { Model } from './model/model-schema.js';
import type { IntentSet } from './model/source-schema.js';
import { parseVectorTable, type VectorTable } from './text/vectors.js';
import { parseSynonymTable, type SynonymTable } from './text/thesaurus.js';

/**
 * The word lists the package ships in lexicons/ (built by scripts/, with their licences there):
 * read from disk once, when a model first needs them, and the two entry points that hand them to
 * the pure core: compileIntentSet() and createClassifier() as the library, the CLI and the
 * server use them.
 */
const LEXICONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'lexicons');

let english: VectorTable | undefined;
let russian: SynonymTable | undefined;

/** The English word vectors (lexicons/en-vectors.bin), read on first use. */
export function englishVectors(): VectorTable {
  if (english) return english;
  const file = path.join(LEXICONS, 'en-vectors.bin');
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new StsError('not_found', `the English word vectors are missing: ${file} (${(e as Error).message})`);
  }
  try {
    english = parseVectorTable(bytes);
  } catch (e) {
    throw new StsError('invalid_model', `the English word vectors are damaged: ${file}: ${(e as Error).message}`);
  }
  return english;
}

/** The Russian thesaurus (lexicons/ru-thesaurus.tsv, LGPL-2.1: lexicons/LICENSE-ru-thesaurus), read on first use. */
export function russianThesaurus(): SynonymTable {
  if (russian) return russian;
  const file = path.join(LEXICONS, 'ru-thesaurus.tsv');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new StsError('not_found', `the Russian thesaurus is missing: ${file} (${(e as Error).message})`);
  }
  try {
    russian = parseSynonymTable(text, file);
  } catch (e) {
    throw new StsError('invalid_model', `the Russian thesaurus is damaged: ${(e as Error).message}`);
  }
  return russian;
}

/** compileIntentSet (model/compile.ts) with the shipped word vectors and thesaurus, each loaded only for a model that reads it. */
export function compileIntentSet(set: IntentSet, deps: CompileDeps = {}): CompileResult {
  return compileCore(set, { vectors: englishVectors, thesaurus: russianThesaurus, ...deps });
}

/** createClassifier (engine/classifier.ts) with the shipped word vectors, for a model compiled with them. */
export function createClassifier(model: Model, options: ClassifierOptions = {}): Classifier {
  if (model.vectors === undefined || options.vectors !== undefined) return createEngineClassifier(model, options);
  return createEngineClassifier(model, { ...options, vectors: englishVectors() });
}
