import type { Budget, Steps } from '../../budget.js';
import { SYSTEM_ENTITY_ALIASES, type EntityMatch } from '../../entities/index.js';
import { matchPattern, type PatternEntity } from '../../patterns/index.js';
import type { PreparedModel } from '../prepare/prepared-model.js';
import type { AnalyzedRequest } from '../prepare/request.js';

export interface PatternHit {
  source: string;
  /** Entities the pattern's `@Entity` elements took, in request order. */
  captures: EntityMatch[];
}

/**
 * The intents whose patterns match the whole request, with the first pattern (in model order)
 * that did. JAICP scores patterns apart from phrases; a hit scores patternMatch. Pauses between
 * patterns; a pattern's match checks the deadline as it goes (up to PATTERN_MAX_STEPS steps).
 */
export function* findPatternHits(pm: PreparedModel, req: AnalyzedRequest, budget: Budget): Steps<Map<number, PatternHit>> {
  const hits = new Map<number, PatternHit>();
  if (pm.patterns.length === 0) return hits;
  const entities = withAliases(req.entities);
  for (const p of pm.patterns) {
    if (budget.pause()) yield;
    if (hits.has(p.intent)) continue;
    const match = matchPattern(p.compiled, req.words, entities, { budget });
    if (!match) continue;
    // A capture is one of the request's entity matches (or its alias copy): find it by its words.
    const captures = match.captures.flatMap((c) => req.entities.filter((e) => e.wordStart === c.wordStart && e.wordEnd === c.wordEnd).slice(0, 1));
    hits.set(p.intent, { source: p.source, captures });
  }
  return hits;
}

/** Matches of built-ins also under their Caila names, so a pattern's @duckling.number finds a number. */
function withAliases(entities: readonly EntityMatch[]): PatternEntity[] {
  const out: PatternEntity[] = [...entities];
  for (const [alias, builtin] of Object.entries(SYSTEM_ENTITY_ALIASES)) {
    for (const e of entities) if (e.entity === builtin) out.push({ ...e, entity: alias });
  }
  return out;
}
