import { z } from 'zod';
import { MAX_TEXT, type Settings } from '../config.js';
import { Classification } from '../engine/classify.js';
import { roundScore } from '../engine/score/rounding.js';
import { phraseFeatures, trainingPasses } from '../engine/probability/intent-probability.js';
import { PreparedModel } from '../engine/prepare/prepared-model.js';
import { analyzeRequestNow } from '../engine/prepare/request.js';
import { RequestProbabilities } from '../engine/search/request-probability.js';
import { findEntityReferences } from '../entities/names.js';
import { ENTITY_TERM_PREFIX, type Model } from './model-schema.js';
import type { IntentSet } from './source-schema.js';
import type { VectorTable } from '../text/vectors.js';
import { featureSpace } from '../engine/probability/features.js';
import { trainModelRegression } from '../engine/probability/model-regression.js';

/**
 * `tuneProbabilityWeight`: the γ of probabilityWeight chosen for one model by cross-validation
 * on its own phrases (docs/scoring.md §7). How much the words' regression should weigh against
 * similarity depends on the data: on one bot it settles what similarity cannot, on another it
 * is noise. Each compiled phrase of an intent with two or more (but one written with an @Entity
 * reference) is held out once (FOLDS folds, by its place in its intent), the rest compiled, and the held-out phrase ranked at each γ of GRID
 * and the configured one; pickGamma() chooses. Deterministic (no randomness, no clock), so a
 * source compiles to the same model every time.
 */
const FOLDS = 5;
const GRID = [0, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2];
/**
 * Tuning is skipped, and the configured γ kept, when its estimated work exceeds this: the
 * regression's multiply-adds over the folds; (the model's words)² × CLASSIFY_COST (each
 * held-out phrase against the others, a phrase with an entity term's words counting 4 times),
 * or the word pairs that can match × PAIR_COST if more; phrases × intents² (each held-out phrase ranks every
 * intent); phrases × synonym words × SYNONYM_COST (a request's words are looked up in every
 * group); and the folds' compiles, by the model's size in JSON characters × COMPILE_COST.
 * The budget keeps tuning to a couple of seconds of compile time (docs/experiments.md has the
 * measurements behind it): Braun chatbot estimates 1.6 × 10⁷, 300 phrases of CLINC150 or
 * SNIPS 1.6 × 10⁸.
 */
export const TUNE_BUDGET = 300_000_000;
const CLASSIFY_COST = 20;
/** Per word pair that can match (matchingPairs()). */
const PAIR_COST = 60;
/** How many times a word of a phrase with an entity term counts (the general aligner scores it). */
const ENTITY_PHRASE_COST = 4;
const SYNONYM_COST = 150;
const COMPILE_COST = 30;

/** How probabilityWeight was chosen, when the settings ask for tuneProbabilityWeight: compile() gives it, the server's upload answers with it. */
export const ProbabilityTuning = z.object({
  /** How many folds the phrases were held out in. */
  folds: z.number().int(),
  /** The γ the model got. */
  chosen: z.number(),
  /** The γ the settings gave (the preset's, or the source's). */
  configured: z.number(),
  /** Held-out phrases ranked at each γ; 0 when tuning was skipped (see `skipped`). */
  heldOut: z.number().int(),
  /** How many of them each γ got right, γ ascending. */
  correct: z.array(z.object({ probabilityWeight: z.number(), count: z.number().int() })),
  /** Why the configured γ was kept without trying others. */
  skipped: z.string().optional(),
});
export type ProbabilityTuning = z.output<typeof ProbabilityTuning>;

/** Compiles a set without tuning: compileIntentSet's core, passed in so this module does not import it. */
export type CompileUntuned = (set: IntentSet) => Model;

/** Chooses γ for `model`, compiled from `set`: the held-out counts at each γ and the winner. */
export function tuneProbabilityWeight(set: IntentSet, model: Model, compile: CompileUntuned, vectors?: VectorTable): ProbabilityTuning {
  const configured = model.settings.probabilityWeight;
  const skip = (skipped: string): ProbabilityTuning => ({ folds: FOLDS, chosen: configured, configured, heldOut: 0, correct: [], skipped });
  if (model.intents.length < 2) return skip('one intent: nothing to tell apart');
  // Patterns decide intents apart from the phrases' means (ranker() ranks means only), and they
  // and regex entity records cost each held-out text more than the estimate can bound.
  if (model.patterns.length > 0) return skip('the model has intent patterns: tuning ranks phrases only');
  if (model.entities.patterns.length > 0) return skip('the model has regex entity records, whose cost per text tuning cannot bound');
  const work = tuningWork(model);
  if (work > TUNE_BUDGET) return skip(`the model is too big to tune in about two seconds (estimated work ${work.toExponential(1)}, over ${TUNE_BUDGET.toExponential(0)})`);

  const grid = [...new Set([...GRID, configured])].sort((a, b) => a - b);
  // The compiled phrases (duplicates and empty ones already dropped), by intent. A phrase with an
  // entity reference ("fly to @City") is held in, not out: as a request it would be literal text.
  const byIntent = model.intents.map((): { text: string; testable: boolean }[] => []);
  for (const p of model.phrases) byIntent[p.intent]!.push({ text: p.text, testable: findEntityReferences(p.text).length === 0 });
  const counts = grid.map(() => 0);
  let heldOut = 0;
  const untuned = { ...set.settings, tuneProbabilityWeight: false };
  for (let fold = 0; fold < FOLDS; fold++) {
    // An intent of one phrase is never held out: without it, the intent could not be right at any γ.
    const inFold = (list: unknown[], i: number) => list.length > 1 && i % FOLDS === fold;
    const held = byIntent.flatMap((list, intent) => list.filter((p, i) => p.testable && inFold(list, i)).map((p) => ({ text: p.text, intent })));
    if (held.length === 0) continue;
    const intents = set.intents.map((def, intent) => {
      const list = byIntent[intent]!;
      return { ...def, phrases: list.filter((p, i) => !(p.testable && inFold(list, i))).map((p) => p.text) };
    });
    const rank = ranker(compile({ ...set, language: model.language, settings: untuned, intents }), vectors);
    for (const { text, intent } of held) {
      heldOut++;
      const top = rank(text);
      grid.forEach((gamma, g) => {
        if (top(gamma) === intent) counts[g]!++;
      });
    }
  }
  const correct = grid.map((probabilityWeight, g) => ({ probabilityWeight, count: counts[g]! }));
  if (heldOut === 0) return { ...skip('no phrase to hold out: every intent has one phrase, or only phrases written with @Entity references'), correct };
  return { folds: FOLDS, chosen: pickGamma(correct, configured), configured, heldOut, correct };
}

/**
 * For a fold's model without intent patterns (their hits are ranked apart from the means, and
 * tuning skips such models): a text's best intent at any γ from one search. With probabilityWeight an
 * intent's score is its k-phrase mean × (P / P_max)^γ′ and γ′ is γ × a constant, so the factor
 * at γ is the factor at γ = 1 raised to γ: the means (γ = 0, every intent) and the factors are
 * computed once, and each γ only ranks them, as events do (rounded score, then the lower intent;
 * the means come rounded to 6 decimals, so a tie within 10⁻⁶ may rank otherwise than the engine).
 */
export function ranker(model: Model, vectors?: VectorTable): (text: string) => (gamma: number) => number | undefined {
  const rank = scoredRanker(model, vectors);
  return (text) => {
    const at = rank(text);
    return (gamma) => at(gamma).intent;
  };
}

/**
 * ranker(), with the best intent's raw score (its mean × factor, rounded) at each γ: 0 and no
 * intent when none scores. `passShare` scales the passes of the fold's regression (cross-validate.ts).
 */
export function scoredRanker(model: Model, vectors?: VectorTable, passShare = 1): (text: string) => (gamma: number) => { intent?: number; score: number } {
  const tables = model.vectors === undefined ? undefined : vectors;
  const regression = passShare === 1 ? undefined : trainModelRegression(model, featureSpace(model, tables), undefined, passShare);
  const pm = new PreparedModel(model, regression, tables);
  const index = new Map(model.intents.map((intent, i) => [intent.path, i]));
  const settings: Settings = {
    ...model.settings,
    threshold: 0,
    nBest: model.intents.length,
    probabilityWeight: 0,
    timeLimit: 0,
    lengthLimit: MAX_TEXT,
    wordLimit: MAX_TEXT,
  };
  const weights = pm.weights(settings);
  return (text) => {
    const step = new Classification(pm, text, settings, { now: () => 0, explain: false }).step();
    if (!step.done) throw new Error('unreachable: an unbounded step always finishes');
    const means = step.event.alternatives.map((a) => ({ intent: index.get(a.intent)!, mean: a.score }));
    const factors = new RequestProbabilities(pm, analyzeRequestNow(pm, text, settings, weights), 1);
    const atOne = means.map((m) => factors.factor(m.intent));
    return (gamma) => {
      let best: number | undefined;
      let bestScore = 0;
      means.forEach((m, i) => {
        const score = roundScore(m.mean * (atOne[i] as number) ** gamma);
        if (score > bestScore || (score === bestScore && score > 0 && m.intent < best!)) [best, bestScore] = [m.intent, score];
      });
      return { intent: best, score: bestScore };
    };
  };
}

/** The γ with the most held-out phrases right; on a tie the configured one, then the closest to it, then the smaller. */
export function pickGamma(correct: readonly { probabilityWeight: number; count: number }[], configured: number): number {
  const best = Math.max(...correct.map((c) => c.count));
  return correct
    .filter((c) => c.count === best)
    .map((c) => c.probabilityWeight)
    .sort((a, b) => Math.abs(a - configured) - Math.abs(b - configured) || a - b)[0]!;
}

/** Estimated work of tuning `model` (see TUNE_BUDGET). */
export function tuningWork(model: Model): number {
  const features = phraseFeatures(model.phrases, model.termStems);
  const regression = FOLDS * trainingPasses(model.intents.length, features, model.phrases.length) * features * model.intents.length;
  return regression + searchWork(model);
}

/**
 * Estimated work of classifying each phrase of `model` against the others and ranking every
 * intent, and of compiling the folds (see TUNE_BUDGET): cross-validation's work but for the
 * regression's training.
 */
export function searchWork(model: Model): number {
  const isEntity = (t: number) => model.terms[t]!.startsWith(ENTITY_TERM_PREFIX);
  // A phrase with an entity term is aligned by the slower, general aligner.
  const words = model.phrases.reduce((sum, p) => sum + p.terms.length * (p.terms.some(isEntity) ? ENTITY_PHRASE_COST : 1), 0);
  const intents = model.intents.length;
  const phrases = model.phrases.length;
  const synonymWords = model.synonyms.reduce((sum, g) => sum + g.stems.length, 0);
  const aligning = Math.max(words * words * CLASSIFY_COST, matchingPairs(model) * PAIR_COST);
  const classify = aligning + phrases * intents * intents + phrases * synonymWords * SYNONYM_COST;
  return classify + FOLDS * JSON.stringify(model).length * COMPILE_COST;
}

/**
 * Word pairs that can match between phrases: for each stem, its occurrences × those of itself and
 * of its synonym-group partners (at most every word). Synonyms that link most of a vocabulary
 * make every request word pair with every phrase word, which words² alone does not see.
 */
export function matchingPairs(model: Model): number {
  const occurrences = new Map<number, number>();
  let total = 0;
  for (const p of model.phrases) {
    for (const t of p.terms) occurrences.set(model.termStems[t]!, (occurrences.get(model.termStems[t]!) ?? 0) + 1);
    total += p.terms.length;
  }
  const partners = new Map<number, Set<number>>();
  for (const g of model.synonyms) {
    for (const s of g.stems) {
      if (!occurrences.has(s)) continue;
      const set = partners.get(s) ?? new Set<number>();
      for (const other of g.stems) if (other !== s && occurrences.has(other)) set.add(other);
      partners.set(s, set);
    }
  }
  let pairs = 0;
  for (const [stem, n] of occurrences) {
    let reach = n;
    for (const other of partners.get(stem) ?? []) reach += occurrences.get(other)!;
    pairs += n * Math.min(reach, total);
  }
  return pairs;
}
