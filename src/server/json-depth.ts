import type { RequestHandler } from 'express';
import { StsError } from '../errors.js';

/**
 * How deep a JSON body may nest. Intents sources, Caila and JAICP exports nest 6 levels or so;
 * a body nested thousands of levels deep overflows the stack of whatever walks it recursively
 * (structured cloning it to the compile worker did).
 */
export const MAX_JSON_DEPTH = 64;

/** Refuses a parsed JSON body that nests deeper than MAX_JSON_DEPTH (400); an upload read as bytes is checked where it is parsed (upload-source.ts). */
export const limitJsonDepth: RequestHandler = (req, _res, next) => {
  try {
    checkJsonDepth(req.body);
    next();
  } catch (e) {
    next(e);
  }
};

/** Throws the 400 of a JSON value that nests deeper than MAX_JSON_DEPTH, walking it without recursion. */
export function checkJsonDepth(value: unknown): void {
  if (depthOver(value, MAX_JSON_DEPTH) === undefined) return;
  throw new StsError('invalid_request', `the body nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays`, [{ path: 'body', message: `at most ${MAX_JSON_DEPTH} levels` }]);
}

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
