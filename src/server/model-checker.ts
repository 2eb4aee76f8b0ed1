import { Worker } from 'node:worker_threads';
import type { Model } from '../model/model-schema.js';
import { errorFromData, type ErrorData } from './error-data.js';

/** A stored model file's text to check (check-worker.ts). */
export interface CheckRequest {
  id: number;
  text: string;
}

/** The checked model as JSON, or why the file is not a model this build serves. */
export type CheckReply = { id: number; ok: true; text: string } | { id: number; ok: false; error: ErrorData };

/**
 * Checks stored model files in a thread of its own. Checking a model (its schema, its patterns
 * and regexes, the hash of its content) takes tens of milliseconds even for a small model and a
 * hundred for CLINC150's, and a model is loaded on its first request, whenever a client names
 * it: on the event loop that would hold every other tenant's answers and health checks. The
 * classify threads, which prepare the model, check it again on their side. One thread, started
 * on the first check and replaced if it dies; it does not keep the process alive.
 */
export class ModelChecker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (model: Model) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor(private readonly workerUrl = new URL('./check-worker.js', import.meta.url)) {}

  /** The checked model, or the checkModel() error (an StsError keeps its code and details). */
  check(text: string): Promise<Model> {
    const id = this.nextId++;
    return new Promise<Model>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const worker = this.thread();
      worker.ref(); // a check in progress keeps the process alive; an idle thread does not
      worker.postMessage({ id, text } satisfies CheckRequest);
    });
  }

  async close(): Promise<void> {
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
      if (reply.ok) waiting.resolve(JSON.parse(reply.text) as Model);
      else waiting.reject(errorFromData(reply.error, (message) => new Error(message)));
    });
    worker.on('error', () => undefined); // 'exit' follows
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, waiting] of this.pending) {
        this.pending.delete(id);
        waiting.reject(new Error(`the model checker's thread stopped (exit code ${code})`));
      }
    });
    this.worker = worker;
    return worker;
  }
}
