import { z } from 'zod';
import { Settings, SettingsObject } from '../config.js';

/** Request and response bodies of the native API: validated at the edge and published as OpenAPI. */
const overrides = {
  model: z.string().min(1).optional().describe('model name; default: the server default model'),
  nBest: SettingsObject.shape.nBest.unwrap().optional(),
  threshold: SettingsObject.shape.threshold.unwrap().optional(),
  timeLimit: SettingsObject.shape.timeLimit.unwrap().optional().describe('deadline in ms (0 = none)'),
  explain: z.boolean().default(false).describe('include the word alignment of the best phrase'),
  onlyAboveThreshold: z
    .boolean()
    .default(false)
    .describe('list only the alternatives above the threshold (a noMatch has none, and score 0): with nBest > 1 the search stops far sooner'),
};

export const ClassifyRequest = z.strictObject({ text: z.string().describe('the user text'), ...overrides });
export type ClassifyRequest = z.output<typeof ClassifyRequest>;

export const BatchRequest = z.strictObject({ texts: z.array(z.string()).min(1), ...overrides });
export type BatchRequest = z.output<typeof BatchRequest>;

const MatchType = z.enum(['exact', 'lemma', 'synonym', 'jaccard', 'acronym', 'entity']);

export const Alternative = z.object({ intent: z.string(), score: z.number(), phrase: z.string(), pattern: z.string().optional() });

export const SlotValue = z.object({
  name: z.string(),
  entity: z.string(),
  value: z.union([z.string(), z.number()]),
  text: z.string(),
  start: z.number().int(),
  end: z.number().int(),
});

export const StsEventSchema = z.object({
  event: z.enum(['match', 'noMatch', 'lengthLimit', 'timeLimit']),
  intent: z.string().nullable(),
  score: z.number().nullable(),
  phrase: z.string().nullable(),
  answer: z.string().optional(),
  alternatives: z.array(Alternative),
  limit: z.object({ kind: z.enum(['symbols', 'words', 'time']), max: z.number(), actual: z.number() }).optional(),
  explanation: z
    .object({
      phrase: z.string(),
      score: z.number(),
      aligned: z.array(
        z.object({
          request: z.string(),
          phrase: z.string(),
          type: MatchType,
          coefficient: z.number(),
          sequence: z.number(),
          weight: z.number(),
          contribution: z.number(),
        }),
      ),
      unmatchedRequest: z.array(z.string()),
      unmatchedPhrase: z.array(z.string()),
      requestWeight: z.number(),
      phraseWeight: z.number(),
      probability: z
        .object({ probability: z.number(), exponent: z.number(), factor: z.number(), words: z.array(z.object({ word: z.string(), evidence: z.number() })) })
        .optional(),
    })
    .optional(),
  rule: z.enum(['phrase', 'pattern']).optional(),
  pattern: z.string().optional(),
  slots: z.array(SlotValue).optional(),
  missingSlots: z.array(z.string()).optional(),
  missingSlotPrompts: z.record(z.string(), z.array(z.string())).optional(),
  entities: z
    .array(z.object({ entity: z.string(), value: z.union([z.string(), z.number()]), text: z.string(), start: z.number().int(), end: z.number().int() }))
    .optional(),
  elapsedMs: z.number(),
  modelId: z.string(),
});

export const BatchResponse = z.object({ results: z.array(StsEventSchema) });

export const ModelSummary = z.object({
  name: z.string(),
  id: z.string(),
  language: z.string(),
  intents: z.number().int(),
  phrases: z.number().int(),
  loadedAt: z.string().optional().describe('ISO 8601: when the model was loaded into memory; absent while it is only in the store (models load on their first request)'),
  default: z.boolean(),
});

export const ModelDetail = ModelSummary.extend({
  settings: Settings,
  intentList: z.array(
    z.object({ path: z.string(), description: z.string().optional(), answer: z.string().optional(), phrases: z.number().int() }),
  ),
});

export const ModelList = z.object({ models: z.array(ModelSummary) });

/** How probabilityWeight was chosen, when the settings ask for tuneProbabilityWeight (src/model/tune-probability.ts). */
const Tuning = z.object({
  folds: z.number().int(),
  chosen: z.number(),
  configured: z.number(),
  heldOut: z.number().int(),
  correct: z.array(z.object({ probabilityWeight: z.number(), count: z.number().int() })),
  skipped: z.string().optional(),
});

export const PutModelResponse = z.object({ model: ModelSummary, warnings: z.array(z.string()), tuning: Tuning.optional() });

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string().optional(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  }),
});
