import { parentPort } from 'node:worker_threads';
import { regressionBuffers } from '../engine/probability/trained-regression.js';
import { modelFileBytes } from '../model/io.js';
import { headOf } from '../model/model-head.js';
import type { WorkerReply, WorkerRequest } from './off-thread-compiler.js';
import { errorData } from './error-data.js';
import { compileUpload } from './upload-source.js';

/**
 * The compile worker (off-thread-compiler.ts): compiles one upload, a source or a raw JSON body
 * it parses here (upload-source.ts), with the model's probabilityWeight regression when its
 * settings use it, writes the model file's JSON, and posts it back with the model's head (and
 * the model, if asked), the regression's arrays transferred rather than copied. An error is
 * posted as data: StsErrors by code, message and details, anything else by its stack.
 */
parentPort!.once('message', ({ upload, withModel }: WorkerRequest) => {
  let reply: WorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const { model, warnings, tuning, crossValidation, regression } = compileUpload(upload);
    // The model stores the regression as text too: the arrays spare the main thread decoding it.
    if (regression) transfer = regressionBuffers(regression);
    // The file's bytes (its JSON in UTF-8, in a buffer of its own, transferred) are made here too,
    // and the model's head goes with them, the model only if asked: receiving a large model, or
    // its text, or encoding that text, would be long steps of the event loop.
    const file = modelFileBytes(model);
    transfer.push(file.buffer as ArrayBuffer);
    reply = { ok: true, compiled: { head: headOf(model), file, ...(withModel && { model }), warnings, tuning, crossValidation, regression } };
  } catch (e) {
    reply = { ok: false, error: errorData(e) };
  }
  parentPort!.postMessage(reply, transfer);
});
