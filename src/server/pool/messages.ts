import type { EntityLookup } from '../../engine/entity-lookup.js';
import type { StsEvent } from '../../engine/event/events.js';
import type { ErrorData } from '../error-data.js';
import type { ModelHead } from '../../model/model-head.js';

/** What a classify thread's job asks: classify a text, or look up its entities, with one model. */
export type JobKind = 'classify' | 'lookup';

/** The main thread to a classify thread (classify-pool.ts → pool-worker.ts). */
export type ToWorker =
  /**
   * Parse and prepare a model from its file's bytes (copied, not transferred: the pool keeps them
   * for other threads), under `key`; with `head`, answer with the model's head too (a preload's,
   * which the event loop then need not have checked elsewhere).
   */
  | { type: 'load'; key: string; file: Uint8Array; head?: boolean }
  /** Forget a model. */
  | { type: 'drop'; key: string }
  /**
   * One job. `deadlineAt` is epoch milliseconds (performance.timeOrigin + now): the thread
   * measures what is left of it when it starts, however long the job waited.
   */
  | { type: 'job'; id: number; key: string; kind: JobKind; text: string; options: Record<string, unknown>; deadlineAt: number };

export type { ErrorData };

/** A classify thread to the main thread. */
export type FromWorker =
  /** Its script has loaded: it takes jobs (a thread whose script fails never says so). */
  | { type: 'ready' }
  | { type: 'loaded'; key: string; error?: ErrorData; head?: ModelHead }
  | { type: 'done'; id: number; value: StsEvent | EntityLookup }
  | { type: 'failed'; id: number; error: ErrorData };
