import { resolveBuiltinEntity, type EntityMatch } from '../../entities/index.js';
import type { SlotDef } from '../../model/source-schema.js';
import type { FoundEntity, SlotValue } from './events.js';

/** Entities found in a request as events give them: the entity, its value, the text and where. */
export function foundEntities(matches: readonly EntityMatch[]): FoundEntity[] {
  return matches.map(({ entity, value, text, start, end }) => ({ entity, value, text, start, end }));
}

/**
 * Fills an intent's slots from the entities of the request, in the order of the slots, each
 * value once (JAICP: slots of one type "are filled in turn"; JAICF's slot filling does the
 * same): an array slot takes every value of its entity that no earlier slot took, another slot
 * the first. So with `from` and `to` both City, "from Moscow to Paris" fills both and "from
 * Moscow" leaves `to` empty. Values come in request order; for an entity only one slot takes,
 * the ones a pattern captured come first ("fly to @City" fills `to` with the city after "to").
 * Required slots left empty are listed, with the prompts of those that have some, so a bot can
 * ask for them.
 */
export function fillSlots(
  slots: readonly SlotDef[],
  entities: readonly EntityMatch[],
  captured: readonly EntityMatch[] = [],
): { slots: SlotValue[]; missing: string[]; prompts: Record<string, string[]> } {
  const filled: SlotValue[] = [];
  const missing: string[] = [];
  const prompts: [string, string[]][] = [];
  const entityOf = (slot: SlotDef) => resolveBuiltinEntity(slot.entity) ?? slot.entity;
  const slotCount = new Map<string, number>();
  for (const slot of slots) slotCount.set(entityOf(slot), (slotCount.get(entityOf(slot)) ?? 0) + 1);
  const inOrder = [...entities].sort((a, b) => a.start - b.start);
  const capturedFirst = [...captured, ...inOrder.filter((e) => !captured.includes(e))];
  const used = new Set<EntityMatch>();
  for (const slot of slots) {
    const entity = entityOf(slot);
    // Several slots of one entity take its values in the order they were said ("from … to …").
    const ordered = slotCount.get(entity) === 1 ? capturedFirst : inOrder;
    const found = ordered.filter((e) => e.entity === entity && !used.has(e));
    const taken = slot.array ? found : found.slice(0, 1);
    for (const e of taken) {
      used.add(e);
      filled.push({ name: slot.name, entity: slot.entity, value: e.value, text: e.text, start: e.start, end: e.end });
    }
    if (taken.length === 0 && slot.required) {
      missing.push(slot.name);
      if (slot.prompts) prompts.push([slot.name, [...slot.prompts]]);
    }
  }
  // fromEntries defines each name as an own property: a slot named "__proto__" keeps its prompts.
  return { slots: filled, missing, prompts: Object.fromEntries(prompts) };
}
