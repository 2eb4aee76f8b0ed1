import { parentPort } from 'node:worker_threads';
import { cailaProjectText } from '../model/caila-export.js';
import { fileText } from '../model/io.js';
import { headOf } from '../model/model-head.js';
import { checkModelText, modelOfChecked } from '../model/validate-model.js';
import { summaryOfFile } from '../store/summary.js';
import type { CheckReply, CheckRequest } from './model-checker.js';
import { errorData } from './error-data.js';

/**
 * The model checker's thread (model-checker.ts), one message at a time: checks a stored model
 * file and answers with its head as JSON text (the classify threads hold the model itself), reads
 * a file's summary for a models folder's listing, or writes a model file as a Caila project
 * export, as JSON text the route sends as it is.
 */
parentPort!.on('message', (request: CheckRequest) => {
  let reply: CheckReply;
  try {
    reply = { id: request.id, ok: true, text: answer(request) };
  } catch (e) {
    reply = { id: request.id, ok: false, error: errorData(e) };
  }
  parentPort!.postMessage(reply);
});

function answer(request: CheckRequest): string {
  if (request.kind === 'summary') return JSON.stringify(summaryOfFile(request.file) ?? null);
  const text = fileText(request.file);
  if (request.kind === 'check') return JSON.stringify(headOf(checkModelText(text).model));
  return cailaProjectText(modelOfChecked(text), request.name);
}
