import { Worker } from 'node:worker_threads';
import type { ModelHead } from '../model/model-head.js';
import type { Summariser } from '../store/folder-store.js';
import type { ModelSummary } from '../store/store.js';
import { summaryOfFile } from '../store/summary.js';
import { errorFromData, type ErrorData } from './error-data.js';

/** A stored model file to check or to summarise, or a loaded model's file to export as a Caila project (check-worker.ts). */
export type CheckRequest = Job & { id: number };

/** The answer as JSON text (the checked model's head, the summary or null, the Caila project), or why the file is not a model this build serves. */
export type CheckReply = { id: number; ok: true; text: string } | { id: number; ok: false; error: ErrorData };

/** A check of a stored model file, its summary, or a Caila export of a loaded one. */
type Job = { kind: 'check'; file: Uint8Array } | { kind: 'summary'; file: Uint8Array } | { kind: 'caila-export'; file: Uint8Array; name: string };

/**
 * Checks stored model files in a thread of its own. Checking a model (its schema, its patterns
 * and regexes, the hash of its content) takes tens of milliseconds even for a small model and a
 * hundred for CLINC150's, and a model is loaded on its first request, whenever a client names
 * it: on the event loop that would hold every other tenant's answers and health checks. The
 * classify threads, which prepare the model, check it again on their side and hold it: the event
 * loop gets only the model's head. Exports, which read every phrase, are written here too, and
 * so are the summaries a models folder lists, which parse the whole file. One
 * thread, started on the first job and replaced if it dies (failing only the job it was running);
 * it does not keep the process alive.
 */
export class ModelChecker {
  private worker: Worker | undefined;
  /** Jobs posted and not answered, oldest first: the thread answers them in that order, one at a time. */
  private readonly pending = new Map<number, { job: Job; resolve: (text: string) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private closed = false;

  constructor(private readonly workerUrl = new URL('./check-worker.js', import.meta.url)) {}

  /** The checked model's head, or the checkModel() error (an StsError keeps its code and details). */
  async check(file: Uint8Array): Promise<ModelHead> {
    return JSON.parse(await this.run({ kind: 'check', file })) as ModelHead;
  }

  /** What a store lists of a model file (summaryOfFile()), read without checking the model. */
  async summary(file: Uint8Array): Promise<ModelSummary | undefined> {
    return (JSON.parse(await this.run({ kind: 'summary', file })) as ModelSummary | null) ?? undefined;
  }

  /** A model file (one that was checked) as the JSON text of a Caila project export named `name`. */
  cailaExport(file: Uint8Array, name: string): Promise<string> {
    return this.run({ kind: 'caila-export', file, name });
  }

  private run(job: Job): Promise<string> {
    // A job that arrives at shutdown would start a thread nothing ends.
    if (this.closed) return Promise.reject(new Error("the model checker's thread is closed"));
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      this.pending.set(id, { job, resolve, reject });
      this.post(id, job);
    });
  }

  private post(id: number, job: Job): void {
    const worker = this.thread();
    worker.ref(); // a job in progress keeps the process alive; an idle thread does not
    worker.postMessage({ id, ...job } satisfies CheckRequest);
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerUrl);
    worker.on('message', (reply: CheckReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) waiting.resolve(reply.text);
      else waiting.reject(errorFromData(reply.error, (message) => new Error(message)));
    });
    worker.on('error', () => undefined); // 'exit' follows
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      // The job it was running failed (out of memory on that file, say); the jobs queued behind
      // it go to a new thread, or a summary would fail for another file's fault.
      const stopped = new Error(`the model checker's thread stopped (exit code ${code})`);
      const running = this.pending.keys().next().value;
      for (const [id, waiting] of this.pending) {
        if (id === running || this.closed) {
          this.pending.delete(id);
          waiting.reject(stopped);
        } else this.post(id, waiting.job);
      }
    });
    this.worker = worker;
    return worker;
  }
}

/** A model file up to this size is summarised on the event loop (well under a millisecond); a larger one in the checker's thread. */
export const SUMMARY_HERE_BYTES = 64 * 1024;

/** A models folder's summariser (folder-store.ts): a large file is parsed in the checker's thread, not on the event loop. */
export function folderSummariser(checker: Pick<ModelChecker, 'summary'>): Summariser {
  return (file) => (file.byteLength <= SUMMARY_HERE_BYTES ? summaryOfFile(file) : checker.summary(file));
}
