import { StsError } from './errors.js';

/**
 * Resumable work: a generator that yields where it may pause (when Budget.pause() says the
 * slice is over) and returns its result. `yield*` runs a stage inside another; runToEnd() runs
 * one without pausing (the sync API).
 */
export type Steps<T> = Generator<void, T, void>;

/** What ran out: the deadline, or the request's allowance of regular-expression work. */
export type BudgetKind = 'time' | 'regex';

/** Thrown by a Budget's checks when the work must stop; the classification answers with a timeLimit event. */
export class OutOfBudget extends Error {
  override readonly name = 'OutOfBudget';
  constructor(
    readonly kind: BudgetKind,
    /** The limit that was passed (ms) and what was used when it was noticed. */
    readonly max: number,
    readonly actual: number,
  ) {
    super(`out of budget: ${kind} (${actual} of ${max} ms)`);
  }
}

/** How many tick() calls go between two looks at the clock: a tick marks work of a microsecond or less. */
const TICKS_PER_LOOK = 64;

export interface BudgetOptions {
  /** Milliseconds clock (performance.now by default; tests inject one). */
  now?: () => number;
  /** When the work started (default: now). */
  start?: number;
  /** How long it may take (ms); Infinity or 0: no deadline. */
  timeLimit?: number;
  /** The caller's cancel signal: an aborted signal stops the work with StsError('aborted'). */
  signal?: AbortSignal;
  /** Milliseconds of regular-expression matching the work may spend (default Infinity). */
  regexMs?: number;
}

/**
 * The time one piece of work may take, handed to every stage and loop of it: request analysis,
 * entity and regex scans, pattern matching, the search. Each looks at it as it goes:
 *
 * - check() where one step of work is large (a regex run, a pattern, a phrase bound): it reads
 *   the clock and throws OutOfBudget once the deadline has passed;
 * - tick() in tight loops: it counts, and checks every TICKS_PER_LOOK calls;
 * - pause() in generator stages (Steps), between steps that can resume: true once the slice
 *   the scheduler gave (`pauseAt`) is over, so the stage yields and other work runs.
 *
 * A stage added later (a new kind of word match, a new feature of the regression) takes the
 * budget as a parameter and calls one of these in each of its loops; a loop that can run for
 * more than about a millisecond must, or it delays the answer and every other request.
 */
export class Budget {
  readonly start: number;
  /** Clock value past which the work is out of time (Infinity: no deadline). */
  readonly deadline: number;
  /** Clock value at which the current slice ends: pause() turns true (beginSlice sets it; Infinity: never pause). */
  private pauseAt = Infinity;
  /** No pause point has been passed in this slice yet. */
  private fresh = true;
  private readonly now: () => number;
  private readonly timeLimit: number;
  private readonly signal?: AbortSignal;
  private readonly regexMs: number;
  private regexSpent = 0;
  private ticks = 0;

  constructor(options: BudgetOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.start = options.start ?? this.now();
    this.timeLimit = options.timeLimit ?? 0;
    this.deadline = this.timeLimit > 0 ? this.start + this.timeLimit : Infinity;
    this.signal = options.signal;
    this.regexMs = options.regexMs ?? Infinity;
  }

  /** No deadline, no allowance, no signal: for work that has no request behind it (compiling a model). */
  static unlimited(): Budget {
    return new Budget({ now: () => 0 });
  }

  /** The clock, as the budget reads it. */
  clock(): number {
    return this.now();
  }

  /** Starts a slice of work that may go on until the clock reads `until`. Its first pause point does not pause: each slice makes progress. */
  beginSlice(until: number): void {
    this.pauseAt = until;
    this.fresh = true;
  }

  /** Throws StsError('aborted') when the caller's signal fired. */
  checkSignal(): void {
    if (this.signal?.aborted) throw new StsError('aborted', 'classification aborted by the caller');
  }

  /** Throws OutOfBudget when the deadline has passed, StsError('aborted') when the signal fired; returns the clock. */
  check(): number {
    this.checkSignal();
    const now = this.now();
    if (now > this.deadline) throw new OutOfBudget('time', this.timeLimit, now - this.start);
    return now;
  }

  /** One small unit of work done: check() every TICKS_PER_LOOK calls. */
  tick(): void {
    if (++this.ticks % TICKS_PER_LOOK === 0) this.check();
  }

  /** check(), then whether the slice is over: a Steps stage yields when it is. */
  pause(): boolean {
    return this.due(this.check());
  }

  /** Whether the slice is over at clock value `now` (false at the slice's first pause point). */
  due(now: number): boolean {
    if (this.fresh) {
      this.fresh = false;
      return false;
    }
    return now >= this.pauseAt;
  }

  /** Charges `ms` of regular-expression matching; throws OutOfBudget('regex') once the allowance is spent. */
  chargeRegex(ms: number): void {
    this.regexSpent += ms;
    if (this.regexSpent > this.regexMs) throw new OutOfBudget('regex', this.regexMs, this.regexSpent);
  }
}

/** Runs resumable work to its end without pausing; its pause points still check the budget. */
export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
