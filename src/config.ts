import { z } from 'zod';

/**
 * Every setting of the classifier, each default declared once, here.
 * Names and defaults of the STS settings are JAICP's documented ones (docs/scoring.md says
 * what each does in our engine); the limits are the platform's `lengthLimit` / `timeLimit`.
 */
const coefficient = () => z.number().min(0).max(10);
const fraction = () => z.number().min(0).max(1);

const fields = {
  // JAICP stsSettings
  exactMatch: [coefficient(), 1.0],
  lemmaMatch: [coefficient(), 0.95],
  jaccardMatch: [coefficient(), 0.5],
  jaccardMatchThreshold: [fraction(), 0.82],
  acronymMatch: [coefficient(), 1.0],
  synonymMatch: [coefficient(), 0.5],
  synonymContextWeight: [fraction(), 0.0],
  patternMatch: [coefficient(), 1],
  throughPatternMatch: [coefficient(), 0.8],
  wordSequence1: [coefficient(), 0.8],
  wordSequence2: [coefficient(), 0.9],
  wordSequence3: [coefficient(), 1.0],
  idfShift: [z.number().min(-100).max(100), 0.0],
  idfMultiplier: [z.number().min(0).max(100), 1.0],
  namedEntitiesRequired: [z.boolean(), false],
  // decision and limits (JAICP: intentNoMatchThresholds, lengthLimit.symbols/words, timeLimit.timeout)
  threshold: [z.number().min(0), 0.2],
  nBest: [z.number().int().min(1).max(1000), 5],
  lengthLimit: [z.number().int().min(1), 400],
  wordLimit: [z.number().int().min(1), 100000],
  timeLimit: [z.number().min(0), 10000],
} as const satisfies Record<string, readonly [z.ZodType, unknown]>;

type Fields = typeof fields;
type Key = keyof Fields;

function withDefaults<K extends Key>(keys: readonly K[]) {
  const shape = {} as { [P in K]: z.ZodDefault<Fields[P][0]> };
  for (const key of keys) {
    const [schema, value] = fields[key];
    (shape as Record<string, z.ZodType>)[key] = (schema as z.ZodType).default(value as never);
  }
  return z.strictObject(shape);
}

function optional<K extends Key>(keys: readonly K[]) {
  const shape = {} as { [P in K]: z.ZodOptional<Fields[P][0]> };
  for (const key of keys) (shape as Record<string, z.ZodType>)[key] = fields[key][0].optional();
  return z.strictObject(shape);
}

export const SETTING_KEYS = Object.keys(fields) as Key[];

/** Settings stored in a model: what callers may write (`z.input`) and what the engine reads (`z.output`). */
export const Settings = withDefaults(SETTING_KEYS);
export type Settings = z.output<typeof Settings>;
export type SettingsInput = z.input<typeof Settings>;

/** Per-call overrides: any setting, none required; the model's value applies where absent. */
export const SettingsOverride = optional(SETTING_KEYS);
export type SettingsOverride = z.output<typeof SettingsOverride>;

export const DEFAULT_SETTINGS: Settings = Settings.parse({});

/** Languages whose stemmer `natural` ships; other codes are accepted and use no stemming. */
export const Language = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/, 'a language code such as "en" or "ru"');
