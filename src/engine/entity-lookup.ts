import { Budget, OutOfBudget, type Steps } from '../budget.js';
import type { Settings } from '../config.js';
import type { FoundEntity } from './event/events.js';
import { checkLength } from './event/limits.js';
import { foundEntities } from './event/slots.js';
import type { PreparedModel } from './prepare/prepared-model.js';
import { requestEntities } from './prepare/request.js';
import type { Job } from './scheduler.js';

/**
 * The entities of a text without classifying it (Caila's entity lookup): none when the text is
 * over the lengthLimit or wordLimit (`overLimit`), or when the lookup ran out of its budget
 * first (`timedOut`: the deadline, or the allowance of regex work).
 */
export interface EntityLookup {
  entities: FoundEntity[];
  overLimit: boolean;
  timedOut: boolean;
}

/** An entity lookup within a budget, resumable as the scheduler steps it. */
export function entityLookupJob(pm: PreparedModel, text: string, settings: Pick<Settings, 'lengthLimit' | 'wordLimit'>, budget: Budget): Job<EntityLookup> {
  let work: Steps<EntityLookup> | undefined;
  const run = function* (): Steps<EntityLookup> {
    return { entities: foundEntities(yield* requestEntities(pm, text, budget)), overLimit: false, timedOut: false };
  };
  return {
    deadline: budget.deadline,
    step(until) {
      budget.beginSlice(until);
      try {
        budget.checkSignal();
        if (work === undefined) {
          if (checkLength(text, settings)) return { done: true, value: { entities: [], overLimit: true, timedOut: false } };
          work = run();
        }
        budget.check();
        const next = work.next();
        return next.done ? { done: true, value: next.value } : { done: false };
      } catch (e) {
        if (e instanceof OutOfBudget) return { done: true, value: { entities: [], overLimit: false, timedOut: true } };
        throw e;
      }
    },
  };
}
