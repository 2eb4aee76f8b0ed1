import type { PreparedModel } from '../prepare/prepared-model.js';
import type { AnalyzedRequest, StemMatch } from '../prepare/request.js';

/** How a request word may meet a phrase stem for bounds: the request's matches, and 'acronym' (see boundMatches). */
export type BoundMatch = Omit<StemMatch, 'kind'> & { kind: StemMatch['kind'] | 'acronym' };
export const MATCH_KINDS: readonly BoundMatch['kind'][] = ['stem', 'synonym', 'jaccard', 'entity', 'acronym', 'vector'];

/**
 * The request's matches, plus one per word of a run whose initials a phrase word spells
 * ("eta" for "estimated time of arrival"): each word of the run meets that word's stem with
 * acronymMatch. The acronym pair weighs acronymMatch × (v + Σ_run u), at most the sum of
 * those per-word values, so bounds stay bounds; the phrases are found through postings.
 */
export function boundMatches(pm: PreparedModel, req: AnalyzedRequest, acronymMatch: number): Map<number, BoundMatch[]> {
  if (acronymMatch <= 0 || req.acronymTerms.size === 0) return req.matches;
  const matches = new Map<number, BoundMatch[]>([...req.matches].map(([stem, list]) => [stem, [...list]]));
  for (const [term, runs] of req.acronymTerms) {
    const stem = pm.termStems[term] as number;
    const list = matches.get(stem) ?? [];
    for (const run of runs) {
      for (let word = run.start; word < run.end; word++) {
        if (!list.some((m) => m.word === word && m.kind === 'acronym')) list.push({ word, kind: 'acronym', coefficient: acronymMatch });
      }
    }
    matches.set(stem, list);
  }
  return matches;
}
