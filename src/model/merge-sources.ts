import type { PresetName, SettingsOverride } from '../config.js';
import { StsError } from '../errors.js';
import type { EntityRecord } from '../entities/index.js';
import type { IntentDef, IntentSet, IntentsFile } from './source-schema.js';

/** One source file after parsing, before merging. Lists (JSONL, CSV) carry intents only. */
export interface ParsedSource {
  file: string;
  kind: 'intents' | 'list';
  data: Partial<Omit<IntentsFile, 'intents'>> & { intents: IntentDef[] };
  /** Rows of a list that were out of scope (intent null) and so not trained. */
  outOfScope?: number;
}

export interface MergeOptions {
  /** `--language`: the language of list sources, and a check on intents files that declare one. */
  language?: string;
  /** `--wordnet`: expand English words with WordNet; must agree with sources that say. */
  wordNet?: boolean;
  /** `--preset`: the preset of the settings the sources leave out; must agree with sources that name one. */
  preset?: PresetName;
}

/**
 * Merges sources into one intent set. Settings, language and wordNet may each be given by
 * several files only if they agree; a disagreement names both files. Intents with the same
 * path are merged (phrases appended); their answers and descriptions must agree, and a slot
 * given twice must name the same entity (it is required, or an array, if either says so; its prompts
 * are both files', each once).
 * Entities with the same name are merged too: a Rasa project's NLU split over files annotates
 * the same entities in each (records appended; synonyms records of one value join their words).
 * A word given two values stays as the files say: compile keeps the first and warns.
 */
export function mergeSources(sources: readonly ParsedSource[], options: MergeOptions = {}): IntentSet {
  const set: IntentSet = { settings: {}, synonyms: [], stopWords: [], intents: [] };
  const origin = new Map<string, string>(); // "settings.threshold" → file that set it
  const agree = (key: string, current: unknown, next: unknown, file: string) => {
    if (current === undefined || current === next) {
      if (current === undefined) origin.set(key, file);
      return;
    }
    const other = origin.get(key) ?? '?';
    throw new StsError(
      'source_conflict',
      `conflicting ${key}: ${other} says ${JSON.stringify(current)}, ${file} says ${JSON.stringify(next)}`,
      [
        { file: other, path: key, message: `${JSON.stringify(current)}` },
        { file, path: key, message: `${JSON.stringify(next)}` },
      ],
    );
  };
  if (options.language) {
    set.language = options.language;
    origin.set('language', '--language');
  }
  if (options.wordNet !== undefined) {
    set.wordNet = options.wordNet;
    origin.set('wordNet', '--wordnet');
  }
  if (options.preset !== undefined) {
    set.settings.preset = options.preset;
    origin.set('settings.preset', '--preset');
  }
  const byPath = new Map<string, IntentDef>();
  for (const { file, data } of sources) {
    if (data.language !== undefined) {
      agree('language', set.language, data.language, file);
      set.language = data.language;
    }
    if (data.wordNet !== undefined) {
      agree('wordNet', set.wordNet, data.wordNet, file);
      set.wordNet = data.wordNet;
    }
    for (const [key, value] of Object.entries(data.settings ?? {}) as [keyof SettingsOverride, unknown][]) {
      if (value === undefined) continue;
      agree(`settings.${key}`, set.settings[key], value, file);
      (set.settings as Record<string, unknown>)[key] = value;
    }
    set.synonyms.push(...(data.synonyms ?? []));
    for (const entity of data.entities ?? []) {
      const existing = set.entities?.find((e) => e.name === entity.name);
      if (existing) existing.records = mergeRecords(existing.records, entity.records);
      else (set.entities ??= []).push({ ...entity, records: [...entity.records] });
    }
    for (const name of data.allowedPatterns ?? []) if (!set.allowedPatterns?.includes(name)) (set.allowedPatterns ??= []).push(name);
    set.stopWords.push(...(data.stopWords ?? []));
    for (const intent of data.intents) {
      const phrases = [...intent.phrases];
      const patterns = [...(intent.patterns ?? [])];
      const slots = (intent.slots ?? []).map((slot) => ({ ...slot }));
      const existing = byPath.get(intent.path);
      if (!existing) {
        const def: IntentDef = { ...intent, phrases, patterns, slots };
        byPath.set(intent.path, def);
        set.intents.push(def);
        for (const field of ['answer', 'description'] as const) origin.set(`${field} of ${intent.path}`, file);
        for (const slot of slots) origin.set(`entity of slot ${slot.name} of ${intent.path}`, file);
        continue;
      }
      for (const field of ['answer', 'description'] as const) {
        if (intent[field] === undefined) continue;
        agree(`${field} of ${intent.path}`, existing[field], intent[field], file);
        existing[field] = intent[field];
      }
      existing.phrases.push(...phrases);
      (existing.patterns ??= []).push(...patterns);
      for (const slot of slots) {
        const same = existing.slots?.find((e) => e.name === slot.name);
        if (!same) {
          (existing.slots ??= []).push({ ...slot });
          origin.set(`entity of slot ${slot.name} of ${intent.path}`, file);
          continue;
        }
        agree(`entity of slot ${slot.name} of ${intent.path}`, same.entity, slot.entity, file);
        same.required ||= slot.required;
        same.array ||= slot.array;
        if (slot.prompts) same.prompts = [...new Set([...(same.prompts ?? []), ...slot.prompts])];
      }
    }
  }
  return set;
}

/** Records of one entity from two sources: a synonyms record of a value already there adds its words; a record given twice counts once. */
function mergeRecords(records: readonly EntityRecord[], more: readonly EntityRecord[]): EntityRecord[] {
  const merged = records.map((r) => (r.type === 'synonyms' ? { ...r, words: [...r.words] } : r));
  for (const r of more) {
    if (r.type === 'synonyms') {
      const same = merged.find((m) => m.type === 'synonyms' && m.value === r.value);
      if (same?.type !== 'synonyms') merged.push({ ...r, words: [...r.words] });
      else same.words.push(...r.words.filter((w) => !same.words.includes(w)));
    } else if (!merged.some((m) => m.type === 'pattern' && m.pattern === r.pattern && m.value === r.value)) merged.push(r);
  }
  return merged;
}
