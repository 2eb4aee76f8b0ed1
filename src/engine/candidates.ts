import type { PreparedModel, Weights } from './prepared-model.js';
import type { AnalyzedRequest } from './request.js';
import { MIN_PHRASE_ACRONYM } from './prepared-model.js';

export interface Candidates {
  /** Phrase ids, best upper bound first. */
  phrases: Int32Array;
  /** Upper bound of each listed phrase's score, same order; Infinity where no bound is known. */
  bounds: Float64Array;
}

/**
 * The phrases worth scoring, from the inverted index, each with an upper bound of its score:
 *   bound = maxSequence × Σ_request words max_(stems of the phrase it can match) c × (u + v)
 *           / (U + V_phrase)
 * Each request word is in at most one pair and a pair weighs c × (u + v), so no alignment can
 * beat it. Scoring in bound order can stop as soon as a bound falls below the scores kept.
 * Phrases reached only through acronyms get an infinite bound (an acronym pair spans several words).
 */
export function findCandidates(
  pm: PreparedModel,
  req: AnalyzedRequest,
  w: Weights,
  maxSequence: number,
  acronyms: boolean,
): Candidates {
  const { stamp, best, acc, seen } = pm.scratch;
  const touched: number[] = [];
  const round: number[] = [];
  // Scratch slots are zero between requests: `stamp` holds the last word (1-based) that touched a
  // phrase, `seen` whether any did; both are cleared for the touched phrases before returning.
  const byWord = groupMatchesByWord(req);
  for (let i = 0; i < req.words.length; i++) {
    const u = req.words[i]!.weight;
    const mark = i + 1;
    round.length = 0;
    for (const [stem, coefficient] of byWord[i] ?? []) {
      const value = coefficient * (u + (w.stem[stem] as number));
      const list = pm.postings[stem] as Int32Array;
      for (let k = 0; k < list.length; k++) {
        const p = list[k] as number;
        if (stamp[p] !== mark) {
          if (seen[p] === 0) {
            seen[p] = 1;
            acc[p] = 0;
            touched.push(p);
          }
          stamp[p] = mark;
          best[p] = value;
          round.push(p);
        } else if (value > (best[p] as number)) best[p] = value;
      }
    }
    for (const p of round) acc[p] = (acc[p] as number) + (best[p] as number);
  }
  const forced = acronyms ? acronymPhrases(pm, req) : new Set<number>();
  for (const p of forced) {
    if (seen[p] === 0) {
      seen[p] = 1;
      acc[p] = 0;
      touched.push(p);
    }
  }
  const bounds = new Float64Array(touched.length);
  touched.forEach((p, k) => {
    bounds[k] = forced.has(p) ? Infinity : (maxSequence * (acc[p] as number)) / (req.total + (w.phraseTotal[p] as number));
    stamp[p] = 0;
    seen[p] = 0;
  });
  const order = Array.from(touched.keys()).sort((a, b) => (bounds[b] as number) - (bounds[a] as number) || touched[a]! - touched[b]!);
  return { phrases: Int32Array.from(order, (k) => touched[k]!), bounds: Float64Array.from(order, (k) => bounds[k]!) };
}

function groupMatchesByWord(req: AnalyzedRequest): [number, number][][] {
  const byWord: [number, number][][] = req.words.map(() => []);
  for (const [stem, list] of req.matches) {
    for (const m of list) byWord[m.word]!.push([stem, m.coefficient]);
  }
  return byWord;
}

function acronymPhrases(pm: PreparedModel, req: AnalyzedRequest): Set<number> {
  const found = new Set<number>();
  if (req.words.some((w) => w.acronym)) {
    const index = pm.acronyms();
    for (const word of req.words) {
      if (word.acronym) for (const p of index.get(word.form) ?? []) found.add(p);
    }
  }
  for (const initials of req.runInitials.keys()) {
    if (initials.length < MIN_PHRASE_ACRONYM) continue;
    const term = pm.termIds.get(initials);
    if (term === undefined) continue;
    for (const p of pm.postings[pm.termStems[term] as number] ?? []) found.add(p);
  }
  return found;
}
