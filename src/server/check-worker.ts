import { parentPort } from 'node:worker_threads';
import { checkModel } from '../model/validate-model.js';
import type { CheckReply, CheckRequest } from './model-checker.js';
import { errorData } from './error-data.js';

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
    reply = { id, ok: false, error: e instanceof SyntaxError ? { message: `not valid JSON (${e.message})` } : errorData(e) };
  }
  parentPort!.postMessage(reply);
});
