import { z } from 'zod';

/* The bodies of Caila's NLU API that we serve (reference §3): validated at the edge and published as OpenAPI. */

/** Caila's public inference API (reference §3): what JAICP / SmartApp Brain clients send and expect. */
export const CailaInferenceRequest = z.looseObject({
  phrase: z.looseObject({ text: z.string() }),
  nBest: z.number().int().min(1).max(1000).optional(),
  /** Accepted and not used: slots are filled from the text alone. */
  knownSlots: z.array(z.unknown()).optional(),
  showDebugInfo: z.boolean().optional(),
  clientId: z.string().optional(),
});
export type CailaInferenceRequest = z.output<typeof CailaInferenceRequest>;

/** POST /nlu/analyze, as JAICF's Caila activator sends it: an inference request under `data`. */
export const CailaAnalyzeRequest = z.looseObject({
  data: CailaInferenceRequest,
  /** Accepted and not used: every entity found is listed. */
  showAll: z.boolean().optional(),
});

export const CailaSlotDef = z.object({
  name: z.string(),
  entity: z.string(),
  required: z.boolean(),
  prompts: z.array(z.string()),
  array: z.boolean(),
});

export const CailaIntent = z.object({
  id: z.number().int(),
  path: z.string(),
  answer: z.string().nullable(),
  customData: z.unknown().nullable(),
  slots: z.array(CailaSlotDef),
});

export const CailaSlotValue = z.object({ name: z.string(), value: z.string(), array: z.boolean() });

export const CailaVariant = z.object({
  intent: CailaIntent,
  confidence: z.number(),
  slots: z.array(CailaSlotValue),
  /** null unless showDebugInfo; always present, as JAICF's decoder requires. */
  debug: z.object({ phrase: z.string().nullable(), event: z.string() }).nullable(),
});

export const CailaEntity = z.object({
  entity: z.string(),
  slot: z.null(),
  startPos: z.number().int(),
  endPos: z.number().int(),
  text: z.string(),
  value: z.string(),
  default: z.boolean(),
  system: z.boolean(),
  entityId: z.number().int().nullable(),
});

export const CailaInferenceResponse = z.object({
  phrase: z.object({ text: z.string(), entities: z.array(CailaEntity) }),
  variants: z.array(CailaVariant),
});

/** The best variant, or `{intent: null, confidence: 0, slots: []}` on a noMatch. */
export const CailaSimpleInferenceResponse = z.union([
  CailaVariant,
  z.object({ intent: z.null(), confidence: z.literal(0), slots: z.array(CailaSlotValue).max(0) }),
]);

/** A word or punctuation mark of the text: `word` normalized, `annotations.lemma` its stem, `pos` null (no tagger). */
export const CailaWord = z.object({
  annotations: z.object({ lemma: z.string(), pos: z.null() }),
  startPos: z.number().int(),
  endPos: z.number().int(),
  pattern: z.boolean(),
  punctuation: z.boolean(),
  source: z.string(),
  word: z.string(),
});

export const CailaEntitiesResponse = z.object({
  text: z.string(),
  entities: z.array(CailaEntity),
  stagedPhraseIdx: z.null(),
  phraseMarkup: z.array(CailaWord),
});

export const CailaAnalyzeResponse = z.object({
  markup: z.object({ source: z.string(), correctedText: z.string(), words: z.array(CailaWord) }),
  entitiesLookup: CailaEntitiesResponse,
  inference: z.object({
    phrase: z.object({ text: z.string(), entities: z.array(CailaEntity), stagedPhraseIdx: z.null(), phraseMarkup: z.null() }),
    variants: z.array(CailaVariant),
    spelledWords: z.null(),
  }),
});

export const CailaError = z.object({ error: z.string(), errors: z.array(z.object({ code: z.string(), message: z.string() })) });
