import { parentPort } from 'node:worker_threads';
import { isStsError } from '../errors.js';
import { checkModel } from '../model/validate-model.js';
import type { CheckReply, CheckRequest } from './model-checker.js';

/**
 * The model checker's thread (model-checker.ts): parses and checks stored model files, one
 * message at a time, and answers with the checked model as JSON text, which the event loop
 * parses several times faster than it checks it or than it would read a structured clone.
 */
parentPort!.on('message', ({ id, text }: CheckRequest) => {
  let reply: CheckReply;
  try {
    reply = { id, ok: true, text: JSON.stringify(checkModel(JSON.parse(text) as unknown).model) };
  } catch (e) {
    reply = {
      id,
      ok: false,
      error: e instanceof SyntaxError ? { message: `not valid JSON (${e.message})` } : isStsError(e) ? { code: e.code, message: e.message, details: [...e.details] } : { message: e instanceof Error ? e.message : String(e) },
    };
  }
  parentPort!.postMessage(reply);
});
