import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { ModelRegression } from '../engine/probability/model-regression.js';
import { StsError } from '../errors.js';
import type { ModelHead } from '../model/model-head.js';
import type { Model } from '../model/model-schema.js';
import type { CrossValidation } from '../model/cross-validate.js';
import type { ProbabilityTuning } from '../model/tune-probability.js';
import { errorFromData, type ErrorData } from './error-data.js';
import { isRawBody, type Upload } from './upload-source.js';

/**
 * A compiled upload: what compileUpload() gives (the regression when the model's settings use it), or,
 * from the compile worker, the model's head and its file's bytes (modelFileBytes(), transferred,
 * not copied), and the model only when asked for: a server that classifies in threads would
 * receive it whole on its event loop, every phrase and posting of it, for nothing; its file as
 * text, a copy of tens of megabytes for the largest.
 */
export type CompiledUpload = {
  warnings: string[];
  tuning?: ProbabilityTuning;
  crossValidation?: CrossValidation;
  regression?: ModelRegression;
} & ({ model: Model } | { head: ModelHead; file: Uint8Array; model?: Model });

/** What the compile worker is sent (compile-worker.ts). */
export interface WorkerRequest {
  upload: Upload;
  /** Send the model too (a server that classifies on its event loop prepares it there). */
  withModel: boolean;
}

/** What the compile worker posts back (compile-worker.ts). */
export type WorkerReply =
  | { ok: true; compiled: CompiledUpload }
  | { ok: false; error: ErrorData };

export interface OffThreadCompilerOptions {
  /** The worker's script; default compile-worker.js beside this file (the built dist/, not the TypeScript sources). */
  workerUrl?: URL;
  /** Heap limits of each worker (node:worker_threads); default Node's. A source that needs more is refused. */
  resourceLimits?: ResourceLimits;
  /** A compile still running after this many ms is stopped and refused (default 5 minutes: far past any source within the body limit). */
  timeoutMs?: number;
  /** Send the compiled model to this thread, not only its head and file (default false). */
  withModel?: boolean;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/**
 * Compiles uploaded sources in a worker thread, so an upload does not stop the server from
 * answering: compiling CLINC150's 15,000 phrases with `preset: accurate` and training its
 * regression takes seconds (npm run bench:upload), and would otherwise hold the event loop all
 * that time. One worker per upload (starting one costs far less than a compile, and its memory
 * is freed with it), one upload at
 * a time (a second waits), so uploads cannot crowd out classification on a small machine; a
 * worker that runs out of memory or time fails that upload only.
 */
export class OffThreadCompiler {
  /** Settles when the upload before has: the next one starts then. Holds no result (a model can weigh tens of MB). */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: OffThreadCompilerOptions = {}) {}

  compile(upload: Upload): Promise<CompiledUpload> {
    const run = this.queue.then(() => this.inWorker(upload));
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private inWorker(upload: Upload): Promise<CompiledUpload> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(this.options.workerUrl ?? new URL('./compile-worker.js', import.meta.url), { resourceLimits: this.options.resourceLimits });
      const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      let settled = false;
      const settle = (done: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        done();
        void worker.terminate();
      };
      const timer = setTimeout(
        () => settle(() => reject(new StsError('payload_too_large', `compiling the source took longer than ${timeoutMs / 1000} s and was stopped; upload a smaller model`))),
        timeoutMs,
      );
      worker.once('message', (reply: WorkerReply) => settle(() => (reply.ok ? resolve(reply.compiled) : reject(replyError(reply.error)))));
      worker.once('error', (e: unknown) => settle(() => reject(workerError(e))));
      worker.once('exit', (code) => settle(() => reject(new Error(`the compile worker stopped (exit code ${code}) without an answer`))));
      try {
        worker.postMessage({ upload, withModel: this.options.withModel ?? false } satisfies WorkerRequest, ownBuffer(upload));
      } catch (e) {
        settle(() => reject(e));
      }
    });
  }
}

/**
 * A raw upload's buffer, to transfer rather than copy on the event loop, when the body is all of
 * it: a small one is a view into Node's shared pool of buffers, which a transfer would take away.
 */
function ownBuffer(upload: Upload): ArrayBuffer[] {
  if (!isRawBody(upload)) return [];
  const { body } = upload;
  if (!(body.buffer instanceof ArrayBuffer)) return [];
  return body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? [body.buffer] : [];
}

/** The worker's error as the caller would have got it compiling in its own thread. */
function replyError(error: ErrorData): Error {
  return errorFromData(error, (message) => new Error(`compile worker: ${message}`));
}

/** What the worker threw past its own handler (anything may be thrown), or Node's out-of-memory error. */
function workerError(e: unknown): Error {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new StsError('payload_too_large', 'compiling the source ran out of memory (the compile worker reached its heap limit); upload a smaller model', [], { cause: e });
  }
  return new Error(`the compile worker failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}
