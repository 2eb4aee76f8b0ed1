import { FastAligner } from '../../src/engine/search/align-fast.js';
import { alignPhrase } from '../../src/engine/score/align.js';
import { Candidates } from '../../src/engine/search/candidates.js';
import { type ClassifyOptions } from '../../src/engine/classifier.js';
import { createClassifier } from '../../src/lexicons.js';
import { roundScore } from '../../src/engine/score/rounding.js';
import { PreparedModel } from '../../src/engine/prepare/prepared-model.js';
import { analyzeRequestNow } from '../../src/engine/prepare/request.js';
import { Settings } from '../../src/config.js';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import type { Model } from '../../src/model/model-schema.js';
import { compileJaicp, seededRandom } from '../helpers.js';
import { bruteForce as bruteForceOf } from './brute-force.js';

/*
 * The search prunes (bounds, common words enumerated lazily, intentTopK means settled early)
 * and scores with a fast aligner. Here a model big enough to have common words is classified
 * both ways: by the classifier, and by aligning every phrase with alignPhrase. They must agree.
 * search.test.ts runs a sample of these sweeps, search.slow.test.ts all of them. The model is
 * compiled with JAICP's defaults; each variant's settings are given per call.
 */

const random = seededRandom(977);
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
// Zipf-like: a few words in most phrases ("what", "is"…), many rare ones; plus typos, entities, acronym-ish runs.
const common = ['what', 'is', 'the', 'my', 'i', 'to', 'a', 'can', 'you', 'how'];
const rare = Array.from({ length: 160 }, (_, k) => `w${k.toString(36)}${'xyzq'[k % 4]}ord`);
const word = () => (random() < 0.45 ? pick(common) : pick(rare));
const intents = Array.from({ length: 40 }, (_, i) => ({
  path: `/i${i}`,
  phrases: Array.from({ length: 3 + Math.floor(random() * 30) }, () => {
    const words = Array.from({ length: 2 + Math.floor(random() * 7) }, word);
    if (random() < 0.05) words.push('@City');
    if (random() < 0.05) words.push('was'); // a phrase word that spells request initials ("what about something")
    return words.join(' ');
  }),
}));
const source: IntentsFileInput = {
  language: 'en',
  synonyms: [{ words: [rare[0]!, rare[1]!] }, { words: [rare[2]!, rare[3]!, rare[4]!], weight: 0.5 }],
  entities: [{ name: 'City', records: [{ type: 'synonyms', value: 'Paris', words: ['Paris'] }, { type: 'synonyms', value: 'New York', words: ['New York'] }] }],
  intents,
};
const { model } = compileJaicp(source);
const pm = new PreparedModel(model);
const classifier = createClassifier(model);

const extras = ['whats', 'wxaord', 'about', 'something', 'paris', 'new', 'york', 'ac', 'xq'];
const texts = Array.from({ length: 150 }, () => Array.from({ length: 1 + Math.floor(random() * 9) }, () => (random() < 0.1 ? pick(extras) : word())).join(' '));

export const VARIANTS: ClassifyOptions[] = [
  {},
  { intentTopK: 4 },
  { intentTopK: 3, nBest: 3, idfScope: 'both', wordSequence1: 1, wordSequence2: 1 },
  { nBest: 2, lemmaMatch: 1, jaccardMatchThreshold: 0.5 },
  { nBest: 4, idfScope: 'intents', acronymMatch: 0 },
  { namedEntitiesRequired: true, synonymContextWeight: 1 },
  { intentTopK: 2, nBest: 5, wordSequence3: 2 },
  // Matches worth 0 (rare words must not hide phrases from the common-word walk); weights of 0.
  { synonymMatch: 0, throughPatternMatch: 0 },
  { idfScope: 'intents', idfShift: -1.2, intentTopK: 3 },
  { idfMultiplier: 0, idfShift: 0 },
  // Coefficients above 1 and odd weights, where rounding in the last place decides ties.
  { acronymMatch: 0.3, wordSequence3: 2.5, idfShift: -3, idfMultiplier: 3, idfScope: 'intents', intentConcentration: 0.75, exactMatch: 3 },
  // Scores times P(intent)^γ': alone, and with means and several alternatives.
  { probabilityWeight: 0.5 },
  { probabilityWeight: 3, intentTopK: 3, nBest: 4, idfScope: 'both' },
  // Steep factors: the favoured intent scored first, then bounds times the next factor.
  { probabilityWeight: 8, nBest: 1 },
  { probabilityWeight: 1.5, intentTopK: 2, nBest: 2, acronymMatch: 0 },
  // The lexical accurate settings (helpers.ts LEXICAL_ACCURATE) with one alternative: the highest
  // floor, so the most candidates are left out before the search (Candidates' pruning); and γ alone.
  { probabilityWeight: 0.2, intentTopK: 6, nBest: 1, idfScope: 'both', wordSequence1: 1, wordSequence2: 1, intentConcentration: 0.75, acronymMatch: 0 },
  { probabilityWeight: 0.2, nBest: 1 },
];

/** The settings variant whose pruning test reads the most candidates out (the lexical accurate settings, one alternative). */
const PRUNING_VARIANT = 15;

/** Which sweeps to run: the settings variants (indexes into VARIANTS), and how many texts each sweep reads. */
export interface Sweep {
  variants: readonly number[];
  /** The classifier against aligning every phrase. */
  texts: number;
  /** onlyAboveThreshold against the same, at several thresholds. */
  aboveTexts: number;
  /** The fast aligner and the bounds against alignPhrase, phrase by phrase. */
  alignerTexts: number;
  /** Candidates' pruning at cuts through the phrases' bounds; and the fewest cuts that must be checked. */
  pruningTexts: number;
  /** Every how many of a text's distinct bounds a cut is tried. */
  cutEvery: number;
  minCuts: number;
}

export const ALL: Sweep = { variants: VARIANTS.map((_, k) => k), texts: texts.length, aboveTexts: 40, alignerTexts: 20, pruningTexts: 40, cutEvery: 7, minCuts: 100 };

export function settingsOf(options: ClassifyOptions, m: Model = model): Settings {
  return Settings.parse({ ...m.settings, ...options });
}

/** Every phrase aligned (brute-force.ts), on this file's model unless told otherwise. */
function bruteForce(text: string, s: Settings, m: Model = model, prepared: PreparedModel = pm) {
  return bruteForceOf(text, s, m, prepared);
}

/** Defines the sweeps' tests, over the variants and the texts `sweep` names. */
export function searchSweeps(sweep: Sweep): void {
  const variants = sweep.variants.map((k) => [k, VARIANTS[k]!] as const);

  test('the model has common words, so the lazy enumeration of their phrases is exercised', () => {
    const longest = Math.max(...pm.postings.map((l) => l.length));
    expect(model.phrases.length).toBeGreaterThan(500);
    expect(longest).toBeGreaterThan(Math.max(64, model.phrases.length / 32));
  });

  test.each(variants)('variant %i: the search finds what aligning every phrase finds', (_, options) => {
    const s = settingsOf(options);
    for (const text of texts.slice(0, sweep.texts)) {
      const expected = bruteForce(text, s);
      const got = classifier.classifySync(text, { ...options, threshold: 0, explain: false }).alternatives;
      expect(got.map((a) => [a.intent, a.score])).toEqual(expected.map((r) => [r.intent, roundScore(r.score)]));
      expect(got.map((a) => a.phrase)).toEqual(expected.map((r) => r.phrase));
    }
  });

  // onlyAboveThreshold stops the search once no bound can round above the threshold: what it lists
  // must be what aligning every phrase finds above it, also when the threshold is exactly a score.
  test.each(variants)('variant %i: onlyAboveThreshold lists exactly the alternatives above the threshold', (_, options) => {
    let listed = 0;
    let scored = 0; // variant 9 weighs every word 0: nothing scores
    for (const text of texts.slice(0, sweep.aboveTexts)) {
      for (const nBest of [1, 3]) {
        const s = settingsOf({ ...options, nBest });
        const all = bruteForce(text, s).map((r) => [r.intent, roundScore(r.score), r.phrase] as const);
        const scores = all.map(([, score]) => score);
        scored += scores.length;
        for (const threshold of [0.2, 0.5, ...scores.slice(0, 2)]) {
          const got = classifier.classifySync(text, { ...options, nBest, threshold, explain: false, onlyAboveThreshold: true });
          const expected = all.filter(([, score]) => score > threshold);
          expect([text, threshold, got.alternatives.map((a) => [a.intent, a.score, a.phrase])]).toEqual([text, threshold, expected]);
          expect(got.score).toBe(expected[0]?.[1] ?? 0);
          listed += expected.length;
        }
      }
    }
    expect(listed > 0 || scored === 0).toBe(true);
  });

  test.each(variants)('variant %i: the fast aligner gives alignPhrase’s score, and bounds are never below it', (_, options) => {
    const s = settingsOf(options);
    const w = pm.weights(s);
    const maxSequence = Math.max(1, s.wordSequence1, s.wordSequence2, s.wordSequence3);
    for (const text of texts.slice(0, sweep.alignerTexts)) {
      const req = analyzeRequestNow(pm, text, s, w);
      const candidates = new Candidates(pm, req, w, maxSequence, s.acronymMatch);
      const fast = new FastAligner(pm, req, candidates.bounds, s, w, candidates.forcedSet);
      for (let p = 0; p < model.phrases.length; p++) {
        const exact = alignPhrase(pm, req, p, s, w).score;
        expect(fast.score(p)).toBe(exact);
        expect(candidates.boundOf(p)).toBeGreaterThanOrEqual(exact - 1e-12);
      }
    }
  });

  test('candidates left out by pruning are exactly those the search could skip: every phrase whose bound reaches the cut is popped, in bound order', () => {
    const s = settingsOf(VARIANTS[PRUNING_VARIANT]!);
    const w = pm.weights(s);
    const maxSequence = Math.max(1, s.wordSequence1, s.wordSequence2, s.wordSequence3);
    let checked = 0;
    for (const text of texts.slice(0, sweep.pruningTexts)) {
      const req = analyzeRequestNow(pm, text, s, w);
      const unpruned = new Candidates(pm, req, w, maxSequence, s.acronymMatch);
      const bounds = model.phrases.map((_, p) => unpruned.boundOf(p));
      // Cuts at phrases' own bounds, so that some phrase sits exactly on the cut.
      const cuts = [...new Set(bounds.filter((b) => b > 0))].sort((a, b) => b - a).filter((_, k) => k % sweep.cutEvery === 0);
      for (const cut of cuts) {
        const candidates = new Candidates(pm, req, w, maxSequence, s.acronymMatch, { stopBelow: () => cut, needless: (_, key) => key < cut });
        const popped = new Set<number>();
        let last = Infinity;
        for (let bound = candidates.peekBound(() => false); bound > 0 && bound >= cut; bound = candidates.peekBound(() => false)) {
          expect(bound).toBeLessThanOrEqual(last);
          last = bound;
          popped.add(candidates.pop());
        }
        const missing = bounds.flatMap((b, p) => (b >= cut && !popped.has(p) ? [p] : []));
        expect(missing).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(sweep.minCuts);
  });
}
