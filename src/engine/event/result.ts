import type { Settings } from '../../config.js';
import type { PreparedModel, Weights } from '../prepare/prepared-model.js';
import type { AnalyzedRequest } from '../prepare/request.js';
import type { PatternHit } from '../score/pattern-hits.js';
import type { RequestProbabilities } from '../search/request-probability.js';
import type { Alternative, UntimedEvent } from './events.js';
import { explainPhrase, explainProbability } from './explain.js';
import { fillSlots, foundEntities } from './slots.js';

/** An intent as ranked: its rounded score, its closest phrase (-1: none scored), and the pattern that decided, if one did. */
export interface RankedIntent {
  intent: number;
  score: number;
  phrase: number;
  pattern?: string;
  /** The score is the regression's (probabilityFloor), above what its phrases scored. */
  byProbability?: boolean;
}

/** What the event of a finished search is made of. */
export interface SearchResult {
  pm: PreparedModel;
  settings: Settings;
  weights: Weights;
  req: AnalyzedRequest;
  /** The intents, best first, at most nBest. */
  ranked: readonly RankedIntent[];
  patternHits: ReadonlyMap<number, PatternHit>;
  probability?: RequestProbabilities;
  explain: boolean;
}

/**
 * The match or noMatch event of a finished search: the best intent if its score is above the
 * threshold, the alternatives, and for a match its answer and slots; the entities of the
 * request; and how the best phrase aligned (not for a pattern).
 */
export function resultEvent({ pm, settings, weights, req, ranked, patternHits, probability, explain }: SearchResult): UntimedEvent {
  const { model } = pm;
  const alternatives: Alternative[] = ranked.map((r) => ({
    intent: model.intents[r.intent]!.path,
    score: r.score,
    phrase: r.pattern ?? model.phrases[r.phrase]!.text,
    ...(r.pattern !== undefined && { pattern: r.pattern }),
  }));
  const top = ranked[0];
  const matched = top !== undefined && top.score > settings.threshold ? top : undefined;
  const intent = matched && model.intents[matched.intent]!;
  const event: UntimedEvent =
    matched && intent
      ? { event: 'match', intent: intent.path, score: matched.score, phrase: alternatives[0]!.phrase, alternatives, modelId: model.id }
      : { event: 'noMatch', intent: null, score: top ? top.score : 0, phrase: top ? alternatives[0]!.phrase : null, alternatives, modelId: model.id };
  if (top) event.rule = top.pattern !== undefined ? 'pattern' : top.byProbability ? 'probability' : 'phrase';
  if (top?.pattern !== undefined) event.pattern = top.pattern;
  if (intent?.answer !== undefined) event.answer = intent.answer;
  if (matched && intent?.slots) {
    const { slots, missing, prompts } = fillSlots(intent.slots, req.entities, patternHits.get(matched.intent)?.captures);
    event.slots = slots;
    if (missing.length > 0) event.missingSlots = missing;
    if (Object.keys(prompts).length > 0) event.missingSlotPrompts = prompts;
  }
  if (req.entities.length > 0) event.entities = foundEntities(req.entities);
  if (explain && top && top.pattern === undefined) {
    event.explanation = explainPhrase(pm, req, top.phrase, settings, weights);
    if (probability) event.explanation.probability = explainProbability(pm, probability, top.intent);
  }
  return event;
}
