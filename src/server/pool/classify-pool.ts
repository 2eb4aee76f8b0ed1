import { Worker } from 'node:worker_threads';
import { StsError } from '../../errors.js';
import type { ErrorData, FromWorker, JobKind, ToWorker } from './messages.js';
import { errorFromData } from '../error-data.js';
import { IdTable } from '../id-table.js';
import { MAX_TIMER_MS } from '../time-cap.js';
import type { ModelHead } from '../../model/model-head.js';

export interface ClassifyPoolOptions {
  /** Classify threads (at least 1). */
  threads: number;
  /** The threads' script; default pool-worker.js beside this file (the built dist/). */
  workerUrl?: URL;
  /** A thread still on a job this long after the job's deadline is stuck: it is ended and replaced (ms). */
  killGraceMs?: number;
  /** Told when a stuck thread is ended (the server logs it). */
  onStuck?: (message: string) => void;
}

/** Long enough that a thread ended for overstaying is stuck, not merely slow or collecting garbage. */
const KILL_GRACE_MS = 1000;
/** A thread that dies before it started is replaced after this long, not at once. */
const RESPAWN_DELAY_MS = 1000;

interface Job {
  id: number;
  key: string;
  kind: JobKind;
  text: string;
  options: Record<string, unknown>;
  /** Epoch ms the thread is told (it measures what is left when it starts); Infinity: none. */
  deadlineAt: number;
  settled: boolean;
  settle(outcome: { value: unknown } | { error: ErrorData }): void;
  timer?: NodeJS.Timeout;
  /** The number of the last load posted to its thread before it: the loads it waits behind. */
  after?: number;
}

interface Slot {
  worker: Worker;
  online: boolean;
  /** Models loaded (or being loaded) in this thread, by key: a thread handles its messages in order. */
  keys: Set<string>;
  /**
   * The keys of the loads posted to it and not answered yet, in the order posted (a thread
   * answers in order; a key may be loaded again, its file replaced): a thread preparing a model
   * a job waits behind is busy, not stuck.
   */
  pendingLoads: string[];
  /** Loads posted to it so far: the number of the last one (firstPendingLoad() gives the oldest not answered). */
  posted: number;
  /** Jobs it holds, by id. */
  jobs: IdTable<Job>;
  /** Preloads whose callers wait for the model's head, by the number of their load. */
  heads: Map<number, HeadWaiter>;
}

/** A preload's caller, told the model's head, or the thread's reason for refusing the file, or undefined if the thread ended first. */
interface HeadWaiter {
  resolve(head: ModelHead | undefined): void;
  reject(e: Error): void;
}

/**
 * Classification in worker threads, so that no request can hold the event loop that answers
 * the others: the main thread parses requests and writes answers; each job (a classification,
 * an entity lookup) goes at once to the thread that holds the fewest, whose scheduler shares
 * its turns among them (a tenant's slow requests cannot hold up another's), and its answer is
 * given at its deadline whatever the thread does (`late()` makes it: a timeLimit event). A
 * thread still holding a job KILL_GRACE_MS after its deadline is stuck (its event loop is held):
 * it is ended and replaced; the engine's budget makes that rare. The threads also collect their
 * own garbage: the heap that holds the prepared models is not the one whose pauses would delay
 * the answers.
 *
 * Models are loaded into a thread from their file (its bytes) before its first job of theirs
 * (retain() gives the file; release() drops it from every thread). One pool per server process:
 * with `--workers N`, each process has its own.
 */
export class ClassifyPool {
  private readonly slots: Slot[] = [];
  /** Jobs that came before any thread was online. */
  private readonly waiting: Job[] = [];
  /** Retained models by key; `checked` once a holder that checked the file retained it (a preload's file is not checked yet). */
  private readonly models = new Map<string, { file: Uint8Array; refs: number; checked: boolean }>();
  private nextId = 0;
  private closed = false;
  /** Threads ended because they overstayed a deadline (for metrics and tests). */
  stuck = 0;
  /** Threads started, the first ones and their replacements (for tests). */
  started = 0;

  constructor(private readonly options: ClassifyPoolOptions) {
    if (!(options.threads >= 1)) throw new Error(`a classify pool needs at least one thread, got ${options.threads}`);
    for (let i = 0; i < options.threads; i++) this.spawn();
  }

  /** Threads alive (for tests and metrics). */
  get threads(): number {
    return this.slots.length;
  }

  /** Makes a model (its checked file) available to the threads under `key`, its id; each retain() needs a release(). */
  retain(key: string, file: Uint8Array): void {
    const known = this.models.get(key);
    if (!known) return void this.models.set(key, { file, refs: 1, checked: true });
    known.refs++;
    if (known.checked) return;
    known.checked = true;
    // The same bytes (another name's copy of the model) are as good as checked.
    if (known.file === file || Buffer.compare(known.file, file) === 0) return;
    // A preload's file, not checked, and not this one (another file that says it is this model):
    // no thread keeps what it made of it; the next job loads this file.
    known.file = file;
    for (const slot of this.slots) if (slot.keys.delete(key)) this.post(slot, { type: 'drop', key });
  }

  /**
   * Holds a model whose file is not checked yet (each preload() needs a release()) and, if no
   * retained model has its key, loads it now into a thread with nothing to do, which its first
   * job will prefer. That thread checks the file as it prepares it, and the promise returned then
   * gives the model's head (or rejects with why the file is refused), so the caller need not
   * check it elsewhere: a cold model's file is parsed and checked once. Undefined when no thread
   * is idle (the caller checks the file; the thread that takes its first job prepares it); the
   * promise gives undefined if the thread ends before it answers. A thread refuses a file that
   * is not the model of its key; only a thread holding no job is given one, so no job waits
   * behind a file that would be refused.
   */
  preload(key: string, file: Uint8Array): Promise<ModelHead | undefined> | undefined {
    const known = this.models.get(key);
    if (known) return void known.refs++;
    this.models.set(key, { file, refs: 1, checked: false });
    const idle = this.slots.find((s) => s.online && s.jobs.size === 0 && s.pendingLoads.length === 0);
    if (!idle) return undefined;
    this.load(idle, key, true);
    const head = new Promise<ModelHead | undefined>((resolve, reject) => idle.heads.set(idle.posted, { resolve, reject }));
    head.catch(() => undefined); // a caller that does not wait for the head does not make its refusal unhandled
    return head;
  }

  /** The model is no longer served under `key` by this caller: once no caller serves it, every thread forgets it. */
  release(key: string): void {
    const known = this.models.get(key);
    if (!known || --known.refs > 0) return;
    this.models.delete(key);
    for (const slot of this.slots) if (slot.keys.delete(key)) this.post(slot, { type: 'drop', key });
  }

  /**
   * Runs a job; resolves with the thread's answer, or with `late(elapsedMs)` once `timeLimit` ms
   * have passed (0: no deadline). Rejects with the thread's error (an StsError keeps its code).
   */
  run<T>(key: string, kind: JobKind, text: string, options: Record<string, unknown>, timeLimit: number, late: (elapsedMs: number) => T): Promise<T> {
    if (this.closed) return Promise.reject(new StsError('shutting_down', 'the server is shutting down'));
    if (!this.models.has(key)) return Promise.reject(new Error(`model ${key} is not retained by the pool`));
    return new Promise<T>((resolve, reject) => {
      const start = performance.now();
      const job: Job = {
        id: this.nextId++,
        key,
        kind,
        text,
        options,
        deadlineAt: timeLimit > 0 ? performance.timeOrigin + start + timeLimit : Infinity,
        settled: false,
        settle: (outcome) => {
          if (job.settled) return;
          job.settled = true;
          clearTimeout(job.timer);
          if ('value' in outcome) resolve(outcome.value as T);
          else reject(errorOf(outcome.error));
        },
      };
      // A deadline no timer can wait for (over 24 days) is the thread's alone.
      if (timeLimit > 0 && timeLimit <= MAX_TIMER_MS) {
        job.timer = setTimeout(() => {
          job.settle({ value: late(performance.now() - start) });
          this.watch(job.id);
        }, timeLimit);
      }
      this.send(job);
    });
  }

  /** Ends the threads; jobs not answered yet are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const refused = { error: { code: 'shutting_down' as const, message: 'the server is shutting down' } };
    for (const job of this.waiting.splice(0)) job.settle(refused);
    for (const slot of this.slots) for (const job of slot.jobs.values()) job.settle(refused);
    for (const slot of this.slots) for (const waiter of slot.heads.values()) waiter.resolve(undefined);
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  /** Hands a job to the online thread that holds the fewest, loading its model there first if needed. */
  private send(job: Job): void {
    const slot = this.leastBusy(job.key);
    if (!slot) {
      // No thread has started yet (or none can): jobs answered meanwhile by their deadlines go.
      if (this.waiting.length > 0 && this.waiting[0]!.settled) this.waiting.splice(0, this.waiting.length, ...this.waiting.filter((j) => !j.settled));
      return void this.waiting.push(job);
    }
    if (!slot.keys.has(job.key) && !this.load(slot, job.key)) return job.settle({ error: { message: `model ${job.key} is not retained by the pool` } });
    try {
      this.post(slot, { type: 'job', id: job.id, key: job.key, kind: job.kind, text: job.text, options: job.options, deadlineAt: job.deadlineAt });
    } catch (e) {
      // An option that cannot be copied to a thread (a function): the caller's mistake, not a stuck thread.
      return job.settle({ error: { code: 'invalid_settings', message: `the options cannot be sent to a classify thread: ${e instanceof Error ? e.message : String(e)}` } });
    }
    job.after = slot.posted;
    slot.jobs.set(job.id, job);
  }

  /** The online thread that holds the fewest jobs; of those, one that holds the model of `key` (loaded, or loading). */
  private leastBusy(key: string): Slot | undefined {
    let slot: Slot | undefined;
    for (const s of this.slots) {
      if (!s.online) continue;
      if (!slot || s.jobs.size < slot.jobs.size || (s.jobs.size === slot.jobs.size && s.keys.has(key) && !slot.keys.has(key))) slot = s;
    }
    return slot;
  }

  /** Sends a retained model to a thread to load (before the jobs sent after it), asking for its head or not; false if it is not retained. */
  private load(slot: Slot, key: string, head = false): boolean {
    const model = this.models.get(key);
    if (!model) return false;
    slot.keys.add(key);
    slot.pendingLoads.push(key);
    slot.posted++;
    this.post(slot, { type: 'load', key, file: model.file, ...(head && { head }) });
    return true;
  }

  private spawn(): void {
    if (this.closed) return;
    this.started++;
    const worker = new Worker(this.options.workerUrl ?? new URL('./pool-worker.js', import.meta.url));
    const slot: Slot = { worker, online: false, keys: new Set(), pendingLoads: [], posted: 0, jobs: new IdTable(), heads: new Map() };
    this.slots.push(slot);
    worker.on('message', (message: FromWorker) => this.heard(slot, message));
    worker.on('error', () => undefined); // 'exit' follows: the slot is replaced there
    worker.on('exit', () => this.lost(slot));
  }

  private heard(slot: Slot, message: FromWorker): void {
    if (message.type === 'ready') {
      // Online once its script has run: Node's 'online' comes before, so a thread whose script
      // fails would count as started, and be replaced at once, again and again.
      slot.online = true;
      for (const job of this.waiting.splice(0)) if (!job.settled) this.send(job);
      return;
    }
    if (message.type === 'loaded') {
      const answered = firstPendingLoad(slot);
      slot.pendingLoads.shift();
      const waiter = slot.heads.get(answered);
      if (waiter) {
        slot.heads.delete(answered);
        if (message.error) waiter.reject(errorFromData(message.error, (m) => new Error(m)));
        else waiter.resolve(message.head);
      }
      // A file that failed: a preload's that its check refuses too, or (a bug) a checked one; a
      // job that came meanwhile fails in the thread ("not loaded"), the next one loads it again,
      // unless a newer load of the key is on its way. Loaded after a release: dropped again.
      if (message.error) {
        if (!slot.pendingLoads.includes(message.key)) slot.keys.delete(message.key);
      } else if (!this.models.has(message.key)) this.post(slot, { type: 'drop', key: message.key });
      return;
    }
    const job = slot.jobs.get(message.id);
    if (!job) return;
    slot.jobs.delete(message.id);
    job.settle(message.type === 'done' ? { value: message.value } : { error: message.error });
  }

  /** A thread ended (killed, or crashed): its jobs are answered by their deadlines, or now if they have none; a new thread takes its place. */
  private lost(slot: Slot): void {
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    this.slots.splice(at, 1);
    for (const job of slot.jobs.values()) if (job.deadlineAt === Infinity) job.settle({ error: { message: 'a classify thread stopped during the job' } });
    for (const waiter of slot.heads.values()) waiter.resolve(undefined);
    slot.heads.clear();
    if (slot.online) this.spawn();
    else setTimeout(() => this.spawn(), RESPAWN_DELAY_MS).unref();
  }

  /**
   * After a job's deadline: if its thread still holds it KILL_GRACE_MS later, the thread is
   * stuck, unless it is still preparing a model the job waits behind (a large one takes seconds,
   * and ending the thread would only make the next request load it again): the grace then starts
   * over. A load posted after the job (for a later job, or a preload) does not count: a thread
   * stuck on the job would never answer it.
   */
  private watch(id: number): void {
    // Only the id: the job (its text, options and promise) need not live on for the grace.
    setTimeout(() => {
      const slot = this.slots.find((s) => s.jobs.has(id));
      if (!slot) return;
      const firstPending = firstPendingLoad(slot);
      if (slot.pendingLoads.length > 0 && firstPending <= (slot.jobs.get(id)!.after ?? 0)) return this.watch(id);
      this.stuck++;
      this.options.onStuck?.(`a classify thread held a job ${this.options.killGraceMs ?? KILL_GRACE_MS} ms past its deadline without looking at the clock: ended and replaced`);
      this.lost(slot); // replaced now; 'exit' finds it gone
      void slot.worker.terminate();
    }, this.options.killGraceMs ?? KILL_GRACE_MS).unref();
  }

  private post(slot: Slot, message: ToWorker): void {
    slot.worker.postMessage(message);
  }
}

/** The number of the oldest load a thread has not answered yet: the one its next 'loaded' answers. */
function firstPendingLoad(slot: Slot): number {
  return slot.posted - slot.pendingLoads.length + 1;
}

function errorOf(e: ErrorData): Error {
  return errorFromData(e, (message) => new StsError('internal', 'internal error', [], { cause: new Error(message) }));
}
