import { z } from 'zod';
import { Settings } from '../config.js';
import { ClassifyOptions } from '../engine/classifier.js';
import { StsEvent } from '../engine/event/events.js';
import { CrossValidation } from '../model/cross-validate.js';
import { ProbabilityTuning } from '../model/tune-probability.js';

/** Request and response bodies of the native API: validated at the edge and published as OpenAPI. */

/** The per-call options a request may give: some of the library's (ClassifyOptions), with the server's defaults. */
const { nBest, threshold, timeLimit, explain, onlyAboveThreshold } = ClassifyOptions.shape;
const overrides = {
  model: z.string().min(1).optional().describe('model name; default: the server default model'),
  nBest,
  threshold,
  timeLimit: timeLimit.describe('deadline in ms from the request\'s arrival, at most the server\'s cap (STS_MAX_TIME_LIMIT_MS, else the model\'s timeLimit); 0 = the cap'),
  explain: explain.unwrap().default(false).describe('include the word alignment of the best phrase'),
  onlyAboveThreshold: onlyAboveThreshold
    .unwrap()
    .default(false)
    .describe('list only the alternatives above the threshold (a noMatch has none, and score 0): with nBest > 1 the search stops far sooner'),
};

export const ClassifyRequest = z.strictObject({ text: z.string().describe('the user text'), ...overrides });
export type ClassifyRequest = z.output<typeof ClassifyRequest>;

export const BatchRequest = z.strictObject({ texts: z.array(z.string()).min(1), ...overrides });
export type BatchRequest = z.output<typeof BatchRequest>;

/** The event of one classification: the engine's own schema (its StsEvent type is inferred from it). */
export { StsEvent as StsEventSchema } from '../engine/event/events.js';

export const BatchResponse = z.object({ results: z.array(StsEvent) });

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

export const PutModelResponse = z.object({ model: ModelSummary, warnings: z.array(z.string()), tuning: ProbabilityTuning.optional(), crossValidation: CrossValidation.optional() });

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string().optional(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  }),
});
