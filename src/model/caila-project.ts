import { z } from 'zod';
import { Language, SettingsOverride } from '../config.js';
import { StsError } from '../errors.js';
import { compileSafeRegex } from '../entities/index.js';
import { parsePattern } from '../patterns/index.js';
import { isRecord, plural } from './importers/common.js';
import { IntentPath, SynonymGroupSource, type IntentsFileInput } from './source-schema.js';

/*
 * Caila / SmartApp Brain project exports (the JSON of JAICP's NLU project export), read and written.
 * Real exports carry many fields we do not read, so objects are loose; the fields we read are typed.
 */

/** JAICP's STS settings, as Caila writes them in extendedSettings.stsSettings (our names are the same). */
export const STS_KEYS = [
  'exactMatch', 'lemmaMatch', 'jaccardMatch', 'jaccardMatchThreshold', 'acronymMatch', 'synonymMatch',
  'synonymContextWeight', 'patternMatch', 'throughPatternMatch', 'wordSequence1', 'wordSequence2',
  'wordSequence3', 'idfShift', 'idfMultiplier', 'namedEntitiesRequired',
] as const;
/** Our settings Caila has no place for: export writes them under extendedSettings.stsClassifier. */
export const OWN_KEYS = [
  'preset',
  'idfScope',
  'intentTopK',
  'intentConcentration',
  'probabilityWeight',
  'probabilityFloor',
  'charGrams',
  'wordVectors',
  'vectorMatch',
  'vectorMatchThreshold',
  'thesaurus',
  'spellingCorrection',
  'intentNames',
  'threshold',
  'nBest',
  'lengthLimit',
  'wordLimit',
  'timeLimit',
] as const;
const mask = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, true])) as Record<K, true>;

/**
 * What an import reads there: OWN_KEYS, tuneProbabilityWeight, which a project written by hand
 * may set (an export never does: a compiled model holds its tuned value as a plain
 * probabilityWeight), and calibrate (an export writes it for a calibrated model, whose
 * calibration is made again from the same phrases when the project is imported).
 */
const StsClassifier = SettingsOverride.pick(mask([...OWN_KEYS, 'tuneProbabilityWeight', 'calibrate'])).extend({
  wordNet: z.boolean().optional(),
  stopWords: z.array(z.string()).optional(),
  synonyms: z.array(SynonymGroupSource).optional(),
});
const Phrase = z.looseObject({ text: z.string(), entities: z.array(z.unknown()).nullish() });
const Slot = z.looseObject({
  name: z.string(), entity: z.string().nullish(), required: z.boolean().nullish(), array: z.boolean().nullish(),
  // Read leniently: a prompt that is not a text is dropped with a warning, not the project.
  prompts: z.unknown().optional(),
});
const Id = z.union([z.number(), z.string()]).nullish();
/** One intent as Caila and JAICP export it (JAICP's intents export is a list of these). */
export const CailaIntent = z.looseObject({
  id: Id, path: IntentPath, enabled: z.boolean().nullish(), shared: z.boolean().nullish(),
  phrases: z.array(Phrase).nullish(), patterns: z.array(z.string()).nullish(), priority: z.number().nullish(),
  answer: z.string().nullish(), description: z.string().nullish(), slots: z.array(Slot).nullish(),
});
const Entity = z.looseObject({ entity: z.looseObject({ name: z.string() }), records: z.array(z.unknown()).nullish() });

export const CailaProject = z.looseObject({
  project: z.looseObject({ id: Id, name: z.string().nullish(), folder: z.string().nullish() }).optional(),
  settings: z.looseObject({
    language: Language.nullish(),
    spellingCorrection: z.boolean().nullish(),
    classificationAlgorithm: z.string().nullish(),
    timezone: z.string().nullish(),
    extendedSettings: z.looseObject({
      // Loose: Sber adds intermediate/finalAlternativesLimit, which we accept and ignore with a warning.
      stsSettings: SettingsOverride.pick(mask(STS_KEYS)).loose().nullish(),
      stsClassifier: StsClassifier.nullish(),
      allowedPatterns: z.array(z.string()).nullish(),
      patternsEnabled: z.boolean().nullish(),
      tokenizerEngine: z.string().nullish(),
    }).nullish(),
    shared: z.boolean().nullish(),
  }).optional(),
  intents: z.array(CailaIntent),
  entities: z.array(Entity).nullish(),
  enabledSystemEntities: z.array(z.string()).nullish(),
});
export type CailaProject = z.output<typeof CailaProject>;

const CAILA_SETTINGS_KEYS = ['extendedSettings', 'classificationAlgorithm', 'spellingCorrection', 'timezone', 'language'];

/** Tells a Caila export from our intents JSON by shape, before either schema is applied. */
export function isCailaProject(value: unknown): boolean {
  if (!looksLikeCailaProject(value)) return false;
  const textObjects = (p: unknown) => p == null || (Array.isArray(p) && p.every((x) => isRecord(x) && typeof x.text === 'string'));
  return (value as { intents: unknown[] }).intents.every((i) => isRecord(i) && textObjects(i.phrases));
}

/**
 * Caila's markers alone (intents beside a project or Caila's settings keys), whatever the intents
 * hold: file-format detection uses this, so a damaged export gets the Caila schema's error.
 */
export function looksLikeCailaProject(value: unknown): boolean {
  if (!isRecord(value) || !Array.isArray(value.intents)) return false;
  const { settings } = value;
  return isRecord(value.project) || (isRecord(settings) && CAILA_SETTINGS_KEYS.some((k) => k in settings));
}


/**
 * Reads a Caila export as an intents source: intents with their phrases, patterns, slots and
 * answers, entities with their synonyms and pattern records, STS settings. What we cannot import
 * (disabled intents and entities, record types other than synonyms/pattern, phrase markup) is
 * dropped with one warning each, so the user knows what the model lacks.
 */
export function cailaProjectToSource(value: unknown): { source: IntentsFileInput; warnings: string[] } {
  const project = parse(value);
  const warnings: string[] = [];
  const ext = project.settings?.extendedSettings;
  const algorithm = project.settings?.classificationAlgorithm;
  if (algorithm && algorithm !== 'sts') warnings.push(`settings.classificationAlgorithm is "${algorithm}"; imported for STS`);
  const sts = ext?.stsSettings ?? {};
  for (const key of Object.keys(sts)) {
    if (!(STS_KEYS as readonly string[]).includes(key)) warnings.push(`settings.extendedSettings.stsSettings.${key} is not supported; ignored`);
  }
  const { wordNet, stopWords, synonyms, ...own } = ext?.stsClassifier ?? {};
  const intents = cailaIntentsToDefs(project.intents, 'the Caila project', warnings);
  const entities = cailaEntitiesToDefs(project.entities ?? [], warnings);
  const allowedPatterns = (ext?.allowedPatterns as string[] | undefined) ?? [];
  const language = project.settings?.language ?? undefined;
  const source: IntentsFileInput = {
    language, wordNet, settings: { ...pick(sts, STS_KEYS), ...own }, synonyms, stopWords, intents, entities, allowedPatterns,
  };
  return { source, warnings };
}

/** Caila entities as ours: synonyms and pattern records (Caila's `rule` is our `words`/`pattern`). */
function cailaEntitiesToDefs(entities: readonly z.output<typeof Entity>[], warnings: string[]) {
  return entities.flatMap(({ entity, records }) => {
    if (entity.enabled === false) {
      warnings.push(`entity ${entity.name}: disabled in the Caila project; skipped`);
      return [];
    }
    const kept = (records ?? []).flatMap((r) => {
      const record = r as { type?: unknown; rule?: unknown; value?: unknown };
      if (record.type === 'pattern') {
        const rules = typeof record.rule === 'string' ? [record.rule] : Array.isArray(record.rule) ? record.rule : [];
        const bad = rules.map((rule) => [rule, regexProblem(String(rule))] as const).find(([, problem]) => problem);
        if (bad) {
          warnings.push(`entity ${entity.name}: pattern ${JSON.stringify(bad[0])} dropped: ${bad[1]}`);
          return [];
        }
      }
      if (record.type === 'synonyms' || record.type === 'pattern') {
        const value = typeof record.value === 'string' ? { value: record.value } : {};
        return [{ type: record.type as 'synonyms', rule: record.rule as string[], ...value }];
      }
      warnings.push(`entity ${entity.name}: a record of type ${record.type === undefined ? '(none)' : JSON.stringify(record.type)} is not supported; dropped`);
      return [];
    });
    return kept.length > 0 ? [{ name: entity.name, records: kept }] : [];
  });
}

/**
 * Caila/JAICP intents as our intent definitions (phrases, patterns, slots, answer): disabled
 * intents are skipped and phrase markup is dropped, with one warning per intent.
 * `origin` names the export in the warnings ("the Caila project", "the JAICP export").
 */
export function cailaIntentsToDefs(intents: readonly CailaIntent[], origin: string, warnings: string[]) {
  return intents.flatMap((intent) => {
    if (intent.enabled === false) {
      warnings.push(`${intent.path}: disabled in ${origin}; skipped`);
      return [];
    }
    const texts = (intent.phrases ?? []).map((p) => p.text);
    const dropped = unsupported(intent, texts);
    if (dropped.length > 0) warnings.push(`${intent.path}: not supported yet, dropped ${dropped.join('; ')}`);
    const phrases = texts.filter((t) => t.trim() !== '');
    const slots = (intent.slots ?? []).flatMap((slot) =>
      slot.entity
        ? [{ name: slot.name, entity: slot.entity, required: slot.required ?? false, array: slot.array ?? false, ...prompts(slot.prompts, `${intent.path}: slot ${slot.name}`, warnings) }]
        : [],
    );
    return [
      {
        path: intent.path,
        phrases,
        patterns: (intent.patterns ?? []).filter((pattern) => {
          // JAICP's pattern language is larger than ours: keep what we can parse, say what we drop.
          const problem = patternProblem(pattern);
          if (problem) warnings.push(`${intent.path}: pattern dropped: ${problem}`);
          return !problem;
        }),
        slots,
        answer: intent.answer ?? undefined,
        description: intent.description ?? undefined,
      },
    ];
  });
}
export type CailaIntent = z.output<typeof CailaIntent>;

/**
 * A slot's prompts as our source writes them: none at all left out (Caila writes `prompts: []`),
 * blank ones dropped, a single text taken as the one prompt; a prompt that is not a text, or
 * prompts that are neither a list nor a text, are dropped with a warning.
 */
function prompts(value: unknown, where: string, warnings: string[]): { prompts?: string[] } {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'string' && !Array.isArray(value)) {
    warnings.push(`${where}: prompts that are not a list of texts dropped`);
    return {};
  }
  const list: unknown[] = Array.isArray(value) ? value : [value];
  const texts = list.filter((p): p is string => typeof p === 'string');
  const bad = list.length - texts.length;
  if (bad > 0) warnings.push(`${where}: ${plural(bad, 'prompt')} that ${bad === 1 ? 'is' : 'are'} not a text dropped`);
  const kept = texts.map((p) => p.trim()).filter((p) => p !== '');
  return kept.length > 0 ? { prompts: kept } : {};
}

/** What an intent has that we cannot import (slots without an entity, phrase markup, empty phrases), for its warning. */
function unsupported(intent: CailaIntent, texts: string[]): string[] {
  const parts: string[] = [];
  const noEntity = intent.slots?.filter((s) => !s.entity) ?? [];
  if (noEntity.length > 0) parts.push(`slots without an entity ${noEntity.map((s) => s.name).join(', ')}`);
  const marked = intent.phrases?.filter((p) => p.entities?.length).length ?? 0;
  if (marked > 0) parts.push(`entity markup of ${marked} phrase${marked === 1 ? '' : 's'}`);
  const blank = texts.filter((t) => t.trim() === '').length;
  if (blank > 0) parts.push(`${blank} empty phrase${blank === 1 ? '' : 's'}`);
  return parts;
}

function parse(value: unknown): CailaProject {
  const parsed = CailaProject.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
  const first = details[0] ?? { path: '(root)', message: 'invalid' };
  const more = details.length > 1 ? ` (and ${details.length - 1} more problems)` : '';
  throw new StsError('invalid_source', `invalid Caila project at ${first.path}: ${first.message}${more}`, details);
}

export function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Pick<T, K>;
}

function patternProblem(pattern: string): string | undefined {
  try {
    parsePattern(pattern);
    return undefined;
  } catch (e) {
    if (e instanceof StsError) return e.message;
    throw e;
  }
}

/** Why RE2 cannot run a Caila regex (lookarounds, backreferences), or undefined if it can. */
function regexProblem(rule: string): string | undefined {
  const compiled = compileSafeRegex(rule);
  return compiled.ok ? undefined : compiled.problem;
}
