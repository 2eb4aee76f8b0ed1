/**
 * Entity names and how phrases refer to them. A name is dot-separated segments of letters,
 * digits, `_` and `-` ("City", "duckling.number", "duckling.phone-number"). Dots only between segments, so "@City." at the end of a sentence refers
 * to "City".
 */
export const ENTITY_NAME = /^[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)*$/u;

/**
 * `@Name` in a phrase. The `@` must not follow a letter, digit or `_`, so the "@" of an e-mail
 * address ("me@example.com") is not a reference.
 */
const REFERENCE = /(?<![\p{L}\p{N}_])@([\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)*)/gu;

export interface EntityReference {
  /** The name as written after `@`. */
  name: string;
  /** UTF-16 offsets of the whole reference, `@` included, end exclusive. */
  start: number;
  end: number;
}

/** The `@Name` references of a phrase, in order. */
export function findEntityReferences(phrase: string): EntityReference[] {
  const refs: EntityReference[] = [];
  for (const m of phrase.matchAll(REFERENCE)) {
    refs.push({ name: m[1] as string, start: m.index, end: m.index + m[0].length });
  }
  return refs;
}
