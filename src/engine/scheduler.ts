/** A piece of work the scheduler runs in slices (a classification, an entity lookup). */
export interface Job<T> {
  /** Works until the clock reads `until`, or until it is done (it answers itself once its deadline has passed). */
  step(until: number): { done: true; value: T } | { done: false };
  /** Clock value at which the job must answer (Infinity: none). */
  readonly deadline: number;
}

/** Work done in one turn of the event loop, at most (ms), before timers, sockets and other requests get theirs. */
export const DEFAULT_SLICE_MS = 2;

interface Entry {
  job: Job<unknown>;
  /** Whose job it is (a classifier: a model): turns go to groups in turn, then to their jobs. */
  group: object;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs the jobs of one process in turns, so that no request holds the event loop: in each turn
 * of the event loop it gives the jobs in progress, in turn, at most `sliceMs` of work between
 * them, then lets sockets and timers run. A job is stopped when another's deadline comes, and
 * the turn ends as soon as one finishes, so its answer (a timeLimit event once its deadline
 * has passed) leaves before more work is done. One scheduler serves every model of a process:
 * with one loop per request, n requests in flight would each take a slice per turn, and a
 * health check would wait n slices.
 *
 * Turns are shared among groups first (a classifier each, so a model: in the server, a tenant),
 * then among a group's jobs: a client that sends twenty slow requests at once gets one turn in
 * two, not twenty in twenty-one, while another model's request is waiting.
 */
export class Scheduler {
  private readonly queue: Entry[] = [];
  private scheduled = false;
  /** Steps taken, and the step at which each group last got one. */
  private steps = 0;
  private readonly lastServed = new WeakMap<object, number>();

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly sliceMs: number = DEFAULT_SLICE_MS,
  ) {}

  /** Jobs waiting or in progress. */
  get size(): number {
    return this.queue.length;
  }

  /**
   * Runs a job to its end; the promise settles with its value or its error. When no other job is
   * waiting, its first slice runs at once (on a microtask, so that an abort right after the call
   * is seen first): most requests finish in it, with no turn of the event loop to wait for.
   */
  run<T>(job: Job<T>, group: object = NO_GROUP): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Entry = { job, group, resolve: resolve as (value: unknown) => void, reject };
      if (this.queue.length > 0) return this.enqueue(entry);
      queueMicrotask(() => {
        if (this.queue.length > 0) return this.enqueue(entry);
        const done = this.step(entry, this.now() + this.sliceMs);
        if (!done) this.enqueue(entry);
      });
    });
  }

  private enqueue(entry: Entry): void {
    this.queue.push(entry);
    this.schedule();
  }

  /** Steps a job until `until`; true once it settled (its value, or its error). */
  private step(entry: Entry, until: number): boolean {
    this.lastServed.set(entry.group, ++this.steps);
    let step: ReturnType<Job<unknown>['step']>;
    try {
      step = entry.job.step(until);
    } catch (e) {
      entry.reject(e);
      return true;
    }
    if (step.done) entry.resolve(step.value);
    return step.done;
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.turn();
      this.schedule();
    });
  }

  /** One turn: steps the jobs (at least one), those due first, until the slice is over or one finishes. */
  private turn(): void {
    const end = this.now() + this.sliceMs;
    for (let first = true; ; first = false) {
      const now = this.now();
      if (this.queue.length === 0) return;
      // Whoever is due answers first; else the group the others waited longest for, and its job
      // that waited longest (the queue is in arrival order, rotated).
      let k = this.queue.findIndex((e) => e.job.deadline <= now);
      if (k < 0) {
        if (now >= end && !first) return;
        k = this.longestWaitingGroup();
      }
      const [entry] = this.queue.splice(k, 1) as [Entry];
      const others = this.queue.reduce((soonest, e) => Math.min(soonest, e.job.deadline), Infinity);
      if (this.step(entry, Math.min(end, others))) return; // its answer goes out before more work is done
      this.queue.push(entry);
    }
  }

  /** The first job of the group whose last step is oldest (a group never stepped first of all). */
  private longestWaitingGroup(): number {
    let best = 0;
    let bestServed = Infinity;
    for (let i = 0; i < this.queue.length; i++) {
      const served = this.lastServed.get(this.queue[i]!.group) ?? 0;
      if (served < bestServed) {
        best = i;
        bestServed = served;
      }
    }
    return best;
  }
}

/** The group of jobs run without one. */
const NO_GROUP = {};

/** The process's scheduler, shared by every classifier unless one is given another. */
export const sharedScheduler = new Scheduler();
