import type { RequestHandler } from 'express';
import { StsError } from '../errors.js';

/**
 * How deep a JSON body may nest. Intents sources, Caila and JAICP exports nest 6 levels or so;
 * a body nested thousands of levels deep overflows the stack of whatever walks it recursively
 * (structured cloning it to the compile worker did).
 */
export const MAX_JSON_DEPTH = 64;

/** Refuses a parsed JSON body that nests deeper than MAX_JSON_DEPTH (400), walking it without recursion. */
export const limitJsonDepth: RequestHandler = (req, _res, next) => {
  const depth = depthOver(req.body as unknown, MAX_JSON_DEPTH);
  if (depth === undefined) return next();
  next(new StsError('invalid_request', `the body nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays`, [{ path: 'body', message: `at most ${MAX_JSON_DEPTH} levels` }]));
};

/** The first depth past `max` that the value reaches, or undefined if it stays within. */
function depthOver(value: unknown, max: number): number | undefined {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return depth + 1;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return undefined;
}
