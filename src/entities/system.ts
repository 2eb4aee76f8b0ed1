/**
 * System entities: the ones built into this classifier, and how Caila's system entity names
 * map onto them.
 *
 * Built in: `number` (src/entities/number.ts), always available, no definition needed.
 * Caila's `duckling.number` is the same thing under Caila's name, so phrases imported from
 * JAICP (`Мне нужно @duckling.number яблок`) keep working. No other alias: `zb.number` and
 * `pymorphy.numb`/`pymorphy.intg` differ in what they accept (pymorphy's tags mark digit
 * tokens only), and we would rather report them than match something else silently. Other
 * spellings (`sys.number` of Dialogflow) are not Caila names and are not accepted.
 */

/** Entities this classifier finds without a definition, in their tie-break order (after custom entities). */
export const BUILTIN_ENTITIES = ['number'] as const;
export type BuiltinEntity = (typeof BUILTIN_ENTITIES)[number];

/** Caila system entity name → our built-in entity. */
export const SYSTEM_ENTITY_ALIASES: Readonly<Record<string, BuiltinEntity>> = Object.freeze({
  'duckling.number': 'number',
});

/**
 * Prefixes of Caila's system entity families. A name with one of them is a system entity:
 * custom entities may not use them (a custom "duckling.time" would shadow the real one on
 * JAICP and mean something else here).
 */
export const SYSTEM_ENTITY_PREFIXES = ['duckling.', 'pymorphy.', 'mystem.', 'zb.', 'mlps-obscene.'] as const;

/**
 * The system entities a Caila project export lists (`systemEntities`), for documentation and
 * tests; any other name with a system prefix is treated the same way (unsupported).
 */
export const KNOWN_CAILA_SYSTEM_ENTITIES = [
  'duckling.number', 'duckling.ordinal', 'duckling.amount-of-money', 'duckling.distance', 'duckling.time',
  'duckling.date', 'duckling.time-of-day', 'duckling.duration', 'duckling.phone-number', 'duckling.email',
  'duckling.url', 'duckling.interval',
  'mystem.geo', 'mystem.persn', 'mystem.obsc', 'mystem.patrn', 'mystem.famn',
  'pymorphy.romn', 'pymorphy.latn', 'pymorphy.numb', 'pymorphy.intg', 'pymorphy.abbr', 'pymorphy.name',
  'pymorphy.surn', 'pymorphy.patr', 'pymorphy.geox', 'pymorphy.orgn',
  'mlps-obscene.obscene', 'zb.datetime', 'zb.number',
] as const;

export function isBuiltinEntity(name: string): name is BuiltinEntity {
  return (BUILTIN_ENTITIES as readonly string[]).includes(name);
}

/** True for names of Caila's system entity families (`duckling.*`, `pymorphy.*`, ...). */
export function isSystemEntityName(name: string): boolean {
  return SYSTEM_ENTITY_PREFIXES.some((p) => name.startsWith(p));
}

/**
 * The built-in entity a name refers to: a built-in's own name (`number`) or a Caila alias
 * (`duckling.number`); undefined for anything else (custom entities, unsupported system ones).
 */
export function resolveBuiltinEntity(name: string): BuiltinEntity | undefined {
  if (isBuiltinEntity(name)) return name;
  return Object.hasOwn(SYSTEM_ENTITY_ALIASES, name) ? SYSTEM_ENTITY_ALIASES[name] : undefined;
}

/**
 * The system entity names among `names` that we cannot find (`duckling.time`, `pymorphy.*`,
 * `mystem.*`, `zb.*`, ...), unique, in first-seen order, so an importer can report each with
 * the intents that use it. Names without a system prefix are not judged here: they are custom
 * entities (or unknown ones, which the caller checks against the project's definitions).
 */
export function unsupportedSystemEntities(names: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const name of names) {
    if (isSystemEntityName(name) && resolveBuiltinEntity(name) === undefined) out.add(name);
  }
  return [...out];
}

/**
 * Why a custom entity may not take this name, or undefined if it may: built-in names and
 * their aliases are taken, and system prefixes are reserved.
 */
export function reservedNameProblem(name: string): string | undefined {
  if (resolveBuiltinEntity(name) !== undefined) return `"${name}" is a built-in entity; choose another name`;
  const prefix = SYSTEM_ENTITY_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `names starting with "${prefix}" are reserved for system entities`;
  return undefined;
}
