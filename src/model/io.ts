import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EntityDef } from '../entities/index.js';
import { StsError } from '../errors.js';
import { withoutLaterDefaults, type CompileResult } from './compile.js';
import { compileIntentSet } from '../lexicons.js';
import { mergeSources, type MergeOptions } from './merge-sources.js';
import type { Model } from './model-schema.js';
import type { IntentSet } from './source-schema.js';
import { formatByExtension, importSource, type ImportedSource, type ImportFormat } from './importers/index.js';
import { checkModelText, type LoadedModel } from './validate-model.js';
import { loadWordNet } from './wordnet.js';

/** The library's file access (with wordnet.ts, which reads WordNet's data files). */

/** What a file's extension says (`sts eval` reads lists by it); `sts train` tells formats by content too. */
export type SourceFormat = 'intents' | 'jsonl' | 'csv';

export function detectFormat(file: string): SourceFormat {
  const byExtension = formatByExtension(file);
  return byExtension === 'structured' ? 'intents' : byExtension;
}

export { detectSourceFormat, IMPORT_FORMATS, type ImportFormat, type ImportedSource } from './importers/index.js';

/** Reads a UTF-8 text file; a missing, binary or non-UTF-8 file is an error naming it. */
export async function readTextFile(file: string): Promise<string> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new StsError('not_found', `${file}: no such file`, [{ file, message: 'no such file' }]);
    throw new StsError('io_error', `${file}: cannot read (${code ?? (e as Error).message})`, [{ file, message: 'cannot read' }], { cause: e });
  }
  if (buf.includes(0)) throw new StsError('invalid_source', `${file}: binary data (a NUL byte), expected UTF-8 text`, [{ file, message: 'binary data' }]);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    const loose = new TextDecoder('utf-8').decode(buf);
    const line = loose.slice(0, loose.indexOf('\uFFFD')).split('\n').length;
    throw new StsError('invalid_source', `${file}:${line}: not valid UTF-8`, [{ file, line, message: 'not valid UTF-8' }]);
  }
}

/** Reads one source file into its parsed form; errors name the file and the line. */
export async function readSource(file: string, options: { format?: ImportFormat | 'auto' } = {}): Promise<ImportedSource> {
  const format = options.format ?? 'auto';
  // Checked before reading, so that a file of an unknown kind is named as such even if unreadable.
  if (format === 'auto') formatByExtension(file);
  return importSource(await readTextFile(file), file, format);
}

export interface TrainOptions extends MergeOptions {
  /** `--format`: the format of every source, or `auto` (the default) to tell each by its name and content. */
  format?: ImportFormat | 'auto';
}

export interface TrainResult extends CompileResult {
  sources: ImportedSource[];
}

/**
 * Reads, merges and compiles source files: what `sts train` does before writing. The warnings
 * are the importers' (what a file in another tool's format lost, prefixed with the file), then compile's.
 */
export async function trainFromFiles(files: readonly string[], options: TrainOptions = {}): Promise<TrainResult> {
  const { set, sources } = await readIntentSet(files, options);
  const wantsWordNet = set.wordNet === true;
  const result = compileIntentSet(set, wantsWordNet ? { wordNet: loadWordNet() } : {});
  const imported = sources.flatMap((s) => s.warnings.map((w) => `${s.file}: ${w}`));
  return { ...result, warnings: [...imported, ...result.warnings], sources };
}

/** Reads and merges source files into the intent set that compile takes (`sts doctor` examines it). */
export async function readIntentSet(files: readonly string[], options: TrainOptions = {}): Promise<{ set: IntentSet; sources: ImportedSource[] }> {
  if (files.length === 0) throw new StsError('invalid_source', 'no source files given');
  const { format, ...merge } = options;
  // Checked before any read, as readSource does, so that a file of an unknown kind is named as such.
  if ((format ?? 'auto') === 'auto') for (const file of files) formatByExtension(file);
  const texts = await Promise.all(files.map((file) => readTextFile(file)));
  let sources = files.map((file, i) => importSource(texts[i]!, file, format));
  // Rasa maps entity values with the synonyms and annotated values of all its training files: a
  // project's files are imported again, from the same text, knowing each other's.
  const rasa = sources.filter((s) => s.format === 'rasa');
  const rasaSynonyms = rasa.flatMap((s) => (s.data.synonyms ?? []).map((g) => g.words));
  const rasaValues = rasa.flatMap((s) => mappedValues(s.data.entities ?? []));
  if (rasa.length > 1 && rasaSynonyms.length + rasaValues.length > 0) {
    sources = sources.map((s, i) => (s.format === 'rasa' ? importSource(texts[i]!, s.file, 'rasa', { rasaSynonyms, rasaValues }) : s));
  }
  return { set: mergeSources(sources, merge), sources };
}

/** The words a source's synonyms records map to another value, as [word, value] pairs (`{current: [checking]}` → ["checking", "current"]). */
export function mappedValues(entities: readonly EntityDef[]): [string, string][] {
  return entities.flatMap((e) =>
    e.records.flatMap((r) => (r.type === 'synonyms' ? r.words.filter((w) => w.toLowerCase() !== r.value.toLowerCase()).map((w): [string, string] => [w, r.value]) : [])),
  );
}

/**
 * Reads and validates a compiled model file: the model, and its stored regression decoded (for
 * createClassifier(model, { regression }), which then need not decode it again). A wrong
 * version or a damaged file is an error that says which.
 */
export async function readModel(file: string): Promise<LoadedModel> {
  const text = await readTextFile(file).catch((e: unknown) => {
    if (e instanceof StsError && e.code === 'invalid_source') throw new StsError('invalid_model', e.message, e.details);
    throw e;
  });
  try {
    return checkModelText(text, file);
  } catch (e) {
    if (e instanceof StsError) throw new StsError(e.code, `${file}: ${e.message}`, e.details);
    throw e;
  }
}

/** Reads and validates a compiled model file (readModel()) and returns the model alone. */
export async function loadModel(file: string): Promise<Model> {
  return (await readModel(file)).model;
}

/**
 * Writes a model whole or not at all: a temp file in the same folder, then an atomic rename.
 * Settings added in later versions are left out at their default (a reader fills them in again),
 * so builds from before them can still read a model that does not use them.
 */
export async function saveModel(file: string, model: Model): Promise<void> {
  await writeFileAtomic(file, modelFileText(model));
}

/** What saveModel() writes: the model as JSON, settings at their default left out. */
export function modelFileText(model: Model): string {
  return JSON.stringify({ ...model, settings: withoutLaterDefaults(model.settings) }) + '\n';
}

/** The model file as a server keeps, stores and passes it between threads: modelFileText() in UTF-8. */
export function modelFileBytes(model: Model): Uint8Array {
  return utf8Bytes(modelFileText(model));
}

/**
 * A text's UTF-8 in an ArrayBuffer of its own, of its exact size: one that can be transferred
 * to another thread, and is copied whole and alone (Buffer.from puts a short text in Node's
 * shared pool, which can be neither).
 */
export function utf8Bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** A model file's bytes as its text (UTF-8; a byte sequence that is not becomes U+FFFD: isUtf8() tells such a file apart). */
export function fileText(file: Uint8Array): string {
  return Buffer.from(file.buffer, file.byteOffset, file.byteLength).toString('utf8');
}

/** A fresh temporary file beside `file`, to write and then rename over it: `.<name>.<12 hex>.tmp`. */
export function tempPathOf(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
}
const TEMP_FILE = /^\..+\.[0-9a-f]{12}\.tmp$/;

/** A temporary file older than this is no write in progress (writing the largest model takes seconds): a process died writing it. */
export const TEMP_FILE_MAX_AGE_MS = 60_000;

/**
 * Removes the temporary files (tempPathOf) that writes left in a folder when their process was
 * killed mid-write, those older than TEMP_FILE_MAX_AGE_MS: a younger one may be another
 * process's write in progress (the workers of a server share their folder). Returns their names.
 */
export async function removeStaleTempFiles(dir: string, now: number = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!TEMP_FILE.test(name)) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile() || now - info.mtimeMs < TEMP_FILE_MAX_AGE_MS) continue;
    if (await unlink(file).then(() => true, () => false)) removed.push(name);
  }
  return removed;
}

export async function writeFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  const tmp = tempPathOf(file);
  try {
    await writeFile(tmp, content, { flag: 'wx' });
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code;
    throw new StsError('io_error', `${file}: cannot write (${code ?? (e as Error).message})`, [{ file, message: 'cannot write' }], { cause: e });
  }
}
