import { StsError, type ErrorLocation } from '../../errors.js';
import { cailaProjectToSource } from '../caila-project.js';
import type { ParsedSource } from '../merge-sources.js';
import { parseCsv, parseJsonl, rowsToIntents } from '../parse-training-list.js';
import { IntentsFile, type IntentsFileInput } from '../source-schema.js';
import { joinPath, type Imported } from './common.js';
import { formatByExtension, formatOfValue, type ImportFormat, type StructuredFormat } from './detect.js';
import { parseStructured, pathSegments, type StructuredText } from './document.js';
import { jaicpIntentsToSource } from './jaicp-intents.js';
import { nlpjsCorpusToSource } from './nlpjs.js';
import { rasaNluToSource } from './rasa.js';

export { detectSourceFormat, formatByExtension, formatOfValue, IMPORT_FORMATS, type ImportFormat, type StructuredFormat } from './detect.js';
export { jaicpIntentsToSource, isJaicpIntentsExport } from './jaicp-intents.js';
export { nlpjsCorpusToSource, isNlpjsCorpus } from './nlpjs.js';
export { rasaNluToSource, isRasaNlu } from './rasa.js';
export type { Imported } from './common.js';

/** A source file read in any format: what mergeSources takes, plus its format and what the import dropped. */
export interface ImportedSource extends ParsedSource {
  format: ImportFormat;
  /** What the importer could not carry over (patterns, slots, entities, ...), one line each. */
  warnings: string[];
}

/** Importers of other tools' formats: pure functions of the parsed value, as the server may call them too. */
const IMPORTERS: Record<Exclude<StructuredFormat, 'intents'>, (value: unknown, context: ImportContext) => Imported> = {
  caila: cailaProjectToSource,
  jaicp: jaicpIntentsToSource,
  rasa: (value, context) => rasaNluToSource(value, { synonyms: context.rasaSynonyms, values: context.rasaValues }),
  nlpjs: nlpjsCorpusToSource,
};

/** What an import may know of the other sources trained with it (trainFromFiles fills it). */
export interface ImportContext {
  /** The synonym groups of the Rasa files trained together (name first): Rasa maps annotation values across files. */
  rasaSynonyms?: readonly (readonly string[])[];
  /** The [text, value] pairs their annotations give (io.ts mappedValues of their imported entities). */
  rasaValues?: readonly (readonly [string, string])[];
}

/**
 * Reads the text of one source file in a format, or the one its name and content say (`auto`).
 * Pure: the file name is for detection and error messages only. Errors name the file and, for
 * JSON and YAML, the line of the value at fault.
 */
export function importSource(text: string, file: string, format: ImportFormat | 'auto' = 'auto', context: ImportContext = {}): ImportedSource {
  const kind = format === 'auto' ? formatByExtension(file) : format;
  if (kind === 'jsonl' || kind === 'csv') {
    const rows = kind === 'jsonl' ? parseJsonl(text, file) : parseCsv(text, file);
    const { intents, outOfScope } = rowsToIntents(rows, file);
    return { file, kind: 'list', format: kind, data: { intents }, outOfScope, warnings: [] };
  }
  const doc = parseStructured(text, file);
  const detected = kind === 'structured' ? formatOfValue(doc.value, file) : kind;
  if (detected === 'intents') {
    doc.checkUniqueKeys();
    return { file, kind: 'intents', format: detected, data: validateIntentsFile(doc, file), warnings: [] };
  }
  let imported: Imported;
  try {
    imported = IMPORTERS[detected](doc.value, context);
  } catch (e) {
    if (e instanceof StsError && e.code === 'invalid_source') throw located(e, doc, file);
    throw e;
  }
  const parsed = IntentsFile.safeParse(imported.source);
  if (!parsed.success) {
    // The importers produce valid sources; this names what one let through, in the converted source.
    const details = parsed.error.issues.map((i) => ({ file, path: joinPath(i.path), message: i.message }));
    throw new StsError('invalid_source', `${file}: the imported ${detected} source is invalid at ${details[0]!.path}: ${details[0]!.message}`, details);
  }
  return { file, kind: 'intents', format: detected, data: parsed.data, warnings: imported.warnings };
}

/**
 * Imports an already parsed value (an HTTP body, say) in a format, or the one its shape says.
 * Our intents format is returned as it is: `compile` validates it. Errors carry JSON paths, no lines.
 */
export function importValue(value: unknown, format: StructuredFormat | 'auto' = 'auto', name = '(source)'): Imported & { format: StructuredFormat } {
  const detected = format === 'auto' ? formatOfValue(value, name) : format;
  if (detected === 'intents') return { format: detected, source: value as IntentsFileInput, warnings: [] };
  return { format: detected, ...IMPORTERS[detected](value, {}) };
}

/** Our intents file, as importSource checks it: the schema's problems with their paths and lines. */
function validateIntentsFile(doc: StructuredText, file: string): IntentsFile {
  const parsed = IntentsFile.safeParse(doc.value);
  if (parsed.success) return parsed.data;
  const details: ErrorLocation[] = parsed.error.issues.slice(0, 20).map((issue) => {
    // An unknown key is reported at its parent; point at the key itself.
    const at = (issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path).map((p) => (typeof p === 'symbol' ? String(p) : p));
    return { file, line: doc.lineAt(at), path: joinPath(at), message: issue.message };
  });
  const first = details[0]!;
  throw new StsError('invalid_source', `${file}${first.line ? `:${first.line}` : ''}: ${first.path}: ${first.message}`, details);
}

/** An importer's error with the file and the line of each path added. */
function located(e: StsError, doc: StructuredText, file: string): StsError {
  const details = e.details.map((d) => ({ ...d, file, line: d.line ?? doc.lineAt(pathSegments(d.path)) }));
  const line = details[0]?.line;
  return new StsError(e.code, `${file}${line ? `:${line}` : ''}: ${e.message}`, details, { cause: e });
}
