import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { StsError } from '../errors.js';

/** Guards the write routes with `Authorization: Bearer <token>` when a token is configured. */
export function requireAdmin(token: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (token === undefined) return next();
    const header = req.get('authorization');
    const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
    if (!match) return next(new StsError('unauthorized', 'this route needs "Authorization: Bearer <admin token>"'));
    if (!sameSecret(match[1]!, token)) return next(new StsError('forbidden', 'wrong admin token'));
    next();
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
