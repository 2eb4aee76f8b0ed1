import express, { type Request, type RequestHandler } from 'express';
import { StsError } from '../errors.js';
import { sourceOf, type Upload } from './upload-source.js';

/**
 * Whether a request is a model upload (a PUT, or a Caila project import), whose body the global
 * JSON parser leaves to uploadBody(): a route that reads it as JSON after all still works (it
 * finds its body parsed), only slower, so this need not mirror the router exactly.
 */
export function isUploadRequest(req: Request): boolean {
  return req.method === 'PUT' || (req.method === 'POST' && /\/import\/?$/i.test(req.path));
}

/** An upload route's body as bytes (gzip and deflate undone, within the body limit), for uploadOf(). */
export function uploadBody(limit: string | number): RequestHandler {
  return express.raw({ limit, type: () => true });
}

/**
 * What an upload route hands the registry: the raw body when uploadBody() read it, else the body
 * the JSON parser read, as sourceOf() reads it (with the import's warnings).
 */
export function uploadOf(req: Request): { upload: Upload; warnings: string[] } {
  if (!Buffer.isBuffer(req.body)) {
    const { source, warnings } = sourceOf(req.body);
    return { upload: source, warnings };
  }
  const charset = (/charset\s*=\s*"?([^";\s]+)/i.exec(req.get('content-type') ?? '')?.[1] ?? 'utf-8').toLowerCase();
  // As body-parser's JSON parser: the Unicode charsets only.
  if (!charset.startsWith('utf-')) throw new StsError('unsupported_media_type', `unsupported charset "${charset.toUpperCase()}"`);
  return { upload: { body: req.body, charset }, warnings: [] };
}

