import { StsError } from '../../errors.js';
import type { ModelEntry, ModelRegistry } from '../registry.js';
import { MAX_TIMER_MS } from '../time-cap.js';

/**
 * The model a request names, for the native and the Caila API alike: its entry, noted for the
 * request log (res.locals.model); not_found with `unknown` (which says how the request named
 * it) when the store has no model of that name. A model not in memory is loaded first.
 */
export async function lookupModel(registry: ModelRegistry, name: string | undefined, res: { locals: Record<string, unknown> }, unknown: string): Promise<ModelEntry> {
  const entry = name === undefined ? undefined : await registry.resolve(name);
  if (!entry) throw new StsError('not_found', unknown);
  res.locals.model = entry.name;
  return entry;
}

/**
 * lookupModel() within a request's time: undefined when the model is still loading `ms` after
 * the request's arrival (res.locals.arrivedAt). The load goes on, for the requests after it; a
 * model in memory is there at once.
 */
export async function lookupModelWithin(
  registry: ModelRegistry,
  name: string | undefined,
  res: { locals: Record<string, unknown> },
  unknown: string,
  ms: number,
): Promise<ModelEntry | undefined> {
  const loaded = name === undefined ? undefined : registry.get(name);
  if (loaded) return lookupModel(registry, name, res, unknown);
  const load = lookupModel(registry, name, res, unknown);
  let timer: NodeJS.Timeout | undefined;
  const deadline = (res.locals.arrivedAt as number) + ms;
  // Timers run on the event loop's cached millisecond clock and may fire a little early: wait on until the deadline has passed.
  const late = new Promise<undefined>((resolve) => {
    const wait = () => {
      const left = deadline - performance.now();
      if (left <= 0) resolve(undefined);
      else timer = setTimeout(wait, Math.min(Math.ceil(left), MAX_TIMER_MS));
    };
    wait();
  });
  try {
    return await Promise.race([load, late]);
  } finally {
    clearTimeout(timer);
    load.catch(() => undefined); // a load that fails after the answer was given is the next request's error
  }
}
