import { IntentsFile } from '../source-schema.js';
import path from 'node:path';
import { StsError } from '../../errors.js';
import { looksLikeCailaProject } from '../caila-project.js';
import { isRecord } from './common.js';
import { parseStructured } from './document.js';
import { isJaicpIntentsExport } from './jaicp-intents.js';
import { isNlpjsCorpus } from './nlpjs.js';
import { isRasaNlu } from './rasa.js';

/** Every source format `sts train` reads; `--format` names one, or `auto` to detect it. */
export const IMPORT_FORMATS = ['intents', 'jsonl', 'csv', 'caila', 'jaicp', 'rasa', 'nlpjs'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
/** Formats read from JSON or YAML, told apart by their shape. */
export type StructuredFormat = Exclude<ImportFormat, 'jsonl' | 'csv'>;

const STRUCTURED_EXTENSIONS = ['.json', '.yaml', '.yml'];
/** Top-level keys of our intents file, from its schema. */
const INTENTS_KEYS = Object.keys(IntentsFile.shape);

const EXPECTED =
  'expected our intents file (intents, settings, synonyms, ...), a Caila project export ({project, settings, intents}), ' +
  'a JAICP intents export (a list of {path, phrases}), an NLP.js corpus ({locale, data: [{intent, utterances}]}) ' +
  'or Rasa NLU YAML (nlu: [{intent, examples}]); or name the format (sts train --format)';

/**
 * What a file's extension says: a list (JSONL, CSV), or JSON/YAML whose shape tells the rest.
 * Any other extension is `unsupported_format` (`--format` reads it anyway).
 */
export function formatByExtension(file: string): 'jsonl' | 'csv' | 'structured' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv') return 'csv';
  if (STRUCTURED_EXTENSIONS.includes(ext)) return 'structured';
  throw new StsError(
    'unsupported_format',
    `${file}: unknown source format "${ext}" (expected .yaml, .yml, .json, .jsonl or .csv, or name the format with --format)`,
    [{ file, message: 'unknown extension' }],
  );
}

/**
 * Tells the format of a parsed JSON/YAML value by its shape, most specific first. An object of
 * none of the known shapes is `unsupported_format` naming what was expected, unless it has a key
 * of our intents file (then our schema names the misspelt key and its line).
 */
export function formatOfValue(value: unknown, file: string): StructuredFormat {
  const unknown = (what: string) =>
    new StsError('unsupported_format', `${file}: cannot tell the source format: ${what}; ${EXPECTED}`, [{ file, message: what }]);
  if (Array.isArray(value)) {
    if (isJaicpIntentsExport(value)) return 'jaicp';
    throw unknown('a list, but not of intents with a path');
  }
  if (!isRecord(value)) throw unknown(value == null ? 'the file is empty' : `the file holds a single ${typeof value}`);
  if (looksLikeCailaProject(value)) return 'caila';
  if (isRasaNlu(value)) return 'rasa';
  if (isNlpjsCorpus(value)) return 'nlpjs';
  if ('rasa_nlu_data' in value) {
    throw new StsError(
      'unsupported_format',
      `${file}: Rasa's legacy JSON training data is not supported; convert it to YAML with "rasa data convert nlu -f yaml"`,
      [{ file, message: 'Rasa JSON format' }],
    );
  }
  const keys = Object.keys(value);
  if (keys.length === 0 || keys.some((k) => INTENTS_KEYS.includes(k))) return 'intents';
  throw unknown(`top-level keys ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', ...' : ''}`);
}

/**
 * The format of a source from its name and content: `.jsonl` and `.csv` by extension; `.json`,
 * `.yaml` and `.yml` parsed and told apart by shape. Pure: reads nothing but its arguments.
 */
export function detectSourceFormat(text: string, file: string): ImportFormat {
  const byExtension = formatByExtension(file);
  return byExtension === 'structured' ? formatOfValue(parseStructured(text, file).value, file) : byExtension;
}
