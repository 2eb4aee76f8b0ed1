import { z } from 'zod';
import { ENTITY_NAME } from './names.js';
import { reservedNameProblem } from './system.js';

/**
 * The `entities:` section of an intents file: custom entities, each a list of records.
 * Phrases refer to an entity as `@Name`. Record shapes follow Caila's export (`type`,
 * `rule`, `value`), with `words`/`pattern` as the readable spellings:
 *
 *   entities:
 *     - name: City
 *       records:
 *         - { type: synonyms, value: Moscow, words: [Moscow, Moskva, "the capital"] }
 *         - { type: pattern, pattern: '\d{6}', value: zip }
 */

const Text = z.string().trim().min(1, 'a non-empty text');

export const EntityName = z
  .string()
  .regex(ENTITY_NAME, 'a name of letters, digits, "_", "-" and "." between them (e.g. "City", "pizza.size")')
  .superRefine((name, ctx) => {
    const problem = reservedNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * A synonyms record: the words or phrases that mean `value`. Matched by stems, so word forms
 * count ("Москва" also finds "в Москве"). `rule` is Caila's spelling of `words`. Without a
 * `value` (or with an empty one, as exports sometimes write), the first word is the value.
 */
export const SynonymsRecordSource = z
  .strictObject({
    type: z.literal('synonyms'),
    value: z.string().optional(),
    words: z.array(Text).min(1, 'at least one word or phrase').optional(),
    rule: z.array(Text).min(1, 'at least one word or phrase').optional(),
  })
  .superRefine((r, ctx) => {
    if ((r.words === undefined) === (r.rule === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give the words as "words" (or Caila\'s "rule"), exactly one of them' });
    }
  })
  .transform((r) => {
    const words = (r.words ?? r.rule) as string[];
    return { type: 'synonyms' as const, value: r.value?.trim() ? r.value : (words[0] as string), words };
  });

/**
 * A pattern record: a regular expression in RE2 syntax (linear-time matching, so no
 * backreferences or lookarounds; see src/entities/regex.ts), checked when the model is
 * compiled. Without `value`, a match's value is the text it matched. Caila writes the
 * pattern as `rule: ["..."]`; several rules become one pattern that matches any of them.
 */
export const PatternRecordSource = z
  .strictObject({
    type: z.literal('pattern'),
    pattern: z.string().min(1, 'a non-empty regular expression').optional(),
    rule: z
      .union([z.string().min(1), z.array(z.string().min(1, 'a non-empty regular expression')).min(1)])
      .optional(),
    value: z.string().optional(),
  })
  .superRefine((r, ctx) => {
    if ((r.pattern === undefined) === (r.rule === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give the regular expression as "pattern" (or Caila\'s "rule"), exactly one of them' });
    }
  })
  .transform((r) => {
    const rules = typeof r.rule === 'string' ? [r.rule] : r.rule;
    const pattern = r.pattern ?? (rules!.length === 1 ? rules![0]! : rules!.map((p) => `(?:${p})`).join('|'));
    return r.value?.trim()
      ? { type: 'pattern' as const, pattern, value: r.value }
      : { type: 'pattern' as const, pattern };
  });

/** Discriminated by `type`, so an error names the field that is wrong rather than "Invalid input". */
export const EntityRecordSource = z.discriminatedUnion('type', [SynonymsRecordSource, PatternRecordSource]);

export const EntityDefSource = z.strictObject({
  name: EntityName,
  records: z.array(EntityRecordSource).min(1, 'at least one record'),
});

/** The whole section: entity names must be unique (they are how phrases refer to entities). */
export const EntitiesSource = z.array(EntityDefSource).superRefine((defs, ctx) => {
  const seen = new Map<string, number>();
  for (const [i, def] of defs.entries()) {
    const first = seen.get(def.name);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `entity "${def.name}" is already defined at entities.${first}` });
    } else seen.set(def.name, i);
  }
});

export type SynonymsRecord = z.output<typeof SynonymsRecordSource>;
export type PatternRecord = z.output<typeof PatternRecordSource>;
export type EntityRecord = z.output<typeof EntityRecordSource>;
/** One entity as compile reads it (after parsing: `words`, `pattern` and `value` resolved). */
export type EntityDef = z.output<typeof EntityDefSource>;
/** One entity as written in an intents file. */
export type EntityDefInput = z.input<typeof EntityDefSource>;
