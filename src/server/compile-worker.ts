import { parentPort } from 'node:worker_threads';
import { regressionBuffers } from '../engine/probability/trained-regression.js';
import { compile } from '../model/compile-source.js';
import { modelFileText } from '../model/io.js';
import type { IntentsFileInput } from '../model/source-schema.js';
import type { WorkerReply } from './off-thread-compiler.js';
import { errorData } from './error-data.js';

/**
 * The compile worker (off-thread-compiler.ts): compiles one uploaded source (with the model's
 * probabilityWeight regression when its settings use it), writes the model file's JSON,
 * and posts them back, the regression's arrays transferred rather than copied. An error is
 * posted as data: StsErrors by code, message and details, anything else by its stack.
 */
parentPort!.once('message', (source: IntentsFileInput) => {
  let reply: WorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const { model, warnings, tuning, crossValidation, regression } = compile(source);
    // The model stores the regression as text too: the arrays spare the main thread decoding it.
    if (regression) transfer = regressionBuffers(regression);
    // The file's JSON is made here too: for a large model that is a long step the event loop is spared.
    reply = { ok: true, compiled: { model, warnings, tuning, crossValidation, regression, fileText: modelFileText(model) } };
  } catch (e) {
    reply = { ok: false, error: errorData(e) };
  }
  parentPort!.postMessage(reply, transfer);
});
