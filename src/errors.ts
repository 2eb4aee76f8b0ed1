/** One error class for misuse and failures; outcomes such as noMatch are results, never errors. */
export type StsErrorCode =
  | 'invalid_source' // an intents source (YAML, JSON, JSONL, CSV) is malformed or does not fit the schema
  | 'source_conflict' // two sources disagree (settings, language, an intent's answer, a slot's entity)
  | 'invalid_settings' // a setting or per-call option has a wrong type, range or name
  | 'invalid_model' // a compiled model file is damaged or does not fit the schema
  | 'model_version' // a compiled model has a format version this build cannot read
  | 'invalid_input' // the text to classify is not a string, or similar misuse
  | 'aborted' // the caller's AbortSignal fired
  | 'io_error' // a file could not be read or written
  | 'not_found' // a file or a model does not exist
  | 'unsupported_format' // a file whose format cannot be detected or read
  | 'invalid_request' // an HTTP request body or query that does not fit its schema
  | 'unauthorized' // a write without the admin bearer token
  | 'forbidden' // a write with a wrong token
  | 'payload_too_large' // a body over the server's limit, or an upload that needs more memory or time to compile than the server allows
  | 'unsupported_media_type' // a body that is not JSON
  | 'conflict' // the request contradicts the server's state (e.g. deleting the default model)
  | 'shutting_down' // the server got SIGTERM: requests that arrive now, or are still running when the drain ends, are refused
  | 'store_unavailable' // the model store (PostgreSQL) cannot be reached: models in memory still serve, changes wait
  | 'model_too_large' // a stored model needs more memory than the server's model memory budget
  | 'internal'; // a bug: logged with the request id, answered without details

/** Where a problem is: the file, and a line (1-based) or a JSON path. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  path?: string;
  message: string;
}

export class StsError extends Error {
  override readonly name = 'StsError';
  constructor(
    readonly code: StsErrorCode,
    message: string,
    readonly details: readonly ErrorLocation[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The HTTP status of each code, declared once for every shell that speaks HTTP. */
export const HTTP_STATUS: Record<StsErrorCode, number> = {
  invalid_source: 422,
  source_conflict: 422,
  invalid_settings: 400,
  invalid_model: 422,
  model_version: 422,
  invalid_input: 400,
  aborted: 499,
  io_error: 500,
  not_found: 404,
  unsupported_format: 415,
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  payload_too_large: 413,
  unsupported_media_type: 415,
  conflict: 409,
  shutting_down: 503,
  store_unavailable: 503,
  model_too_large: 507,
  internal: 500,
};

/** "file:line: message" or "file at path: message", as one line for CLI output and logs. */
export function formatLocation(d: ErrorLocation): string {
  const where = [d.file, d.line !== undefined ? `line ${d.line}` : undefined, d.path ? `at ${d.path}` : undefined]
    .filter(Boolean)
    .join(', ');
  return where ? `${where}: ${d.message}` : d.message;
}

/** What fromZodError needs of a zod error (so this module does not depend on zod). */
interface IssueList {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}

/** Details kept from a schema error: the first problems are enough to act on. */
const MAX_DETAILS = 20;

/**
 * A schema mismatch as one error: a detail per issue (its path, under `prefix` if given), and a
 * message "<what>: <path>: <problem>; …" naming each, so the one-line CLI output says where.
 */
export function fromZodError(code: StsErrorCode, what: string, error: IssueList, options: { prefix?: string; file?: string } = {}): StsError {
  const details = error.issues.slice(0, MAX_DETAILS).map((i) => ({
    ...(options.file !== undefined && { file: options.file }),
    path: [options.prefix, ...i.path.map(String)].filter((p) => p !== undefined && p !== '').join('.') || '(root)',
    message: i.message,
  }));
  return new StsError(code, `${what}: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
}

export function isStsError(e: unknown): e is StsError {
  return e instanceof StsError;
}
