import { isUtf8 } from 'node:buffer';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { HTTP_STATUS, StsError, fromZodError, isStsError } from '../errors.js';
import { firstInvalidUtf8 } from '../text/utf8.js';

/** Validates a body or query against its schema; a mismatch is a 400 listing each issue's path. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw fromZodError('invalid_request', `invalid request ${what}`, parsed.error, { prefix: what });
}

/**
 * A body whose bytes are not UTF-8, or none: decoded, each bad byte would become U+FFFD, and an
 * upload would store and serve phrases its author never wrote. Says where the first one is.
 */
export function notUtf8(body: Uint8Array): StsError | undefined {
  if (isUtf8(body)) return undefined;
  const at = firstInvalidUtf8(body);
  const byte = (body[at] as number).toString(16).toUpperCase().padStart(2, '0');
  return new StsError('invalid_request', `request body is not valid UTF-8: the byte at offset ${at} (0x${byte}) does not start a well-formed sequence`);
}

/** A body that does not parse as JSON, whoever parsed it (express.json(), or the compile worker for an upload). */
export function notJson(why: string): StsError {
  return new StsError('invalid_request', `request body is not valid JSON: ${why}`);
}

/** body-parser's error types → our codes, so a client never sees an HTML page or a stack. */
function fromBodyParser(err: { type?: string; message?: string; limit?: number }): StsError | undefined {
  switch (err.type) {
    case 'entity.too.large':
      return new StsError('payload_too_large', `request body is larger than the limit of ${err.limit} bytes`);
    case 'entity.parse.failed':
      return notJson(err.message ?? 'it does not parse');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new StsError('unsupported_media_type', err.message ?? 'unsupported encoding');
    case 'request.aborted':
      return new StsError('invalid_request', 'request aborted by the client');
    default:
      return undefined;
  }
}

/** The codes of zlib's errors: gzip and deflate's (Z_DATA_ERROR, Z_BUF_ERROR…), Brotli's (ERR__ERROR_FORMAT_…). */
const ZLIB_CODE = /^(Z_|ERR__ERROR_)/;

/**
 * Errors express's own parts raise about the request, with a 4xx status: a path segment that is
 * not valid percent-encoding (the router's URIError), a body whose Content-Encoding does not fit
 * its bytes (zlib). Their messages may quote the path, which can hold an access token: not kept.
 */
function fromRequestError(err: { status?: unknown; code?: unknown; name?: unknown }): StsError | undefined {
  const status = typeof err.status === 'number' ? err.status : undefined;
  if (status === undefined || status < 400 || status > 499) return undefined;
  if (err.name === 'URIError') return new StsError('invalid_request', 'the path is not valid: a "%" must start an escape such as %20');
  if (typeof err.code === 'string' && ZLIB_CODE.test(err.code)) return new StsError('invalid_request', 'the body is not what its Content-Encoding says (it cannot be decompressed)');
  return new StsError('invalid_request', `the request is not valid (HTTP ${status})`);
}

/** What every error becomes: a status and the one JSON error shape. Unexpected errors hide their message. */
export function toHttpError(err: unknown): StsError {
  if (isStsError(err)) return err;
  if (typeof err !== 'object' || err === null) return new StsError('internal', 'internal error', [], { cause: err });
  return fromBodyParser(err as { type?: string }) ?? fromRequestError(err as { status?: unknown }) ?? new StsError('internal', 'internal error', [], { cause: err });
}

export function errorBody(e: StsError, requestId?: string) {
  const error: { code: string; message: string; details?: unknown; requestId?: string } = { code: e.code, message: e.message };
  if (e.details.length > 0) error.details = e.details;
  if (requestId) error.requestId = requestId;
  return { error };
}

/** Caila's routes answer errors in Caila's shape, as its clients parse them. */
const CAILA_PREFIX = '/cailapub/';

/** Whether a path is one of Caila's routes, which express matches whatever the case. */
export function isCailaPath(path: string): boolean {
  return path.toLowerCase().startsWith(CAILA_PREFIX);
}

export function cailaErrorBody(e: StsError) {
  const message = e.code === 'internal' ? 'internal error' : e.message;
  return { error: message, errors: [{ code: `caila.${e.code}`, message }] };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = toHttpError(err);
    const requestId = res.locals.requestId as string | undefined;
    // A refusal while shutting down is expected, one per late request: its request line says 503.
    if (HTTP_STATUS[e.code] >= 500 && e.code !== 'shutting_down') {
      logger.error({ err: e.cause ?? err, code: e.code, requestId, method: req.method }, e.code === 'internal' ? 'unexpected error' : e.message);
    }
    if (res.headersSent) return void res.end();
    if (e.code === 'unauthorized') res.set('WWW-Authenticate', 'Bearer');
    res.status(HTTP_STATUS[e.code]).json(isCailaPath(req.path) ? cailaErrorBody(e) : errorBody(e, requestId));
  };
}
