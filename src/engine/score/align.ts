import { z } from 'zod';
import type { Settings } from '../../config.js';
import { type PreparedModel, type Weights } from '../prepare/prepared-model.js';
import type { AnalyzedRequest } from '../prepare/request.js';

/** How a request word (or run of words) matched a phrase word: the kinds an explanation lists. */
export const MatchType = z.enum(['exact', 'lemma', 'synonym', 'jaccard', 'acronym', 'entity', 'vector']);
export type MatchType = z.infer<typeof MatchType>;

/** Request words [i0, i1) aligned with phrase words [j0, j1) by one match type. */
export interface Pair {
  i0: number;
  i1: number;
  j0: number;
  j1: number;
  type: MatchType;
  coefficient: number;
  /** Sum of the weights of the words on both sides. */
  mass: number;
  /** wordSequence1/2/3 factor of the run this pair is in (set after alignment). */
  sequence: number;
}

export interface Alignment {
  score: number;
  pairs: Pair[];
  /** Sum of the weights of the phrase's words. */
  phraseTotal: number;
}

type ScoreSettings = Pick<
  Settings,
  | 'exactMatch'
  | 'lemmaMatch'
  | 'acronymMatch'
  | 'throughPatternMatch'
  | 'namedEntitiesRequired'
  | 'wordSequence1'
  | 'wordSequence2'
  | 'wordSequence3'
>;

/**
 * Aligns a request with one phrase and scores it (docs/scoring.md):
 *   score = Σ_pairs coefficient × sequence × (weights of the pair's words on both sides)
 *           / (weights of all request words + weights of all phrase words)
 * Pairs are chosen greedily, heaviest first, each word used once, so unmatched words on
 * either side stay in the denominator and lower the score.
 */
export function alignPhrase(
  pm: PreparedModel,
  req: AnalyzedRequest,
  phrase: number,
  s: ScoreSettings,
  w: Weights,
): Alignment {
  const terms = pm.phraseTerms[phrase] as Int32Array;
  const words = req.words;
  const candidates: Pair[] = [];
  for (let j = 0; j < terms.length; j++) {
    const term = terms[j] as number;
    const stem = pm.termStems[term] as number;
    const v = w.stem[stem] as number;
    const spans = req.entitySpans.size > 0 ? req.entitySpans.get(stem) : undefined;
    if (spans) {
      // "@City" in the phrase takes the request's whole City value ("new york") as one pair.
      for (const span of spans) {
        let mass = v;
        for (let i = span.start; i < span.end; i++) mass += words[i]!.weight;
        if (s.throughPatternMatch > 0) candidates.push(pair(span.start, span.end, j, j + 1, 'entity', s.throughPatternMatch, mass));
      }
    }
    for (const m of req.matches.get(stem) ?? []) {
      if (m.kind === 'entity') continue; // paired by span above
      const word = words[m.word]!;
      let type: MatchType = m.kind === 'stem' ? (word.termId === term ? 'exact' : 'lemma') : m.kind;
      let coefficient = m.coefficient;
      if (type === 'exact') coefficient = s.exactMatch;
      else if (type === 'lemma') coefficient = s.lemmaMatch;
      if (coefficient > 0) candidates.push(pair(m.word, m.word + 1, j, j + 1, type, coefficient, word.weight + v));
    }
  }
  if (s.acronymMatch > 0 && (req.hasAcronymWords || req.acronymTerms.size > 0)) {
    addAcronyms(pm, req, terms, s.acronymMatch, w, candidates);
  }

  // Heaviest first; between equals, the pair whose positions agree more (keeps word order).
  candidates.sort(
    (a, b) => b.coefficient * b.mass - a.coefficient * a.mass || Math.abs(a.i0 - a.j0) - Math.abs(b.i0 - b.j0),
  );
  const usedI = new Uint8Array(words.length);
  const usedJ = new Uint8Array(terms.length);
  const pairs: Pair[] = [];
  for (const c of candidates) {
    if (anyUsed(usedI, c.i0, c.i1) || anyUsed(usedJ, c.j0, c.j1)) continue;
    usedI.fill(1, c.i0, c.i1);
    usedJ.fill(1, c.j0, c.j1);
    pairs.push(c);
  }
  pairs.sort((a, b) => a.i0 - b.i0);
  applySequences(pairs, words.length, terms.length, s);
  // namedEntitiesRequired: a phrase with "@Entity" cannot match a request without that entity.
  if (s.namedEntitiesRequired && pm.phraseHasEntity[phrase] && !entitiesSatisfied(pm, terms, usedJ)) {
    return { score: 0, pairs, phraseTotal: w.phraseTotal[phrase] as number };
  }

  const phraseTotal = w.phraseTotal[phrase] as number;
  const denominator = req.total + phraseTotal;
  let matched = 0;
  for (const p of pairs) matched += p.coefficient * p.sequence * p.mass;
  return { score: denominator > 0 ? matched / denominator : 0, pairs, phraseTotal };
}

/**
 * Runs of pairs that follow each other in both texts earn wordSequence1 (run of 1 word),
 * wordSequence2 (2) or wordSequence3 (3 or more). A run that spans a whole text — a one-word
 * request, or the phrase matched word for word — counts as complete and earns wordSequence3.
 */
function applySequences(pairs: Pair[], n: number, m: number, s: ScoreSettings) {
  let start = 0;
  while (start < pairs.length) {
    let end = start + 1;
    while (end < pairs.length && pairs[end]!.i0 === pairs[end - 1]!.i1 && pairs[end]!.j0 === pairs[end - 1]!.j1) end++;
    const first = pairs[start]!;
    const last = pairs[end - 1]!;
    const length = Math.max(last.i1 - first.i0, last.j1 - first.j0);
    const complete = (first.i0 === 0 && last.i1 === n) || (first.j0 === 0 && last.j1 === m);
    const factor = complete || length >= 3 ? s.wordSequence3 : length === 2 ? s.wordSequence2 : s.wordSequence1;
    for (let k = start; k < end; k++) pairs[k]!.sequence = factor;
    start = end;
  }
}

/** A request word that spells the initials of phrase words, or a phrase word that spells request initials. */
export function addAcronyms(
  pm: PreparedModel,
  req: AnalyzedRequest,
  terms: Int32Array,
  coefficient: number,
  w: Weights,
  out: Pair[],
) {
  const forms = pm.model.terms;
  const weightOf = (j: number) => w.stem[pm.termStems[terms[j] as number] as number] as number;
  req.words.forEach((word, i) => {
    if (!word.acronym) return;
    const len = word.form.length;
    for (let j = 0; j + len <= terms.length; j++) {
      let ok = true;
      let mass = word.weight;
      for (let k = 0; k < len && ok; k++) {
        ok = forms[terms[j + k] as number]![0] === word.form[k];
        mass += weightOf(j + k);
      }
      if (ok) out.push(pair(i, i + 1, j, j + len, 'acronym', coefficient, mass));
    }
  });
  if (req.acronymTerms.size === 0) return;
  for (let j = 0; j < terms.length; j++) {
    for (const run of req.acronymTerms.get(terms[j] as number) ?? []) {
      let mass = weightOf(j);
      for (let i = run.start; i < run.end; i++) mass += req.words[i]!.weight;
      out.push(pair(run.start, run.end, j, j + 1, 'acronym', coefficient, mass));
    }
  }
}

/** Every "@Entity" word of the phrase is aligned (to a value of that entity). */
function entitiesSatisfied(pm: PreparedModel, terms: Int32Array, usedJ: Uint8Array): boolean {
  for (let j = 0; j < terms.length; j++) {
    if (pm.isEntityStem[pm.termStems[terms[j] as number] as number] && !usedJ[j]) return false;
  }
  return true;
}

function pair(i0: number, i1: number, j0: number, j1: number, type: MatchType, coefficient: number, mass: number): Pair {
  return { i0, i1, j0, j1, type, coefficient, mass, sequence: 1 };
}

function anyUsed(used: Uint8Array, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (used[k]) return true;
  return false;
}
