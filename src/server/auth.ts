import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { StsError } from '../errors.js';

/** Guards the write routes with `Authorization: Bearer <token>` when a token is configured. */
export function requireAdmin(token: string | undefined): RequestHandler {
  return requireToken([token], 'admin token');
}

/**
 * Guards the routes that read model data (the model list, a model's intents, Caila's export):
 * when an admin or a read token is configured, the request needs one of them.
 */
export function requireReader(config: { adminToken?: string; readToken?: string }): RequestHandler {
  return requireToken([config.adminToken, config.readToken], 'admin or read token');
}

/** `Authorization: Bearer <one of the tokens>`, when any token is configured. */
function requireToken(configured: readonly (string | undefined)[], what: string): RequestHandler {
  const tokens = configured.filter((t): t is string => t !== undefined);
  return (req, _res, next) => {
    if (tokens.length === 0) return next();
    const header = req.get('authorization');
    const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
    if (!match) return next(new StsError('unauthorized', `this route needs "Authorization: Bearer <${what}>"`));
    // Every token is compared, so the time taken does not tell which one nearly matched.
    const ok = tokens.map((t) => sameSecret(match[1]!, t)).some(Boolean);
    if (!ok) return next(new StsError('forbidden', `wrong ${what}`));
    next();
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
