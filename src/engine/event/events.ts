import { z } from 'zod';
import { MatchType } from '../score/align.js';

/**
 * The event a classification gives, declared once: the engine's types are inferred from these
 * schemas, and the server validates and publishes (OpenAPI) the same ones. StsEvent is a union
 * discriminated by `event`: after `if (e.event === 'match')`, `e.intent` is a string.
 */

/** The four outcomes JAICP's STS classifier emits, with its names. */
export const EventName = z.enum(['match', 'noMatch', 'lengthLimit', 'timeLimit']);
export type EventName = z.infer<typeof EventName>;

/** An entity value found in the request: the entity, its value, the text and where it stands (UTF-16 offsets, end exclusive). */
export const FoundEntity = z.object({
  /** The entity's name, e.g. `City` or a system entity such as `duckling.number`. */
  entity: z.string(),
  /** Its value: the record's value (or name) for a dictionary entity, the number for a number. */
  value: z.union([z.string(), z.number()]),
  /** The request's text it was found in, as typed. */
  text: z.string(),
  /** Where that text starts in the request (UTF-16 offset). */
  start: z.number().int(),
  /** Where it ends (UTF-16 offset, exclusive). */
  end: z.number().int(),
});
export type FoundEntity = z.infer<typeof FoundEntity>;

/** A slot filled from the request: the entity's value, the text it was found in and where. */
export const SlotValue = z.object({
  /** The slot's name in the intent. */
  name: z.string(),
  ...FoundEntity.shape,
});
export type SlotValue = z.infer<typeof SlotValue>;

/** One of the best intents of a classification, with its score and closest phrase. */
export const Alternative = z.object({
  /** The intent's path, e.g. `/Restaurant/BookTable`. */
  intent: z.string(),
  /** Its score (0–1, calibrated when the model is): a match needs the best one above the threshold. */
  score: z.number(),
  /** The intent's closest training phrase (for an intent a pattern decided: the pattern). */
  phrase: z.string(),
  /** Present when the intent's score came from a pattern (patternMatch) rather than its phrases. */
  pattern: z.string().optional(),
});
export type Alternative = z.infer<typeof Alternative>;

/** One aligned pair of the winning phrase: which request words matched which phrase words, and how. */
export const AlignedWords = z.object({
  /** The request's word (or words, for an acronym or an entity). */
  request: z.string(),
  /** The phrase's word (or words) it was paired with. */
  phrase: z.string(),
  /** Why they match: exact, lemma, synonym, jaccard (close in letters, or a typo), acronym, entity (a value of the phrase's @Entity), vector (close in meaning). */
  type: MatchType,
  /** The coefficient of that kind of match (the setting of the same name; vector: times the cosine). */
  coefficient: z.number(),
  /** wordSequence1/2/3 factor of the run of in-order pairs this pair belongs to. */
  sequence: z.number(),
  /** Sum of the idf weights of the words on both sides. */
  weight: z.number(),
  /** What the pair adds to the score: coefficient × sequence × weight / total weight. */
  contribution: z.number(),
});
export type AlignedWords = z.infer<typeof AlignedWords>;

/** P(intent | words) of the explained intent (docs/scoring.md §7), the exponent γ' and the factor (P / P_max)^γ'; each request word's pull (+ towards the intent, − away). */
export const ProbabilityExplanation = z.object({
  /** P(intent | words), as the regression gives it. */
  probability: z.number(),
  /** The exponent γ' applied to P / P_max. */
  exponent: z.number(),
  /** (P / P_max)^γ': what the phrase score was multiplied by. */
  factor: z.number(),
  /** Each request word the regression knows, and its pull (+ towards the intent, − away). */
  words: z.array(z.object({ word: z.string(), evidence: z.number() })),
  /** With charGrams: the pull of the request's character n-grams, together. */
  letters: z.number().optional(),
  /** With wordVectors: the pull of the request's sentence vector (what its words mean). */
  meaning: z.number().optional(),
});
export type ProbabilityExplanation = z.infer<typeof ProbabilityExplanation>;

/** Why the best intent scored what it did: its closest phrase, word by word. */
export const Explanation = z.object({
  /** The training phrase that scored best. */
  phrase: z.string(),
  /** That phrase's score against the request, before the regression's factor and calibration. */
  score: z.number(),
  /** The pairs of request and phrase words that matched, in request order. */
  aligned: z.array(AlignedWords),
  /** Request words that matched no phrase word. */
  unmatchedRequest: z.array(z.string()),
  /** Phrase words that no request word matched. */
  unmatchedPhrase: z.array(z.string()),
  /** Weights of all request words and of all phrase words: the score's denominator. */
  requestWeight: z.number(),
  /** Weight of all the phrase's words (see requestWeight). */
  phraseWeight: z.number(),
  /** With probabilityWeight: the intent's probability and the factor its score was multiplied by. */
  probability: ProbabilityExplanation.optional(),
});
export type Explanation = z.infer<typeof Explanation>;

/**
 * Which limit a lengthLimit or timeLimit event hit, its maximum and the actual value: characters
 * or words (lengthLimit); milliseconds of the deadline (`time`) or of the request's allowance
 * for entity regular expressions (`regex`) (timeLimit).
 */
export const LimitInfo = z.object({
  /** symbols or words (lengthLimit); time or regex (timeLimit). */
  kind: z.enum(['symbols', 'words', 'time', 'regex']),
  /** The limit: characters, words or milliseconds. */
  max: z.number(),
  /** What the request had or took, in the same unit (more than max). */
  actual: z.number(),
});
export type LimitInfo = z.infer<typeof LimitInfo>;

/** The fields every event has (most of them optional), after event, intent, score and phrase. */
const outcome = {
  /** The best intents, best first (the first is the winner), at most nBest; also on noMatch. */
  alternatives: z.array(Alternative),
  /** The matched intent's answer, when it has one. */
  answer: z.string().optional(),
  /** How the best phrase was aligned; present unless explain is false or a pattern decided. */
  explanation: Explanation.optional(),
  /**
   * Which rule gave the best intent its score: its phrases (STS), one of its patterns, or the
   * regression over the request's words alone (probabilityFloor).
   */
  rule: z.enum(['phrase', 'pattern', 'probability']).optional(),
  /** The pattern that matched, when rule is "pattern". */
  pattern: z.string().optional(),
  /** The matched intent's slots filled from entities of the request (array slots: one entry per value). */
  slots: z.array(SlotValue).optional(),
  /** Required slots of the matched intent that the request did not fill. */
  missingSlots: z.array(z.string()).optional(),
  /** The prompts (questions to ask) of the missing slots that have some, by slot name. */
  missingSlotPrompts: z.record(z.string(), z.array(z.string())).optional(),
  /** Entities found in the request (JAICP's $context.entities), when there are any. */
  entities: z.array(FoundEntity).optional(),
  /** Milliseconds the classification took (a server's timeLimit answered before it could begin: since the request arrived). */
  elapsedMs: z.number(),
  /** The id (content hash) of the model that answered. */
  modelId: z.string(),
};

/** A match: the intent, its score (above the threshold) and its closest phrase (or pattern). */
export const MatchEvent = z.object({
  /** What happened: match, noMatch, lengthLimit or timeLimit (JAICP's event names). */
  event: z.literal('match'),
  /** The matched intent's path. */
  intent: z.string(),
  /** Its score, above the threshold. */
  score: z.number(),
  /** Its closest training phrase (or the pattern that matched). */
  phrase: z.string(),
  ...outcome,
  /** Only limit events have one. */
  limit: z.never().optional(),
});

/** No intent above the threshold: the best score seen, and the best intent's closest phrase when there is one. */
export const NoMatchEvent = z.object({
  /** What happened: match, noMatch, lengthLimit or timeLimit (JAICP's event names). */
  event: z.literal('noMatch'),
  /** null: no intent scored above the threshold. */
  intent: z.null(),
  /** The best score seen (at or below the threshold). */
  score: z.number(),
  /** The best intent's closest phrase, when any intent scored. */
  phrase: z.string().nullable(),
  ...outcome,
  limit: z.never().optional(),
});

/** The text was over lengthLimit or wordLimit, or the time limit passed: which limit, and nothing else decided. */
export const LimitEvent = z.object({
  /** What happened: match, noMatch, lengthLimit or timeLimit (JAICP's event names). */
  event: z.enum(['lengthLimit', 'timeLimit']),
  /** null: a limit decided, not an intent. */
  intent: z.null(),
  /** null: nothing was scored to the end. */
  score: z.null(),
  /** null, as intent and score. */
  phrase: z.null(),
  ...outcome,
  /** Which limit was hit, its maximum and the request's actual value. */
  limit: LimitInfo,
});

export const StsEvent = z.discriminatedUnion('event', [MatchEvent, NoMatchEvent, LimitEvent]);
export type StsEvent = z.infer<typeof StsEvent>;

/** An event before its elapsedMs is known (each kind of event without it). */
export type UntimedEvent = StsEvent extends infer E ? (E extends StsEvent ? Omit<E, 'elapsedMs'> : never) : never;
