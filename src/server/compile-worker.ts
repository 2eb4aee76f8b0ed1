import { parentPort } from 'node:worker_threads';
import { regressionBuffers } from '../engine/probability/trained-regression.js';
import { compile } from '../model/compile-source.js';
import { modelFileText } from '../model/io.js';
import { headOf } from '../model/model-head.js';
import type { WorkerReply, WorkerRequest } from './off-thread-compiler.js';
import { errorData } from './error-data.js';

/**
 * The compile worker (off-thread-compiler.ts): compiles one uploaded source (with the model's
 * probabilityWeight regression when its settings use it), writes the model file's JSON,
 * and posts it back with the model's head (and the model, if asked), the regression's arrays
 * transferred rather than copied. An error is
 * posted as data: StsErrors by code, message and details, anything else by its stack.
 */
parentPort!.once('message', ({ source, withModel }: WorkerRequest) => {
  let reply: WorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const { model, warnings, tuning, crossValidation, regression } = compile(source);
    // The model stores the regression as text too: the arrays spare the main thread decoding it.
    if (regression) transfer = regressionBuffers(regression);
    // The file's JSON is made here too, and only the model's head goes with it: receiving or
    // writing a large model whole would be long steps of the event loop.
    reply = { ok: true, compiled: { head: headOf(model), fileText: modelFileText(model), ...(withModel && { model }), warnings, tuning, crossValidation, regression } };
  } catch (e) {
    reply = { ok: false, error: errorData(e) };
  }
  parentPort!.postMessage(reply, transfer);
});
