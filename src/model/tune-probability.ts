import { createClassifier } from '../engine/classifier.js';
import { trainingPasses } from '../engine/intent-probability.js';
import type { Model } from './model-schema.js';
import type { IntentSet } from './source-schema.js';

/**
 * `tuneProbabilityWeight`: the γ of probabilityWeight chosen for one model by cross-validation
 * on its own phrases (docs/scoring.md §7). How much the words' regression should weigh against
 * similarity depends on the data: on one bot it settles what similarity cannot, on another it
 * is noise. Each compiled phrase of an intent with two or more is held out once (FOLDS folds, by
 * its place in its intent), the rest compiled, and the held-out phrase classified at each γ of
 * GRID and the configured one; pickGamma() chooses. Deterministic (no randomness, and a clock
 * that stands still), so a source compiles to the same model every time.
 */
const FOLDS = 5;
const GRID = [0, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2];
/**
 * Tuning is skipped, and the configured γ kept, when its estimated work exceeds this: the
 * regression's multiply-adds over the folds, plus held-out phrases × γs × the model's phrase
 * stems × CLASSIFY_COST (one classification weighs that much more per stem, measured). About a
 * second on this project's machine: a bot of 100 phrases and 2 intents is at about 1/10 of it.
 */
export const TUNE_BUDGET = 100_000_000;
const CLASSIFY_COST = 10;

export interface ProbabilityTuning {
  /** How many folds the phrases were held out in. */
  folds: number;
  /** The γ the model got. */
  chosen: number;
  /** The γ the settings gave (the preset's, or the source's). */
  configured: number;
  /** Held-out phrases classified at each γ; 0 when tuning was skipped (see `skipped`). */
  heldOut: number;
  /** How many of them each γ got right, γ ascending. */
  correct: { probabilityWeight: number; count: number }[];
  /** Why the configured γ was kept without trying others. */
  skipped?: string;
}

/** Compiles a set without tuning: compileIntentSet's core, passed in so this module does not import it. */
export type CompileUntuned = (set: IntentSet) => Model;

/** Chooses γ for `model`, compiled from `set`: the held-out counts at each γ and the winner. */
export function tuneProbabilityWeight(set: IntentSet, model: Model, compile: CompileUntuned): ProbabilityTuning {
  const configured = model.settings.probabilityWeight;
  const skip = (skipped: string): ProbabilityTuning => ({ folds: FOLDS, chosen: configured, configured, heldOut: 0, correct: [], skipped });
  if (model.intents.length < 2) return skip('one intent: nothing to tell apart');
  const grid = [...new Set([...GRID, configured])].sort((a, b) => a - b);
  const work = tuningWork(model, grid.length);
  if (work > TUNE_BUDGET) return skip(`the model is too big to tune in about a second (estimated work ${work.toExponential(1)}, over ${TUNE_BUDGET.toExponential(0)})`);

  // The compiled phrases (duplicates and empty ones already dropped), by intent.
  const byIntent = model.intents.map((): string[] => []);
  for (const p of model.phrases) byIntent[p.intent]!.push(p.text);
  const counts = grid.map(() => 0);
  let heldOut = 0;
  const untuned = { ...set.settings, tuneProbabilityWeight: false };
  for (let fold = 0; fold < FOLDS; fold++) {
    // An intent of one phrase is never held out: without it, the intent could not be right at any γ.
    const inFold = (texts: string[], i: number) => texts.length > 1 && i % FOLDS === fold;
    const held = byIntent.flatMap((texts, intent) => texts.filter((_, i) => inFold(texts, i)).map((text) => ({ text, path: model.intents[intent]!.path })));
    if (held.length === 0) continue;
    const intents = set.intents.map((def, intent) => ({ ...def, phrases: byIntent[intent]!.filter((_, i) => !inFold(byIntent[intent]!, i)) }));
    const classifier = createClassifier(compile({ ...set, settings: untuned, intents }), { now: () => 0 });
    for (const { text, path } of held) {
      heldOut++;
      grid.forEach((probabilityWeight, g) => {
        const event = classifier.classifySync(text, { threshold: 0, nBest: 1, explain: false, timeLimit: 0, probabilityWeight });
        if (event.alternatives[0]?.intent === path) counts[g]!++;
      });
    }
  }
  const correct = grid.map((probabilityWeight, g) => ({ probabilityWeight, count: counts[g]! }));
  if (heldOut === 0) return { ...skip('no intent has two phrases to hold one out'), correct };
  return { folds: FOLDS, chosen: pickGamma(correct, configured), configured, heldOut, correct };
}

/** The γ with the most held-out phrases right; on a tie the configured one, then the closest to it, then the smaller. */
export function pickGamma(correct: readonly { probabilityWeight: number; count: number }[], configured: number): number {
  const best = Math.max(...correct.map((c) => c.count));
  return correct
    .filter((c) => c.count === best)
    .map((c) => c.probabilityWeight)
    .sort((a, b) => Math.abs(a - configured) - Math.abs(b - configured) || a - b)[0]!;
}

/** Estimated work of tuning `model` over `gammas` values (see TUNE_BUDGET). */
function tuningWork(model: Model, gammas: number): number {
  const features = model.phrases.reduce((sum, p) => sum + new Set(p.terms.map((t) => model.termStems[t])).size, 0);
  const intents = model.intents.length;
  const regression = FOLDS * trainingPasses(intents, features, model.phrases.length) * features * intents;
  return regression + model.phrases.length * gammas * features * CLASSIFY_COST;
}
