import { StsError } from '../../errors.js';
import type { ModelEntry, ModelRegistry } from '../registry.js';

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
