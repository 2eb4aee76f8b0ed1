import type { PreparedModel, Weights } from './prepared-model.js';
import type { AnalyzedRequest } from './request.js';
import { MaxHeap } from './max-heap.js';

/**
 * The phrases worth scoring, from the inverted index, each with an upper bound of its score:
 *   bound = maxSequence × Σ_request words max_(stems of the phrase it can match) c × (u + v)
 *           / (U + V_phrase)
 * Each request word is in at most one pair and a pair weighs c × (u + v), so no alignment can
 * beat it. Scoring in bound order can stop as soon as a bound falls below the scores kept.
 * Phrases reached only through acronyms get an infinite bound (an acronym pair spans several words).
 * The result is a max-heap: building it is linear and only the phrases actually scored are popped.
 */
export function findCandidates(
  pm: PreparedModel,
  req: AnalyzedRequest,
  w: Weights,
  maxSequence: number,
  acronyms: boolean,
): MaxHeap {
  const { stamp, best, acc, touched, round } = pm.scratch;
  // Scratch slots are zero between requests: acc > 0 marks a touched phrase (cleared at the end);
  // `stamp` marks the phrases one multi-stem word reached (cleared after that word).
  let nTouched = 0;
  const byWord = groupMatchesByWord(req);
  for (let i = 0; i < byWord.length; i++) {
    const u = req.words[i]!.weight;
    const stems = byWord[i]!;
    if (stems.length === 1) {
      // The common case, one stem: postings are distinct, so the value adds directly.
      const [stem, coefficient] = stems[0]!;
      const value = coefficient * (u + (w.stem[stem] as number));
      if (value <= 0) continue;
      const list = pm.postings[stem] as Int32Array;
      for (let k = 0; k < list.length; k++) {
        const p = list[k] as number;
        if (acc[p] === 0) touched[nTouched++] = p;
        acc[p] = (acc[p] as number) + value;
      }
      continue;
    }
    // Several stems (synonyms, typos): a phrase gets the best of them, once.
    const mark = i + 1;
    let nRound = 0;
    for (const [stem, coefficient] of stems) {
      const value = coefficient * (u + (w.stem[stem] as number));
      if (value <= 0) continue;
      const list = pm.postings[stem] as Int32Array;
      for (let k = 0; k < list.length; k++) {
        const p = list[k] as number;
        if (stamp[p] !== mark) {
          stamp[p] = mark;
          best[p] = value;
          round[nRound++] = p;
        } else if (value > (best[p] as number)) best[p] = value;
      }
    }
    for (let k = 0; k < nRound; k++) {
      const p = round[k] as number;
      if (acc[p] === 0) touched[nTouched++] = p;
      acc[p] = (acc[p] as number) + (best[p] as number);
      stamp[p] = 0;
    }
  }
  const forced = acronyms ? acronymPhrases(pm, req) : [];
  for (const p of forced) {
    if (acc[p] === 0) touched[nTouched++] = p;
    acc[p] = Infinity;
  }
  const heap = new MaxHeap(nTouched);
  const denominator = req.total;
  for (let k = 0; k < nTouched; k++) {
    const p = touched[k] as number;
    heap.push(p, (maxSequence * (acc[p] as number)) / (denominator + (w.phraseTotal[p] as number)));
    acc[p] = 0;
  }
  heap.heapify();
  return heap;
}

function groupMatchesByWord(req: AnalyzedRequest): [number, number][][] {
  const byWord: [number, number][][] = req.words.map(() => []);
  for (const [stem, list] of req.matches) {
    for (const m of list) byWord[m.word]!.push([stem, m.coefficient]);
  }
  return byWord;
}

function acronymPhrases(pm: PreparedModel, req: AnalyzedRequest): number[] {
  const found = new Set<number>();
  if (req.hasAcronymWords) {
    const index = pm.acronyms();
    for (const word of req.words) {
      if (word.acronym) for (const p of index.get(word.form) ?? []) found.add(p);
    }
  }
  for (const term of req.acronymTerms.keys()) {
    for (const p of pm.postings[pm.termStems[term] as number] ?? []) found.add(p);
  }
  return [...found];
}
