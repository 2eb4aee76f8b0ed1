import express, { type Request, type RequestHandler } from 'express';
import { match } from 'path-to-regexp';
import { UPLOAD_ROUTES } from './routes/paths.js';
import { rawBodyValue, sourceOf, type Upload } from './upload-source.js';

/**
 * Upload bodies up to this size (as sent: compressed, if they are) are parsed on the event loop
 * as every other body is (about a millisecond): their errors come at once. A bigger one is left
 * to its route to read as bytes, parsed in the compile worker, so its refusal waits for the
 * compiles queued before it. One sent in chunks is read as bytes, and parsed on the event loop
 * if it turns out this small.
 */
export const RAW_UPLOAD_BYTES = 128 * 1024;

/** Only these Content-Types are read as bytes (their text is UTF-8); any other goes through the JSON parser. */
const UTF8_JSON = /^\s*application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** The upload routes as express's router matches paths (router's Layer: any case, a trailing "/"), not decoding them. */
const UPLOAD_MATCHERS = Object.values(UPLOAD_ROUTES).map(({ method, path }) => ({
  method: method.toUpperCase(),
  matches: match(path, { sensitive: false, end: true, trailing: true, decode: false }),
}));

/**
 * Marks, before the JSON parser runs, the uploads whose body their route reads as bytes: those
 * whose Content-Length is over RAW_UPLOAD_BYTES, or that come in chunks, in UTF-8 JSON. A
 * middleware rather than a route: a route would decode the path and name the request in the
 * metrics, for requests it leaves alone too. Their route then checks the caller before the
 * body is read.
 */
export const markRawUploads: RequestHandler = (req, res, next) => {
  if (!UPLOAD_MATCHERS.some((u) => u.method === req.method && u.matches(req.path) !== false)) return next();
  const length = req.get('content-length');
  const big = length === undefined ? req.get('transfer-encoding') !== undefined : Number(length) > RAW_UPLOAD_BYTES;
  if (big && UTF8_JSON.test(req.get('content-type') ?? '')) res.locals.rawUpload = true;
  next();
};

/** Whether the JSON parser leaves this request's body to its route. */
export function isRawUpload(req: Request): boolean {
  return req.res?.locals.rawUpload === true;
}

/** An upload route's body as bytes, when marked (gzip and deflate undone, within the body limit). */
export function uploadBody(limit: string | number): RequestHandler {
  const raw = express.raw({ limit, type: () => true });
  return (req, res, next) => (isRawUpload(req) ? raw(req, res, next) : next());
}

/**
 * What an upload route hands the registry: the body's bytes when uploadBody() read them, else the
 * body the JSON parser read, as sourceOf() reads it (with the import's warnings).
 */
export function uploadOf(req: Request): { upload: Upload; warnings: string[] } {
  // Sent in chunks, a body's size was not known before it was read: a small one is read here.
  if (Buffer.isBuffer(req.body) && req.body.byteLength > RAW_UPLOAD_BYTES) return { upload: { body: req.body }, warnings: [] };
  const { source, warnings } = sourceOf(Buffer.isBuffer(req.body) ? rawBodyValue({ body: req.body }) : req.body);
  return { upload: source, warnings };
}
