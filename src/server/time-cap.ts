import { DEFAULT_SETTINGS, stripUndefined, type Settings } from '../config.js';
import type { StsEvent } from '../engine/event/events.js';
import { checkLength, limitEvent } from '../engine/event/limits.js';
import { round3 } from '../engine/score/rounding.js';
import type { Model } from '../model/model-schema.js';
import type { ServerConfig } from './config.js';

/** What the caps read of a model: its id (in the events they make) and its settings. */
type ModelSettings = Pick<Model, 'id' | 'settings'>;

/**
 * The server's cap on time, which no request can lift: the longest a request, or a whole batch,
 * may take (ms). STS_MAX_TIME_LIMIT_MS if set; else the model's own timeLimit; else (a model
 * compiled with no time limit) the default timeLimit.
 */
export function timeCap(model: ModelSettings, config: Pick<ServerConfig, 'maxTimeLimitMs'>): number {
  return config.maxTimeLimitMs ?? (model.settings.timeLimit > 0 ? model.settings.timeLimit : DEFAULT_SETTINGS.timeLimit);
}

/** The timeLimit a request runs with: the one it asks for (0 means none: the cap), the model's if none, never over the cap. */
export function cappedTimeLimit(requested: number | undefined, model: ModelSettings, config: Pick<ServerConfig, 'maxTimeLimitMs'>): number {
  return underCap(requested ?? model.settings.timeLimit, timeCap(model, config));
}

/** A limit asked for, never over the cap; none (0, or not asked) is the cap. */
function underCap(wanted: number | undefined, cap: number): number {
  return wanted !== undefined && wanted > 0 ? Math.min(wanted, cap) : cap;
}

/** The longest a Node timer waits: one set for longer fires after 1 ms. A deadline past it is none, for a timer. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Below this a classification whose time is spent still gets a deadline of its own (0 would mean none): it answers timeLimit at once. */
export const LEAST_MS = 0.001;

/**
 * How long a request may wait for its model to load: the timeLimit it asks for under the
 * server's cap, else the cap, else the default timeLimit (the model's own is not known before
 * it is loaded; once it is, timeLeft() applies it).
 */
export function loadLimit(requested: number | undefined, config: Pick<ServerConfig, 'maxTimeLimitMs'>): number {
  return underCap(requested, config.maxTimeLimitMs ?? DEFAULT_SETTINGS.timeLimit);
}

/**
 * The timeLimit event of a request whose time ran out before its classification began (its
 * model was loading, or a batch's time was spent): the limit it had, and the time since its
 * arrival.
 */
export function lateEvent(limit: number, arrivedAt: number, modelId: string, now: number = performance.now()): StsEvent {
  const elapsedMs = round3(now - arrivedAt);
  return { ...limitEvent('timeLimit', { kind: 'time', max: limit, actual: elapsedMs }, modelId), elapsedMs };
}

/**
 * The answer to a text whose request's time was spent before its classification could begin:
 * lengthLimit when the text is over its limits (decided before any time is spent, as the engine
 * decides it), else lateEvent().
 */
export function spentEvent(text: string, overrides: Partial<Settings>, model: ModelSettings, limit: number, arrivedAt: number): StsEvent {
  const over = checkLength(text, { ...model.settings, ...stripUndefined(overrides) });
  return over ? { ...limitEvent('lengthLimit', over, model.id), elapsedMs: 0 } : lateEvent(limit, arrivedAt, model.id);
}

/**
 * The timeLimit a request's classification runs with, counted from the request's arrival
 * (`arrivedAt`, clock ms): its capped timeLimit less the time the request already waited (its
 * body read, its model loaded), so the answer leaves within the limit of the arrival.
 */
export function timeLeft(requested: number | undefined, model: ModelSettings, config: Pick<ServerConfig, 'maxTimeLimitMs'>, arrivedAt: number, now: number = performance.now()): number {
  return Math.max(LEAST_MS, arrivedAt + cappedTimeLimit(requested, model, config) - now);
}

/**
 * A batch's clock: all its texts together within the cap, from the request's arrival. Each text
 * runs with its capped timeLimit or what is left of the batch's, whichever is less; once the
 * batch's time is spent, each remaining text answers timeLimit at once.
 */
export function batchClock(model: ModelSettings, config: Pick<ServerConfig, 'maxTimeLimitMs'>, arrivedAt: number, now: () => number = () => performance.now()) {
  const end = arrivedAt + timeCap(model, config);
  return (requested: number | undefined) => {
    const t = now();
    return Math.max(LEAST_MS, Math.min(t + cappedTimeLimit(requested, model, config), end) - t);
  };
}
