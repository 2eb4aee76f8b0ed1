import type { EntityMatch } from '../../entities/index.js';
import type { MatchType } from '../prepare/request.js';
import type { SlotValue } from './slots.js';

/** An entity value found in the request: the entity, its value, the text and where it stands. */
export type FoundEntity = Pick<EntityMatch, 'entity' | 'value' | 'text' | 'start' | 'end'>;

/** The four outcomes JAICP's STS classifier emits, with its names. */
export type EventName = 'match' | 'noMatch' | 'lengthLimit' | 'timeLimit';

export interface Alternative {
  intent: string;
  score: number;
  /** The intent's closest training phrase (for an intent a pattern decided: the pattern). */
  phrase: string;
  /** Present when the intent's score came from a pattern (patternMatch) rather than its phrases. */
  pattern?: string;
}

/** One aligned pair of the winning phrase: which request words matched which phrase words, and how. */
export interface AlignedWords {
  request: string;
  phrase: string;
  type: MatchType;
  coefficient: number;
  /** wordSequence1/2/3 factor of the run of in-order pairs this pair belongs to. */
  sequence: number;
  /** Sum of the idf weights of the words on both sides. */
  weight: number;
  /** What the pair adds to the score: coefficient × sequence × weight / total weight. */
  contribution: number;
}

export interface Explanation {
  phrase: string;
  score: number;
  aligned: AlignedWords[];
  unmatchedRequest: string[];
  unmatchedPhrase: string[];
  /** Weights of all request words and of all phrase words: the score's denominator. */
  requestWeight: number;
  phraseWeight: number;
  /** With probabilityWeight: the intent's probability and the factor its score was multiplied by. */
  probability?: ProbabilityExplanation;
}

/** P(intent | words) of the explained intent (docs/scoring.md §7), the exponent γ' and the factor (P / P_max)^γ'; each request word's pull (+ towards the intent, − away). */
export interface ProbabilityExplanation {
  probability: number;
  exponent: number;
  factor: number;
  words: { word: string; evidence: number }[];
}

/** Which limit a lengthLimit or timeLimit event hit, its maximum and the actual value. */
export interface LimitInfo {
  kind: 'symbols' | 'words' | 'time';
  max: number;
  actual: number;
}

export interface StsEvent {
  event: EventName;
  /** The matched intent's path; null unless event is match. */
  intent: string | null;
  /** Best score seen (also on noMatch); null for limit events. */
  score: number | null;
  /** Closest training phrase of the best intent; null when there is none. */
  phrase: string | null;
  /** The matched intent's answer, when it has one. */
  answer?: string;
  /** The best intents, best first (the first is the winner), at most nBest; also on noMatch. */
  alternatives: Alternative[];
  /** Present on limit events. */
  limit?: LimitInfo;
  /** How the best phrase was aligned; present unless explain is false or a pattern decided. */
  explanation?: Explanation;
  /** Which rule gave the best intent its score: its phrases (STS) or one of its patterns. */
  rule?: 'phrase' | 'pattern';
  /** The pattern that matched, when rule is "pattern". */
  pattern?: string;
  /** The matched intent's slots filled from entities of the request (array slots: one entry per value). */
  slots?: SlotValue[];
  /** Required slots of the matched intent that the request did not fill. */
  missingSlots?: string[];
  /** The prompts (questions to ask) of the missing slots that have some, by slot name. */
  missingSlotPrompts?: Record<string, string[]>;
  /** Entities found in the request (JAICP's $context.entities), when there are any. */
  entities?: FoundEntity[];
  elapsedMs: number;
  modelId: string;
}
