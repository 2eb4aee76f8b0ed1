import { z } from 'zod';
import { Language, SettingsOverride } from '../config.js';
import { ENTITY_NAME, EntitiesSource, type EntityDef } from '../entities/index.js';

/** The intents file (YAML or JSON) that `sts train` reads. Documented in docs/intents-file.md. */
const Text = z.string().trim().min(1, 'a non-empty text');

export const IntentPath = z
  .string()
  .regex(/^\/[^/\s](.*[^/\s])?$/, 'a path like "/Greeting/Hello": a leading "/", no trailing "/"')
  .refine((p) => !p.includes('//'), 'a path without empty segments ("//")');

/** A phrase is a string, or `{text}` as JAICP exports write it; both become the string. */
export const PhraseSource = z.union([Text, z.strictObject({ text: Text }).transform((p) => p.text)]);

/** A reference to an entity: a custom one's name, or a built-in's (`number`, `duckling.number`). */
const EntityRef = z.string().regex(ENTITY_NAME, 'an entity name such as "City" or "duckling.number"');

/** A slot an intent fills from an entity found in the request (JAICP's intent slots). */
export const SlotSource = z.strictObject({
  name: z.string().trim().min(1),
  /** The entity's name, with or without the leading "@" (`City`, `@duckling.number`). */
  entity: z.string().transform((e) => e.replace(/^@/, '')).pipe(EntityRef),
  required: z.boolean().default(false),
  /** Collect every value found (else the first). */
  array: z.boolean().default(false),
  /**
   * The questions a bot asks when the slot is required and a request leaves it empty (JAICP's
   * slot "prompts"; a bot picks one). Returned with the missing slots, and in Caila's intent
   * slots. An empty list is the same as none (Caila exports write `prompts: []`).
   */
  prompts: z
    .array(Text)
    .transform((p) => (p.length > 0 ? p : undefined))
    .optional(),
});
export type SlotDef = z.output<typeof SlotSource>;

export const IntentSource = z.strictObject({
  path: IntentPath,
  description: z.string().optional(),
  answer: z.string().optional(),
  phrases: z.array(PhraseSource).default([]),
  /** JAICP pattern language (docs/entities-and-patterns.md); scored apart from the phrases, the higher wins. */
  patterns: z.array(Text).default([]),
  slots: z.array(SlotSource).default([]),
});

export const SynonymGroupSource = z.strictObject({
  words: z.array(Text).min(2, 'a group of at least two words or phrases'),
  /** How typical this group's words are of each other, 0..1; applied through synonymContextWeight. */
  weight: z.number().min(0).max(1).default(1),
});

export const IntentsFile = z.strictObject({
  language: Language.optional(),
  /** Expand English words with WordNet synonyms at compile time. */
  wordNet: z.boolean().optional(),
  settings: SettingsOverride.optional(),
  synonyms: z.array(SynonymGroupSource).default([]),
  /** Single words dropped from phrases and requests (a multi-word entry would drop each of its words). */
  stopWords: z.array(Text.regex(/^\S+$/, 'a single word (no spaces)')).default([]),
  intents: z.array(IntentSource).default([]),
  /** Custom entities, referred to in phrases and patterns as `@Name`. */
  entities: EntitiesSource.default([]),
  /** Entities whose literal values in phrases stand for any value ("Moscow" also matches "Paris"). */
  allowedPatterns: z.array(EntityRef).default([]),
});
export type IntentsFile = z.output<typeof IntentsFile>;
export type IntentsFileInput = z.input<typeof IntentsFile>;

/** One training intent after import: what compile reads. */
export interface IntentDef {
  path: string;
  description?: string;
  answer?: string;
  phrases: string[];
  patterns?: string[];
  slots?: SlotDef[];
}

/** Everything the sources said, merged: the input of `compile`. */
export interface IntentSet {
  language?: string;
  wordNet?: boolean;
  settings: SettingsOverride;
  synonyms: { words: string[]; weight: number }[];
  stopWords: string[];
  intents: IntentDef[];
  entities?: EntityDef[];
  allowedPatterns?: string[];
}
