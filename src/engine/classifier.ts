import { z } from 'zod';
import { Budget } from '../budget.js';
import type { CallSettings } from '../call-options.js';
import { CallOverride, stripUndefined, type Settings } from '../config.js';
import { StsError, fromZodError } from '../errors.js';
import type { Model } from '../model/model-schema.js';
import { Classification } from './classify.js';
import type { FoundEntity, StsEvent } from './event/events.js';
import { checkLength } from './event/limits.js';
import type { ModelRegression } from './probability/model-regression.js';
import type { VectorTable } from '../text/vectors.js';
import { entityLookupJob, type EntityLookup } from './entity-lookup.js';
import { PreparedModel } from './prepare/prepared-model.js';
import { Scheduler, sharedScheduler, type Job } from './scheduler.js';

/** Per-call options: any setting but the preset and the compile-only ones (config.ts CallOverride), plus explain and an AbortSignal. */
export const ClassifyOptions = CallOverride.extend({
  /** Include the alignment of the best phrase (default true). */
  explain: z.boolean().optional(),
  /**
   * Only the alternatives scoring above the threshold are wanted, as Caila lists its variants
   * (default false): the search stops once no other intent can score above it, which with
   * nBest > 1 is far sooner. Alternatives at or below the threshold are left out, so a noMatch
   * has none, and score 0.
   */
  onlyAboveThreshold: z.boolean().optional(),
  /** Aborting it ends the classification: it throws (or `classify()` rejects with) StsError `aborted`. */
  signal: z.instanceof(AbortSignal).optional(),
});
/** The schema's type, with the per-call settings' TSDoc (call-options.ts) for an editor to show. */
export type ClassifyOptions = CallSettings & Omit<z.input<typeof ClassifyOptions>, keyof CallSettings>;

export interface ClassifierOptions {
  /** Milliseconds clock; inject a fake one to make timeLimit tests exact. Default: performance.now. */
  now?: () => number;
  /**
   * How long the async API computes in one turn of the event loop before letting other work run
   * (ms): a scheduler of its own for this classifier. Default: the process's shared scheduler
   * (engine/scheduler.ts), which shares its turns among every classifier.
   */
  sliceMs?: number;
  /**
   * Milliseconds of entity regular-expression work one request may spend (DEFAULT_REGEX_MS);
   * past it the answer is a timeLimit event whose limit kind is `regex`.
   */
  regexMs?: number;
  /**
   * The model's probabilityWeight regression as arrays: what compile() gives as `regression`,
   * or a classifier of this model as trainedRegression() (the server's compile worker hands
   * them over, so the main thread need not decode the model's stored copy). One trained for
   * another model is refused (StsError invalid_input). Default: the one the model stores, else
   * trained here when the model's settings use it.
   */
  regression?: ModelRegression;
  /**
   * The word-vector table the model was compiled with (model.vectors names it), required for
   * such a model. The package's createClassifier passes its own (lexicons.ts).
   */
  vectors?: VectorTable;
}

export interface Classifier {
  readonly model: Model;
  /** Classifies without yielding to the event loop; the deadline is still checked while scoring. */
  classifySync(text: string, options?: ClassifyOptions): StsEvent;
  /** Classifies in slices, so timers, other requests and the AbortSignal are served meanwhile. */
  classify(text: string, options?: ClassifyOptions): Promise<StsEvent>;
  /**
   * The probabilityWeight regression's weights (trained now if the model's settings have not
   * needed them), for ClassifierOptions.regression. They are this classifier's own arrays: to
   * transfer their buffers to another thread, stop using this classifier first.
   */
  trainedRegression(): ModelRegression;
  /**
   * The entities of a text as classifying it finds them, without classifying it (Caila's
   * entity lookup): none when the text is over the model's lengthLimit or wordLimit
   * (`overLimit`), or when the deadline (`timeLimit`, default the model's) passes first
   * (`timedOut`). In slices, as classify() is.
   */
  lookupEntities(text: string, options?: LookupOptions): Promise<EntityLookup>;
  /** lookupEntities without yielding to the event loop; the deadline is still checked. */
  lookupEntitiesSync(text: string, options?: LookupOptions): EntityLookup;
}

/** Options of an entity lookup: its deadline (ms; 0 = none; default the model's timeLimit) and a cancel signal. */
export interface LookupOptions {
  /** Deadline in milliseconds; past it the lookup finds no more entities. 0: none (default the model's timeLimit). */
  timeLimit?: number;
  /** Aborting it ends the lookup with StsError `aborted`. */
  signal?: AbortSignal;
}

/**
 * Milliseconds of entity regular-expression matching one request may spend by default: ordinary
 * patterns take microseconds each, and no pattern a model may hold takes over MAX_REGEX_COST_MS
 * on a worst-case text (entities/regex-cost.ts), so only a model of many costly patterns on a
 * text made to slow them reaches it.
 */
export const DEFAULT_REGEX_MS = 20;

export function createClassifier(model: Model, options: ClassifierOptions = {}): Classifier {
  const pm = new PreparedModel(model, options.regression, options.vectors);
  const now = options.now ?? (() => performance.now());
  const scheduler = options.sliceMs === undefined && options.now === undefined ? sharedScheduler : new Scheduler(now, options.sliceMs);
  const regexMs = options.regexMs ?? DEFAULT_REGEX_MS;
  /** The settings of a call, by its parsed options. */
  const merged = new WeakMap<object, Settings>();

  const begin = (text: unknown, opts: ClassifyOptions | undefined) => {
    checkText(text);
    // A server passes the time left of each request, a new number every time: checked on its own,
    // so that the rest of the options still find their parse and settings in the caches.
    const timeLimit = opts?.timeLimit;
    const timed = typeof timeLimit === 'number' && ClassifyOptions.shape.timeLimit.safeParse(timeLimit).success;
    const { parsed, shared } = parseOptions(timed ? { ...opts, timeLimit: undefined } : opts);
    let settings = merged.get(parsed);
    if (!settings) {
      const { explain: _e, signal: _s, onlyAboveThreshold: _o, ...overrides } = parsed;
      settings = { ...model.settings, ...stripUndefined(overrides) };
      if (shared) merged.set(parsed, settings); // the same parse comes back for the same options: so do these settings
    }
    if (timed) settings = { ...settings, timeLimit };
    return new Classification(pm, text, settings, { now, signal: parsed.signal, explain: parsed.explain ?? true, onlyAboveThreshold: parsed.onlyAboveThreshold ?? false, regexMs });
  };
  const lookup = (text: unknown, opts: LookupOptions = {}): Job<EntityLookup> => {
    checkText(text);
    const timeLimit = opts.timeLimit ?? model.settings.timeLimit;
    if (!(timeLimit >= 0)) throw new StsError('invalid_settings', `timeLimit must be a number of milliseconds ≥ 0, got ${String(opts.timeLimit)}`);
    return entityLookupJob(pm, text, model.settings, new Budget({ now, timeLimit, signal: opts.signal, regexMs }));
  };

  return {
    model,
    trainedRegression: () => pm.trainedRegression(),
    lookupEntities(text, opts) {
      try {
        return scheduler.run(lookup(text, opts), pm);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    lookupEntitiesSync(text, opts) {
      const step = lookup(text, opts).step(Infinity);
      if (!step.done) throw new Error('unreachable: an unbounded step always finishes');
      return step.value;
    },
    classifySync(text, opts) {
      const job = begin(text, opts);
      const step = job.step();
      if (!step.done) throw new Error('unreachable: an unbounded step always finishes');
      return step.event;
    },
    classify(text, opts) {
      let job: Classification;
      try {
        job = begin(text, opts);
      } catch (e) {
        return Promise.reject(e);
      }
      return scheduler.run<StsEvent>({
        deadline: job.deadline,
        step: (until) => {
          const step = job.step(until);
          return step.done ? { done: true, value: step.event } : { done: false };
        },
      }, pm);
    },
  };
}

/** A caller from plain JavaScript may pass anything as the text. */
function checkText(text: unknown): asserts text is string {
  if (typeof text !== 'string') throw new StsError('invalid_input', `text must be a string, got ${text === null ? 'null' : typeof text}`);
}

/** Parsed options by their content, for options made of plain values (most calls repeat a few). */
const parsedCache = new Map<string, Readonly<z.output<typeof ClassifyOptions>>>();
const PARSED_CACHE_SIZE = 64;

const NO_OPTIONS = Object.freeze({});

/** The parsed options; `shared` when the same (frozen) object is returned for equal options. */
function parseOptions(opts: ClassifyOptions | undefined): { parsed: Readonly<z.output<typeof ClassifyOptions>>; shared: boolean } {
  if (opts === undefined) return { parsed: NO_OPTIONS, shared: true };
  const key = plainKey(opts);
  const hit = key === undefined ? undefined : parsedCache.get(key);
  if (hit) return { parsed: hit, shared: true };
  const parsed = ClassifyOptions.safeParse(opts);
  if (!parsed.success) {
    throw fromZodError('invalid_settings', 'invalid classify options', parsed.error);
  }
  if (key === undefined) return { parsed: parsed.data, shared: false };
  if (parsedCache.size >= PARSED_CACHE_SIZE) parsedCache.delete(parsedCache.keys().next().value!);
  const frozen = Object.freeze(parsed.data);
  parsedCache.set(key, frozen);
  return { parsed: frozen, shared: true };
}

/** A key for an options object whose values are all numbers, booleans or strings (else undefined: parse it every time). */
function plainKey(opts: object): string | undefined {
  if (typeof opts !== 'object' || opts === null || Object.getPrototypeOf(opts) !== Object.prototype) return undefined;
  let key = '';
  for (const [k, v] of Object.entries(opts)) {
    const t = typeof v;
    if (t !== 'number' && t !== 'boolean' && t !== 'string' && v !== undefined) return undefined;
    key += `${JSON.stringify(k)}:${t === 'string' ? JSON.stringify(v) : String(v)},`;
  }
  return key;
}
