import { StsError } from '../errors.js';
import { compile } from '../model/compile-source.js';
import type { CompileResult } from '../model/compile.js';
import { importValue } from '../model/importers/index.js';
import type { IntentsFileInput } from '../model/source-schema.js';
import { notJson, notUtf8 } from './http-errors.js';
import { checkJsonDepth } from './json-depth.js';

/**
 * A model upload: a parsed source, or a big request's JSON body as it came (UTF-8), to be read
 * where the compile runs. A source of 280,000 phrases is a 15 MB body: parsing it, walking it
 * for its depth and posting the parsed object to the compile worker held the event loop for
 * about 180 ms (docs/experiments.md, "Uploads read off the event loop"); the bytes are posted
 * as they are, and the worker reads them.
 */
export type Upload = IntentsFileInput | RawUpload;

/** A JSON body's bytes, UTF-8. */
export interface RawUpload {
  readonly body: Uint8Array;
}

/**
 * A model upload: our intents file in JSON form, a Caila project export, a JAICP intents export
 * (a JSON array), or an NLP.js corpus, told apart by shape as `sts train` does.
 */
export function sourceOf(body: unknown): { source: IntentsFileInput; warnings: string[] } {
  if (typeof body !== 'object' || body === null) {
    throw new StsError('invalid_request', 'the body must be JSON: an intents source, a Caila or JAICP export, or an NLP.js corpus');
  }
  const { source, warnings } = importValue(body, 'auto', 'body');
  return { source, warnings };
}

/** Compiles an upload, reading a raw one first as the JSON parser and sourceOf() would have: its warnings come first. */
export function compileUpload(upload: Upload): CompileResult {
  if (!isRawBody(upload)) return compile(upload);
  const { source, warnings } = sourceOf(rawBodyValue(upload));
  const compiled = compile(source);
  return { ...compiled, warnings: [...warnings, ...compiled.warnings] };
}

/** Whether an upload is a body's bytes, not a parsed source. */
export function isRawBody(upload: Upload): upload is RawUpload {
  return (upload as Partial<RawUpload>).body instanceof Uint8Array;
}

/** A raw body's JSON value, read and refused as express.json() and limitJsonDepth read and refuse other bodies. */
export function rawBodyValue({ body }: RawUpload): unknown {
  // An empty body is {} to express.json() (then "no intents").
  if (body.byteLength === 0) return {};
  const bad = notUtf8(body);
  if (bad) throw bad;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(body));
  } catch (e) {
    throw notJson((e as Error).message);
  }
  checkJsonDepth(value);
  return value;
}
