import { z } from 'zod';
import type { Calibration } from '../engine/score/calibration.js';
import { findEntityReferences } from '../entities/names.js';
import type { VectorTable } from '../text/vectors.js';
import type { Model } from './model-schema.js';
import type { IntentSet } from './source-schema.js';
import { matchingPairs, pickGamma, scoredRanker, searchWork, type CompileUntuned, type ProbabilityTuning } from './tune-probability.js';
import { featureSpace } from '../engine/probability/features.js';
import { trainingPasses } from '../engine/probability/intent-probability.js';
import { trainModelRegression } from '../engine/probability/model-regression.js';
import { createClassifier } from '../engine/classifier.js';
import { MAX_TEXT } from '../config.js';

/**
 * `calibrate`: one cross-validation on the model's own phrases that chooses probabilityWeight's
 * γ (with tuneProbabilityWeight) and calibrates the scores. In each of FOLDS folds a fifth of the
 * intents is left out whole, its phrases standing for out-of-scope text (a bot's users ask for
 * what it was not taught, often near what it was), and a fifth of every other intent's phrases
 * is held out; the rest is compiled and every held-out phrase classified at each γ. γ is the
 * one that ranks most held-out phrases right (pickGamma()); then, at that γ, the raw score above
 * which a match is right for as many held-out phrases as possible while at least
 * OUT_OF_SCOPE_REJECTED of the left-out intents' phrases stay under it becomes the model's
 * threshold (score/calibration.ts). Deterministic, as compiling must be.
 */
const FOLDS = 5;
const GRID = [0, 0.2, 0.5, 1, 1.5, 2, 3, 4, 6];
/**
 * The share of the left-out intents' phrases the calibrated threshold keeps out. They stand in
 * for out-of-scope text but are harder to tell apart than what users send out of scope, so a
 * share well under a half keeps most real out-of-scope text out. "More often than not, with a
 * margin" is the promise: the lowest share, on a grid of 0.01, at which every validation set
 * (CLINC150 with 5, 10 and 100 phrases an intent, ru-support) kept at least 60% of its real
 * out-of-scope rows out. With the default preset reading intent names, at 0.32 they kept 61–74%
 * out; at 0.31 CLINC150's 10-phrase subset kept 59% (docs/scoring.md, "Calibration").
 */
const OUT_OF_SCOPE_REJECTED = 0.32;
/** Intents a model needs before some can be left out as out of scope (and a few still be told apart). */
const MIN_INTENTS = 4;
/** Calibration needs this many held-out phrases of each kind, else the scores are left as they are. */
const MIN_QUERIES = 8;
/**
 * The work cross-validation may add to compiling: as many folds are run as fit (at most FOLDS,
 * at least one, else it is skipped), each costing its regression's training (on about four
 * fifths of the phrases and intents, so FOLD_SHARE of the model's, at FOLD_PASSES of its passes)
 * and the ranking of its held-out phrases (rankingWork()), in the units of both (multiply-adds,
 * nanoseconds): a few seconds at most.
 */
export const CROSS_VALIDATION_BUDGET = 1_500_000_000;
const FOLD_SHARE = 0.64;
/**
 * The share of the model's training passes its folds' regressions get when only calibrating:
 * where right answers and out-of-scope text part settles well before the last passes (CLINC150's
 * 5-phrase subset: a calibrated threshold within 0.01 at half the passes). Choosing γ needs them
 * all (at half, a smaller γ wins and costs 0.7 points of validation accuracy).
 */
const FOLD_PASSES = 0.5;

/** The calibrated raw threshold stays within these bounds: a fold's noise must not put it at an extreme. */
const RAW_BOUNDS = [0.05, 0.9] as const;

export const CrossValidation = z.object({
  folds: z.number().int(),
  /** Held-out phrases of intents the fold model had, and phrases of the intents it was left without. */
  heldOut: z.number().int(),
  outOfScope: z.number().int(),
  /** The raw score that became the threshold, with the shares of held-out phrases matched right and of out-of-scope phrases kept out at it. */
  calibration: z.object({ raw: z.number(), score: z.number(), matchedRight: z.number(), rejected: z.number() }).optional(),
  /** Why the scores were left uncalibrated. */
  skipped: z.string().optional(),
});
export type CrossValidation = z.output<typeof CrossValidation>;

interface Query {
  text: string;
  /** The intent's index in the full model; -1 for a phrase of a left-out intent. */
  intent: number;
  /** The raw score and best intent at each γ of the grid. */
  at: { intent?: number; score: number }[];
}

export interface CrossValidated {
  /** With tuneProbabilityWeight: how γ was chosen. */
  tuning?: ProbabilityTuning;
  calibration?: Calibration;
  report: CrossValidation;
}

/** Cross-validates `model`, compiled from `set` (compile: without tuning or calibration). */
export function crossValidate(set: IntentSet, model: Model, compile: CompileUntuned, vectors: VectorTable | undefined, tuneGamma: boolean): CrossValidated {
  const configured = model.settings.probabilityWeight;
  const grid = tuneGamma ? [...new Set([...GRID, configured])].sort((a, b) => a - b) : [configured];
  const skip = (skipped: string, folds = FOLDS): CrossValidated => ({
    ...(tuneGamma && { tuning: { folds, chosen: configured, configured, heldOut: 0, correct: [], skipped } }),
    report: { folds, heldOut: 0, outOfScope: 0, skipped },
  });
  if (model.intents.length < 2) return skip('one intent: nothing to tell apart');
  if (!tuneGamma && model.intents.length < MIN_INTENTS) return skip(`${model.intents.length} intents: calibration leaves whole intents out as out-of-scope text, and needs ${MIN_INTENTS}`);
  if (model.patterns.length > 0) return skip('the model has intent patterns: cross-validation ranks phrases only');
  if (model.entities.patterns.length > 0) return skip('the model has regex entity records, whose cost per text cross-validation cannot bound');
  const foldWork = FOLD_SHARE * (tuneGamma ? 1 : FOLD_PASSES) * regressionWork(model, vectors) + rankingWork(model, tuneGamma);
  // Fewer folds for more phrases (a fold then holds out hundreds, enough to place a threshold), within the budget.
  const folds = Math.min(tuneGamma ? FOLDS : foldsFor(model.phrases.length), Math.floor(CROSS_VALIDATION_BUDGET / foldWork));
  if (tuneGamma && folds < FOLDS) {
    // Too big to choose γ on every fold: calibrated with the configured γ, as without tuning.
    const calibrated = crossValidate(set, model, compile, vectors, false);
    const skipped = `the model is too big to tune γ in a few seconds (estimated work ${(FOLDS * foldWork).toExponential(1)}, over ${CROSS_VALIDATION_BUDGET.toExponential(1)})`;
    return { ...calibrated, tuning: { folds: 0, chosen: configured, configured, heldOut: 0, correct: [], skipped } };
  }
  if (folds < 1) {
    return skip(`the model is too big to cross-validate in a few seconds (estimated work ${(FOLDS * foldWork).toExponential(1)}, over ${CROSS_VALIDATION_BUDGET.toExponential(1)})`, folds);
  }

  const byIntent = model.intents.map((): { text: string; testable: boolean }[] => []);
  for (const p of model.phrases) byIntent[p.intent]!.push({ text: p.text, testable: findEntityReferences(p.text).length === 0 });
  const leftOut = leftOutFolds(model.intents.length);
  const settings = { ...set.settings, tuneProbabilityWeight: false, calibrate: false };
  const queries: Query[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const inFold = (list: unknown[], i: number) => list.length > 1 && i % FOLDS === fold;
    const held: { text: string; intent: number }[] = [];
    const kept: IntentSet['intents'] = [];
    set.intents.forEach((def, intent) => {
      const list = byIntent[intent]!;
      if (leftOut[intent] === fold) {
        for (const p of list) if (p.testable) held.push({ text: p.text, intent: -1 });
        return;
      }
      list.forEach((p, i) => p.testable && inFold(list, i) && held.push({ text: p.text, intent }));
      kept.push({ ...def, phrases: list.filter((p, i) => !(p.testable && inFold(list, i))).map((p) => p.text) });
    });
    if (held.length === 0 || kept.every((def) => def.phrases.length === 0)) continue;
    const foldModel = compile({ ...set, language: model.language, settings, intents: kept });
    const rank = tuneGamma ? scoredRanker(foldModel, vectors) : topRanker(foldModel, vectors);
    // The fold model's intents are the kept ones: map them back to the full model's.
    const toFull = foldModel.intents.map((i) => model.intents.findIndex((m) => m.path === i.path));
    for (const { text, intent } of everyNth(held, MAX_HELD_PER_FOLD)) {
      const at = rank(text);
      queries.push({ text, intent, at: grid.map((g) => { const r = at(g); return { score: r.score, ...(r.intent !== undefined && { intent: toFull[r.intent] }) }; }) });
    }
  }
  const inScope = queries.filter((q) => q.intent >= 0);
  const outOfScope = queries.filter((q) => q.intent < 0);
  const correct = grid.map((probabilityWeight, g) => ({ probabilityWeight, count: inScope.filter((q) => q.at[g]!.intent === q.intent).length }));
  const chosen = tuneGamma && inScope.length > 0 ? pickGamma(correct, configured) : configured;
  const tuning = tuneGamma ? { tuning: { folds, chosen, configured, heldOut: inScope.length, correct } } : {};
  const g = grid.indexOf(chosen);
  const report = { folds, heldOut: inScope.length, outOfScope: outOfScope.length };
  if (inScope.length < MIN_QUERIES || outOfScope.length < MIN_QUERIES) {
    return { ...tuning, report: { ...report, skipped: `too few phrases to calibrate on (${inScope.length} held out, ${outOfScope.length} out of scope; ${MIN_QUERIES} of each needed)` } };
  }
  const threshold = model.settings.threshold;
  const knee = chooseRaw(inScope.map((q) => ({ score: q.at[g]!.score, right: q.at[g]!.intent === q.intent })), outOfScope.map((q) => q.at[g]!.score));
  const calibration = { raw: knee.raw, score: threshold };
  return { ...tuning, calibration, report: { ...report, calibration: { ...calibration, matchedRight: knee.matchedRight, rejected: knee.rejected } } };
}

/**
 * A fold ranks at most this many held-out phrases (every n-th): a big model's fold holds out
 * thousands, and a thousand place its threshold well enough.
 */
const MAX_HELD_PER_FOLD = 600;

/** Folds for a model of `phrases`: 5 up to 1,000 phrases, 3 up to 3,000, 1 beyond. */
function foldsFor(phrases: number): number {
  return phrases <= 1000 ? FOLDS : phrases <= 3000 ? 3 : 1;
}

/** `list` itself if it has at most `max` items, else every n-th of them, at most `max`. */
function everyNth<T>(list: readonly T[], max: number): readonly T[] {
  if (list.length <= max) return list;
  const step = list.length / max;
  return Array.from({ length: max }, (_, k) => list[Math.floor(k * step)]!);
}

/**
 * A fold model's best intent and raw score for a text, at the configured γ: the classifier's own
 * search (nBest 1), as the calibrated model will rank (the fold model is not calibrated, so its
 * score is the raw one).
 */
function topRanker(model: Model, vectors: VectorTable | undefined): (text: string) => (gamma: number) => { intent?: number; score: number } {
  const regression = trainModelRegression(model, featureSpace(model, model.vectors === undefined ? undefined : vectors), undefined, FOLD_PASSES);
  const classifier = createClassifier(model, { regression, ...(model.vectors !== undefined && { vectors }) });
  const index = new Map(model.intents.map((intent, i) => [intent.path, i]));
  const options = { nBest: 1, threshold: 0, explain: false, timeLimit: 0, lengthLimit: MAX_TEXT, wordLimit: MAX_TEXT };
  return (text) => {
    const top = classifier.classifySync(text, options).alternatives[0];
    return () => (top ? { intent: index.get(top.intent), score: top.score } : { score: 0 });
  };
}

/**
 * Estimated work of ranking a fold's held-out phrases: with γ tuned, every intent's score
 * (searchWork(), its share of a fold); else the best intent's alone, for at most
 * MAX_HELD_PER_FOLD phrases, each QUERY_COST (about a fifth of a millisecond: CLINC150's models
 * of 1,500 and 15,000 phrases rank a text in 0.2–0.3 ms), or more when the phrases share their
 * words with many others (each such pair is aligned: matchingPairs()).
 */
function rankingWork(model: Model, tuneGamma: boolean): number {
  if (tuneGamma) return searchWork(model) / FOLDS;
  const phrases = Math.max(1, model.phrases.length);
  const held = Math.min(MAX_HELD_PER_FOLD, (2 * phrases) / FOLDS);
  return held * Math.max(QUERY_COST, (matchingPairs(model) / phrases) * PAIR_COST);
}
const QUERY_COST = 200_000;
const PAIR_COST = 60;

/**
 * Multiply-adds of training the model's regression (intent-probability.ts), from an estimate of
 * its features: each phrase's stems, about one n-gram a letter of its words, and the sentence
 * vector's dimensions (counting them exactly would mean building every phrase's input twice).
 */
function regressionWork(model: Model, vectors: VectorTable | undefined): number {
  const space = featureSpace(model, vectors);
  const letters = (p: Model['phrases'][number]) => p.terms.reduce((n, t) => n + (model.terms[t] as string).length, 0);
  const features = model.phrases.reduce((sum, p) => sum + p.terms.length + (space.gramLength > 0 ? letters(p) : 0) + space.dims, 0);
  const intents = model.intents.length;
  return trainingPasses(intents, features, model.phrases.length, space.rows > space.stems || space.dims > 0) * features * intents;
}

/**
 * Each intent's fold of leaving out, or -1 (never left out): a fifth of the intents per fold, in
 * a fixed shuffled order so that neighbouring intents (often alike) fall into different folds.
 * Models with fewer than MIN_INTENTS leave none out.
 */
function leftOutFolds(intents: number): number[] {
  if (intents < MIN_INTENTS) return new Array<number>(intents).fill(-1);
  const order = Array.from({ length: intents }, (_, i) => i);
  let state = 0x2545f491;
  for (let i = order.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const fold = new Array<number>(intents).fill(-1);
  order.forEach((intent, k) => (fold[intent] = k % FOLDS));
  return fold;
}

/**
 * The raw threshold: the most held-out phrases matched right (score above it and the right
 * intent) while at least OUT_OF_SCOPE_REJECTED of the out-of-scope ones score at or under it;
 * between equally good ones, the middle of their range.
 */
function chooseRaw(inScope: readonly { score: number; right: boolean }[], outOfScope: readonly number[]): { raw: number; matchedRight: number; rejected: number } {
  const sortedOut = [...outOfScope].sort((a, b) => a - b);
  // The lowest threshold that keeps out the required share: the score of that out-of-scope phrase.
  const need = Math.ceil(OUT_OF_SCOPE_REJECTED * sortedOut.length);
  const lowest = need === 0 ? 0 : (sortedOut[need - 1] as number);
  const raw = Math.min(RAW_BOUNDS[1], Math.max(RAW_BOUNDS[0], lowest));
  const matchedRight = inScope.filter((q) => q.right && q.score > raw).length / inScope.length;
  const rejected = sortedOut.filter((s) => s <= raw).length / sortedOut.length;
  return { raw, matchedRight, rejected };
}
