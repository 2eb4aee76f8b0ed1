import type { LookupOptions } from '../../engine/classifier.js';
import type { EntityLookup } from '../../engine/entity-lookup.js';
import type { StsEvent } from '../../engine/event/events.js';
import { checkLength, limitEvent } from '../../engine/event/limits.js';
import { round3 } from '../../engine/score/rounding.js';
import { stripUndefined } from '../../config.js';
import { StsError } from '../../errors.js';
import type { ModelHead } from '../../model/model-head.js';
import type { ClassifierFactory, ServedClassifier } from '../served-classifier.js';
import type { ClassifyPool } from './classify-pool.js';

/**
 * A job with less time left than this is answered timeLimit at once: a timer cannot fire sooner,
 * and a thread could not answer it in time (the last texts of a batch whose time is spent).
 */
const LEAST_THREAD_MS = 1;

/** Releases a model from the pool once no classifier of it is left (the registry evicted or replaced it). */
const released = new FinalizationRegistry<{ pool: ClassifyPool; key: string }>(({ pool, key }) => pool.release(key));

/** The registry's classifiers when the server classifies in a pool (STS_CLASSIFY_THREADS > 0). */
export function pooledClassifiers(pool: ClassifyPool): ClassifierFactory {
  return (head, { file }) => pooledClassifier(pool, head, file);
}

/**
 * A model's classifier whose work runs in the pool: the job runs in a thread, and past the
 * deadline the answer is made here (a timeLimit event; for a lookup, no entities and timedOut),
 * whatever the thread is doing. Only what this thread acts on is checked here (the deadline, and
 * no AbortSignal); the other options are checked by the thread's engine (a bad one rejects with
 * its invalid_settings). The routes check them all at the edge: a third parse here is garbage the
 * event loop's collections would carry (docs/experiments.md, "What survived the young generation").
 */
export function pooledClassifier(pool: ClassifyPool, model: Pick<ModelHead, 'id' | 'settings'>, file: Uint8Array): ServedClassifier {
  const key = model.id;
  pool.retain(key, file);
  const classifier: ServedClassifier = {
    classify(text, options = {}) {
      const { signal, ...plain } = options;
      const timeLimit = plain.timeLimit ?? model.settings.timeLimit;
      const refusal = refused('a classification', signal, timeLimit);
      if (refusal) return Promise.reject(refusal);
      const late = (elapsedMs: number): StsEvent => ({
        ...limitEvent('timeLimit', { kind: 'time', max: timeLimit, actual: elapsedMs }, model.id),
        elapsedMs: round3(elapsedMs),
      });
      if (timeLimit > 0 && timeLimit < LEAST_THREAD_MS) {
        // A length limit is decided before any time is spent, as the engine decides it.
        const over = typeof text === 'string' ? checkLength(text, { ...model.settings, ...stripUndefined(plain) }) : undefined;
        return Promise.resolve(over ? { ...limitEvent('lengthLimit', over, model.id), elapsedMs: 0 } : late(0));
      }
      return pool.run<StsEvent>(key, 'classify', text, plain, timeLimit, late);
    },
    lookupEntities(text, options: LookupOptions = {}) {
      const timeLimit = options.timeLimit ?? model.settings.timeLimit;
      const refusal = refused('an entity lookup', options.signal, timeLimit);
      if (refusal) return Promise.reject(refusal);
      const late = (): EntityLookup => ({ entities: [], overLimit: false, timedOut: true });
      if (timeLimit > 0 && timeLimit < LEAST_THREAD_MS) return Promise.resolve(late());
      return pool.run<EntityLookup>(key, 'lookup', text, { timeLimit }, timeLimit, late);
    },
  };
  released.register(classifier, { pool, key });
  return classifier;
}

/**
 * Why the pool cannot take a job (`what`: "a classification", "an entity lookup"), or undefined:
 * an AbortSignal cannot be sent to a thread, and the deadline, which this thread keeps, must be
 * 0 (none) or a positive number of ms, as the engine's options allow.
 */
function refused(what: string, signal: unknown, timeLimit: unknown): StsError | undefined {
  if (signal !== undefined) return new StsError('invalid_settings', `${what} in the classify pool cannot take an AbortSignal`);
  if (typeof timeLimit === 'number' && timeLimit >= 0) return undefined;
  return new StsError('invalid_settings', `timeLimit must be a number of ms, 0 or more (0: none), got ${String(timeLimit)}`, [{ path: 'timeLimit', message: 'a number, 0 or more' }]);
}
