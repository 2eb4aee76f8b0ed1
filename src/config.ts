import { z } from 'zod';

/**
 * Every setting of the classifier, each default declared once, here.
 * Names and defaults of the STS settings are JAICP's documented ones (docs/scoring.md says
 * what each does in our engine); the limits are the platform's `lengthLimit` / `timeLimit`.
 */
const coefficient = () => z.number().min(0).max(10);
/** The longest text any setting lets through (characters or words). */
export const MAX_TEXT = 100_000;
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
  // ours, beyond JAICP (docs/scoring.md, "Beyond JAICP"): JAICP's behaviour is the default
  /**
   * What idf counts documents over: training phrases (JAICP), intents (favours words that
   * separate intents), or both (the mean of the two weights).
   */
  idfScope: [z.enum(['phrases', 'intents', 'both']), 'phrases'],
  /** An intent's score: its closest phrase (1, JAICP) or the mean of its k closest phrases. */
  intentTopK: [z.number().int().min(1).max(50), 1],
  /**
   * Weight bonus for words concentrated in one intent: a word's weight is multiplied by
   * 1 + intentConcentration × (c − 1) / df, where df is how many phrases contain it and c how
   * many of those belong to its most frequent intent. A word repeated across one intent's phrases
   * ("alternatives", "spam") gains up to that factor; a word of a single phrase (a name, a typo)
   * or one spread over many intents gains little or nothing. 0 (the default, JAICP) turns it off.
   */
  intentConcentration: [coefficient(), 0],
  /**
   * γ: an intent's score is multiplied by (P / P_max)^γ', P(intent | the request's words) from a
   * softmax regression over the model's words (trained when the model is compiled), P_max the most
   * favoured intent's, γ' = γ × n / (n + 10) for the model's n phrases per intent. Words that
   * tell intents apart then decide between near-equal phrases; no score is raised, and the
   * favoured intent keeps its own. 0 (the default, JAICP) turns it off.
   */
  probabilityWeight: [z.number().min(0).max(10), 0],
  /**
   * λ: with probabilityWeight, an intent scores at least λ × its probability above chance
   * (P(intent | the request's words, their letters and their meaning)), so the regression alone
   * can decide where the phrases share little or nothing with the request (slang, greetings,
   * words the phrases lack); the event's rule then says "probability". 0 (the default, JAICP)
   * scores intents by their phrases only.
   */
  probabilityFloor: [fraction(), 0],
  /**
   * Choose probabilityWeight for each model when it is compiled, by 5-fold cross-validation on
   * its own phrases (models small enough to tune in about two seconds, without intent patterns or
   * regex entity records; others keep the value given). The value given wins a tie. false (the
   * default) keeps the value as written. Acts at compile time, so a call cannot override it.
   */
  tuneProbabilityWeight: [z.boolean(), false],
  /**
   * The regression also reads each word's character n-grams of this length ("<ta", "tar",
   * "ari"… of "tariff"), so other forms, typos and compounds of a training word still count
   * for its intent. 0 (the default, JAICP) reads stems only. Acts at compile time.
   */
  charGrams: [z.number().int().min(0).max(5), 0],
  /**
   * The regression also reads the text's sentence vector (English word vectors, averaged),
   * scaled by this much against the words' own features, so words no training phrase holds
   * still count for the intents of words that mean alike. 0 (the default, JAICP) turns it off;
   * models of other languages have no vectors. Acts at compile time.
   */
  wordVectors: [z.number().min(0).max(10), 0],
  /**
   * Coefficient of a vector-neighbour pair: a request word that no phrase contains, aligned
   * with a phrase word whose English word vector is close (cosine ≥ vectorMatchThreshold), its
   * coefficient scaled by that cosine. 0 (the default, JAICP) turns it off.
   */
  vectorMatch: [coefficient(), 0],
  /** Least cosine of two word vectors for a vector-neighbour pair. */
  vectorMatchThreshold: [fraction(), 0.5],
  /**
   * A request word no phrase holds also stands for the model's words that a thesaurus (the
   * Russian one of lexicons/) gives as its synonyms: a synonym pair (synonymMatch) and those
   * words for the regression. false (the default, JAICP) uses the source's synonyms only. Acts
   * at compile time (the model keeps the links its vocabulary can use).
   */
  thesaurus: [z.boolean(), false],
  /**
   * A request word no phrase holds, within a few typing errors of a word of the phrases (same
   * first letter; 1 edit for 4–5 letters, 2 for 6–9, 3 for more; a tie of more than two words
   * corrects nothing), pairs with that word as a typo (jaccardMatch) and counts as it for the
   * regression. false (the default, JAICP) leaves typos to jaccardMatch alone.
   */
  spellingCorrection: [z.boolean(), false],
  /**
   * Calibrate the model's scores when it is compiled: cross-validation on its own phrases (some
   * held out, some intents left out as if out of scope) finds the score at which a match is
   * right more often than out-of-scope text gets through, and scores are rescaled so that this
   * point sits at the model's threshold. false (the default, JAICP) reports the similarity
   * itself. Acts at compile time.
   */
  calibrate: [z.boolean(), false],
  /**
   * The regression also reads each intent's name (its path's words: "/Billing/PayInvoice" →
   * "billing pay invoice") as one more training row, where the name can describe the intent
   * (engine/probability/name-rows.ts). false (the default, JAICP) trains on the phrases alone.
   * Acts at compile time.
   */
  intentNames: [z.boolean(), false],
  // decision and limits (JAICP: intentNoMatchThresholds, lengthLimit.symbols/words, timeLimit.timeout)
  threshold: [z.number().min(0), 0.2],
  nBest: [z.number().int().min(1).max(1000), 5],
  // Upper bounds keep a raised limit from turning one request into seconds of analysis.
  lengthLimit: [z.number().int().min(1).max(MAX_TEXT), 400],
  wordLimit: [z.number().int().min(1).max(MAX_TEXT), 100000],
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
/** Settings that act when a model is compiled, so a call cannot override them. */
const COMPILE_ONLY = ['tuneProbabilityWeight', 'charGrams', 'wordVectors', 'calibrate', 'thesaurus', 'intentNames'] as const satisfies readonly Key[];
type CompileOnly = (typeof COMPILE_ONLY)[number];

/**
 * Named sets of values for the settings a source leaves out. `accurate` is the default: ours,
 * chosen on validation data (CLINC150 with 5, 10 and 100 phrases per intent, SNIPS, and the
 * Russian ru-support set; docs/scoring.md, "Beyond JAICP"): idf over phrases and intents, no
 * penalty for words matched out of sequence, heavier words where they concentrate in one
 * intent, no acronym matches (our reading of them pairs ordinary words: "pay" with "purchase
 * arrived yet"), pairs of words close in meaning, and scores weighed by the probability a
 * regression over the words, their letters, their meaning and the intents' names gives each
 * intent, the scores calibrated by cross-validation when the model is compiled. `jaicp` is
 * JAICP's documented behaviour: the defaults above, as JAICP documents them.
 */
export const PRESETS = {
  accurate: {
    idfScope: 'both',
    wordSequence1: 1,
    wordSequence2: 1,
    intentConcentration: 0.75,
    acronymMatch: 0,
    probabilityWeight: 0.5,
    probabilityFloor: 0.5,
    charGrams: 3,
    wordVectors: 2,
    vectorMatch: 0.8,
    thesaurus: true,
    spellingCorrection: true,
    calibrate: true,
    intentNames: true,
  },
  jaicp: {},
} as const satisfies Record<string, Partial<Record<Key, unknown>>>;
/** The preset of a source that names none. */
export const DEFAULT_PRESET = 'accurate';
export const PresetName = z.enum(Object.keys(PRESETS) as [keyof typeof PRESETS, ...(keyof typeof PRESETS)[]]);
export type PresetName = z.output<typeof PresetName>;

/** The settings object with its defaults; `Settings` adds the preset step in front of it. */
export const SettingsObject = withDefaults(SETTING_KEYS).extend({ preset: PresetName.default(DEFAULT_PRESET) });

/**
 * A preset's value of the first setting applies only where the second is the preset's too: a
 * probabilityWeight written next to `preset: accurate` is kept as written, not tuned.
 */
const PRESET_FOLLOWS: readonly (readonly [Key, Key])[] = [['tuneProbabilityWeight', 'probabilityWeight']];

/** Settings stored in a model: what callers may write (`z.input`) and what the engine reads (`z.output`). */
export const Settings = z.preprocess((input) => {
  if (typeof input !== 'object' || input === null) return input;
  const preset = (input as { preset?: unknown }).preset ?? DEFAULT_PRESET;
  const values: Record<string, unknown> = { ...(typeof preset === 'string' && preset in PRESETS ? PRESETS[preset as keyof typeof PRESETS] : {}) };
  const given = (key: string) => (input as Record<string, unknown>)[key] !== undefined;
  for (const [key, follows] of PRESET_FOLLOWS) if (given(follows) && !given(key)) delete values[key];
  return { ...values, ...input };
}, SettingsObject);
export type Settings = z.output<typeof Settings>;
export type SettingsInput = z.input<typeof SettingsObject>;

/** Per-call overrides: any setting but the preset and the compile-only ones, none required; the model's value applies where absent. */
export const CallOverride = optional(SETTING_KEYS.filter((k): k is Exclude<Key, CompileOnly> => !(COMPILE_ONLY as readonly Key[]).includes(k)));
export type CallOverride = z.output<typeof CallOverride>;

/** What a source file may set: any setting, and a preset for the ones it leaves out. */
export const SettingsOverride = optional(SETTING_KEYS).extend({ preset: PresetName.optional() });
export type SettingsOverride = z.output<typeof SettingsOverride>;

/** The settings of a source that sets nothing: the default preset's. */
export const DEFAULT_SETTINGS: Settings = Settings.parse({});
/** Every setting at its own default (JAICP's documented value, or off for ours): the `jaicp` preset. */
export const FIELD_DEFAULTS: Settings = Settings.parse({ preset: 'jaicp' });

/** Languages whose stemmer `natural` ships; other codes are accepted and use no stemming. */
export const Language = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/, 'a language code such as "en" or "ru"');

/**
 * The object without its keys whose value is undefined: an override given as undefined is
 * absent (the value under it applies), and a model's JSON has no keys it does not use.
 */
export function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
