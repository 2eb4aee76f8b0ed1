import express, { type Express, type Request, type RequestHandler } from 'express';
import { sourceOf, type Upload } from './upload-source.js';

/** The routes that take a model upload (routes/native.ts, routes/caila.ts register them here too). */
export const UPLOAD_ROUTES = {
  model: '/v1/models/:name',
  cailaImport: '/cailapub/api/caila/p/:token/import',
} as const;

/**
 * Bodies up to this size are parsed on the event loop as every other body is (about a
 * millisecond): their errors come at once. A bigger one is left to its route to read as bytes,
 * parsed in the compile worker, so its refusal waits for the compiles queued before it.
 */
export const RAW_UPLOAD_BYTES = 128 * 1024;

/** Only these Content-Types are read as bytes (their text is UTF-8); any other goes through the JSON parser as before. */
const UTF8_JSON = /^\s*application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * Marks, before the JSON parser runs, the uploads whose body their route reads as bytes:
 * matched by express's own routing (the routes' paths above), so the two cannot disagree. Their
 * route then checks the caller before the body is read.
 */
export function markRawUploads(app: Express): void {
  const mark: RequestHandler = (req, res, next) => {
    const length = req.get('content-length');
    const big = length === undefined ? req.get('transfer-encoding') !== undefined : Number(length) > RAW_UPLOAD_BYTES;
    if (big && UTF8_JSON.test(req.get('content-type') ?? '')) res.locals.rawUpload = true;
    next();
  };
  app.put(UPLOAD_ROUTES.model, mark);
  app.post(UPLOAD_ROUTES.cailaImport, mark);
}

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
  if (Buffer.isBuffer(req.body)) return { upload: { body: req.body }, warnings: [] };
  const { source, warnings } = sourceOf(req.body);
  return { upload: source, warnings };
}
