import type { Settings } from '../config.js';
import type { Model } from './model-schema.js';
import { OWN_KEYS, STS_KEYS, pick } from './caila-project.js';

/*
 * Writing a compiled model as a Caila / SmartApp Brain project export (what JAICP imports, and
 * what `sts train` reads back into the same model).
 */

export interface CailaIntentOutput {
  id: number; path: string; enabled: boolean; shared: boolean; phrases: { text: string }[];
  patterns: string[]; priority: number; answer?: string; description?: string; customData: null; slots: unknown[];
}

export interface CailaProjectOutput {
  project: { id: string; name: string; folder: string };
  settings: {
    language: string; spellingCorrection: boolean; classificationAlgorithm: 'sts'; timezone: string; shared: boolean;
    extendedSettings: {
      patternsEnabled: boolean; tokenizerEngine: string; dictionaryAutogeneration: boolean; allowedPatterns: string[];
      stsSettings: Pick<Settings, (typeof STS_KEYS)[number]>;
      /** Ours, not Caila's: what Caila has no place for, so that export → import is lossless. */
      stsClassifier: Pick<Settings, (typeof OWN_KEYS)[number]> & {
        calibrate?: boolean;
        wordNet: boolean; stopWords: string[]; synonyms: { words: string[]; weight: number }[];
      };
    };
  };
  intents: CailaIntentOutput[]; entities: unknown[]; enabledSystemEntities: string[];
}

/** A Caila project of a compiled model, to import into JAICP or to read back here without loss. */
export function modelToCailaProject(model: Model, name: string): CailaProjectOutput {
  const phrases = model.intents.map((): { text: string }[] => []);
  for (const p of model.phrases) phrases[p.intent]?.push({ text: p.text });
  const patterns = model.intents.map((): string[] => []);
  for (const p of model.patterns) patterns[p.intent]?.push(p.source);
  return {
    project: { id: name, name, folder: `/${name}` },
    settings: {
      language: model.language,
      spellingCorrection: false,
      classificationAlgorithm: 'sts',
      timezone: 'UTC',
      extendedSettings: {
        patternsEnabled: model.patterns.length > 0,
        tokenizerEngine: model.language.slice(0, 2) === 'ru' ? 'udpipe' : 'spacy',
        dictionaryAutogeneration: false,
        allowedPatterns: [...model.allowedPatterns],
        stsSettings: pick(model.settings, STS_KEYS),
        stsClassifier: {
          ...pick(model.settings, OWN_KEYS),
          // A calibrated model holds calibrate false (its calibration is done): the source asked for it.
          ...(model.calibration !== undefined && { calibrate: true }),
          wordNet: model.wordNet,
          stopWords: [...model.stopWords],
          // WordNet groups are not written: compile derives them again from the phrases.
          synonyms: model.synonyms.filter((g) => g.source === 'user').map((g) => ({ words: [...g.words], weight: g.weight })),
        },
      },
      shared: false,
    },
    intents: model.intents.map((intent, k) => ({
      ...{ id: k + 1, path: intent.path, enabled: true, shared: false, phrases: phrases[k] ?? [], patterns: patterns[k] ?? [], priority: 0 },
      ...(intent.answer !== undefined && { answer: intent.answer }),
      ...(intent.description !== undefined && { description: intent.description }),
      customData: null,
      slots: (intent.slots ?? []).map((slot) => ({ ...slot, prompts: slot.prompts ?? [] })),
    })),
    entities: model.entities.entities.map((entity, e) => ({
      entity: { id: e + 1, name: entity.name, enabled: true, type: 'annotation' },
      records: entity.records.map((r, k) =>
        r.type === 'synonyms'
          ? { id: k + 1, type: 'synonyms', rule: [...r.words], value: r.value }
          : { id: k + 1, type: 'pattern', rule: [r.pattern], ...(r.value !== undefined && { value: r.value }) },
      ),
    })),
    enabledSystemEntities: [],
  };
}

/** A model's Caila project export as the JSON text a server sends. */
export function cailaProjectText(model: Model, name: string): string {
  return JSON.stringify(modelToCailaProject(model, name));
}
