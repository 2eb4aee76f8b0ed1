import type { SettingsOverride } from '../config.js';
import { createClassifier } from '../engine/classifier.js';
import type { Model } from './model-schema.js';
import type { IntentSet } from './source-schema.js';

/**
 * `tuneProbabilityWeight`: the γ of probabilityWeight chosen for one model by cross-validation
 * on its own phrases (docs/scoring.md §7). How much the words' regression should weigh against
 * similarity depends on the data: on one bot it settles what similarity cannot, on another it
 * is noise. Each phrase is held out once (FOLDS folds, by its place in its intent), the rest
 * compiled, and the held-out phrase classified at each γ of GRID; the γ that gets the most right
 * wins, the configured one on a tie, then the closest to it. Deterministic: no randomness, so
 * a source compiles to the same model every time.
 */
const FOLDS = 5;
const GRID = [0, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2];
/**
 * Tuning is skipped, and the configured γ kept, above this many phrases (classifying each at every
 * γ) or phrases × intents (the regression trained once a fold): either costs over about half a
 * second there. A 100-phrase bot of 2 intents tunes in about 70 ms, one of 300 phrases and 7 intents in about 0.5 s.
 */
export const TUNE_MAX_PHRASES = 300;
export const TUNE_MAX_CELLS = 20_000;

export interface ProbabilityTuning {
  /** How many folds the phrases were held out in. */
  folds: number;
  /** The γ the model got. */
  chosen: number;
  /** The γ the settings gave (the preset's, or the source's). */
  configured: number;
  /** Held-out phrases classified at each γ; 0 when tuning was skipped (see `skipped`). */
  heldOut: number;
  /** How many of them each γ of the grid got right, in grid order. */
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
  if (model.phrases.length > TUNE_MAX_PHRASES) return skip(`over ${TUNE_MAX_PHRASES} phrases: tuning would take seconds`);
  if (model.phrases.length * model.intents.length > TUNE_MAX_CELLS) {
    return skip(`phrases × intents over ${TUNE_MAX_CELLS}: tuning would take seconds`);
  }
  const grid = [...new Set([...GRID, configured])].sort((a, b) => a - b);
  const counts = grid.map(() => 0);
  let heldOut = 0;
  const untuned: SettingsOverride = { ...set.settings, tuneProbabilityWeight: false };
  for (let fold = 0; fold < FOLDS; fold++) {
    // An intent of one phrase is never held out: without it, the intent could not be right at any γ.
    const held = set.intents.flatMap((intent) =>
      intent.phrases.length < 2 ? [] : intent.phrases.filter((_, i) => i % FOLDS === fold).map((text) => ({ text, path: intent.path })),
    );
    if (held.length === 0) continue;
    const kept = set.intents.map((intent) =>
      intent.phrases.length < 2 ? intent : { ...intent, phrases: intent.phrases.filter((_, i) => i % FOLDS !== fold) },
    );
    const classifier = createClassifier(compile({ ...set, settings: untuned, intents: kept }));
    for (const { text, path } of held) {
      heldOut++;
      grid.forEach((probabilityWeight, g) => {
        const event = classifier.classifySync(text, { threshold: 0, nBest: 1, explain: false, probabilityWeight });
        if (event.alternatives[0]?.intent === path) counts[g]!++;
      });
    }
  }
  const correct = grid.map((probabilityWeight, g) => ({ probabilityWeight, count: counts[g]! }));
  if (heldOut === 0) return { ...skip('no intent has two phrases to hold one out'), correct };
  const best = Math.max(...counts);
  const chosen = correct
    .filter((c) => c.count === best)
    .map((c) => c.probabilityWeight)
    .sort((a, b) => Math.abs(a - configured) - Math.abs(b - configured) || a - b)[0]!;
  return { folds: FOLDS, chosen, configured, heldOut, correct };
}
