import { DEFAULT_SETTINGS } from '../config.js';
import type { Model } from '../model/model-schema.js';
import type { ServerConfig } from './config.js';

/**
 * The server's cap on time, which no request can lift: the longest a request, or a whole batch,
 * may take (ms). STS_MAX_TIME_LIMIT_MS if set; else the model's own timeLimit; else (a model
 * compiled with no time limit) the default timeLimit.
 */
export function timeCap(model: Model, config: Pick<ServerConfig, 'maxTimeLimitMs'>): number {
  return config.maxTimeLimitMs ?? (model.settings.timeLimit > 0 ? model.settings.timeLimit : DEFAULT_SETTINGS.timeLimit);
}

/** The timeLimit a request runs with: the one it asks for (0 means none: the cap), the model's if none, never over the cap. */
export function cappedTimeLimit(requested: number | undefined, model: Model, config: Pick<ServerConfig, 'maxTimeLimitMs'>): number {
  const cap = timeCap(model, config);
  const wanted = requested ?? model.settings.timeLimit;
  return wanted > 0 ? Math.min(wanted, cap) : cap;
}

/** Below this a text of a batch whose time is spent still gets a deadline of its own (0 would mean none). */
const LEAST_MS = 0.001;

/**
 * A batch's clock: all its texts together within the cap. Each text runs with its capped
 * timeLimit or what is left of the batch's, whichever is less; once the batch's time is spent,
 * each remaining text answers timeLimit at once.
 */
export function batchDeadline(model: Model, config: Pick<ServerConfig, 'maxTimeLimitMs'>, now: () => number = () => performance.now()) {
  const end = now() + timeCap(model, config);
  return (requested: number | undefined) => Math.max(LEAST_MS, Math.min(cappedTimeLimit(requested, model, config), end - now()));
}
