import { resolveBuiltinEntity, type EntityMatch } from '../entities/index.js';
import type { SlotDef } from '../model/source-schema.js';
import type { FoundEntity } from './events.js';

/** A slot filled from the request: the entity's value, the text it was found in and where. */
export type SlotValue = FoundEntity & { name: string };

/**
 * Fills an intent's slots from the entities of the request: an array slot takes every value of
 * its entity, another slot the first (the ones a pattern captured come first). Required slots
 * left empty are listed, with the prompts of those that have some, so a bot can ask for them.
 */
export function fillSlots(
  slots: readonly SlotDef[],
  entities: readonly EntityMatch[],
  captured: readonly EntityMatch[] = [],
): { slots: SlotValue[]; missing: string[]; prompts: Record<string, string[]> } {
  const filled: SlotValue[] = [];
  const missing: string[] = [];
  const prompts: Record<string, string[]> = Object.create(null); // a slot may be named "__proto__"
  const ordered = [...captured, ...entities.filter((e) => !captured.includes(e))];
  for (const slot of slots) {
    const entity = resolveBuiltinEntity(slot.entity) ?? slot.entity;
    const found = ordered.filter((e) => e.entity === entity);
    const taken = slot.array ? found : found.slice(0, 1);
    for (const e of taken) filled.push({ name: slot.name, entity: slot.entity, value: e.value, text: e.text, start: e.start, end: e.end });
    if (taken.length === 0 && slot.required) {
      missing.push(slot.name);
      if (slot.prompts) prompts[slot.name] = [...slot.prompts];
    }
  }
  return { slots: filled, missing, prompts };
}
