import { StsError } from '../../errors.js';
import { weightStore } from './regression-weights.js';
import type { TrainedRegression } from './trained-regression.js';

/**
 * P(intent | words): a softmax regression over the stems of the model's phrases, for
 * `probabilityWeight` (docs/scoring.md §7). Similarity finds the phrases a request is like;
 * this learns which words tell intents apart ("to" is FindConnection's, "next" DepartureTime's),
 * and an intent's score is multiplied by (P / P_max)^γ' (request-probability.ts). Training is
 * deterministic (fixed order, fixed seed), so a model gives the same answers on every load.
 *
 * Features: each distinct stem of a text, valued 1/√(number of distinct stems). Stochastic
 * gradient descent over the phrases at a constant rate RATE: MIN_STEPS steps (one per phrase),
 * in MIN_PASSES to MAX_PASSES passes, so a bot of 100 phrases gets 100 passes and CLINC150's
 * 15,000 phrases 10. An intent's gradient below SKIP is not applied (after the first passes
 * almost every intent's is), which makes a pass cost about (the phrases' distinct stems) ×
 * intents multiply-adds, for the forward step; a pass that applies none ends the training (the
 * next would be the same). Passes are cut to fit WORK_BUDGET, and a model whose one pass exceeds
 * MAX_PASS_WORK is refused: training runs when the model is compiled (`sts train`, compile(),
 * the server's compile worker), and on the calling thread when a model file without it (an
 * older build's) is loaded or a call overrides probabilityWeight. A rate
 * decaying as RATE / (1 + pass) over 10 passes stopped short of the fit: on Braun chatbot the
 * regression alone was wrong on 3 of 100 held-out phrases, against 1 at a constant rate over
 * 100 passes (docs/scoring.md §7).
 */
const MIN_STEPS = 10_000;
const MIN_PASSES = 10;
const MAX_PASSES = 100;
/** Multiply-adds the training may spend: a couple of seconds of compile time (`npm run bench:scale` prints what models take). */
const WORK_BUDGET = 200_000_000;
/**
 * One pass over more than this is refused: just above bench:scale's largest model (280,000
 * phrases of 1,570 intents cost 3.68 × 10⁹ a pass), whose training holds the event loop for
 * many seconds when a model file without its regression is loaded.
 */
const MAX_PASS_WORK = 4_000_000_000;
const RATE = 0.5;
const SKIP = 0.01;
/**
 * γ is scaled by n / (n + SHRINK), n the mean phrases per intent: with a handful of phrases an
 * intent's regression is mostly noise, and similarity alone is the better judge.
 */
const SHRINK = 10;

/** The regression's features over phrases given as term ids: each phrase's distinct stems, summed. */
export function phraseFeatures(phrases: readonly { terms: readonly number[] }[], termStems: ArrayLike<number>): number {
  return phrases.reduce((sum, p) => sum + new Set(p.terms.map((t) => termStems[t])).size, 0);
}

/**
 * Refuses a model too big for the regression (checked when compiling, and again when training):
 * one training pass costs about `features` (the phrases' distinct stems, summed) × intents
 * multiply-adds. Memory is not the limit: the weights are sparse (TrainedRegression).
 */
export function checkProbabilitySize(features: number, intents: number): void {
  if (features * intents > MAX_PASS_WORK) {
    throw new StsError(
      'invalid_settings',
      `probabilityWeight needs ${features} phrase stems × ${intents} intents = ${features * intents} multiply-adds a training pass, over the ${MAX_PASS_WORK} this engine allows; set probabilityWeight to 0 for this model`,
      [{ path: 'settings.probabilityWeight', message: `at most ${MAX_PASS_WORK}` }],
    );
  }
}

/** Training passes for a model of `phrases`: enough for MIN_STEPS, within MIN_PASSES..MAX_PASSES, cut to fit WORK_BUDGET (at least 1). */
export function trainingPasses(intents: number, features: number, phrases: number): number {
  const wanted = Math.min(MAX_PASSES, Math.max(MIN_PASSES, Math.ceil(MIN_STEPS / Math.max(1, phrases))));
  return Math.max(1, Math.min(wanted, Math.floor(WORK_BUDGET / Math.max(1, features * intents))));
}

export interface IntentProbabilities {
  /** Training passes run: trainingPasses(), or fewer when a pass changed nothing. */
  readonly passes: number;
  /** The exponent γ × n / (n + 10) for the setting γ. */
  exponent(gamma: number): number;
  /** P(intent | stems) into `out` (one entry per intent); `stems` distinct, known stem ids. */
  predict(stems: readonly number[], out: Float64Array): void;
  /** The logits behind P (P = softmax of them) into `out`: a request needs them, not P, for its factors. */
  logits(stems: readonly number[], out: Float64Array): void;
  /**
   * Each stem's pull towards `intent` in P: its feature value × (its weight for the intent − its
   * P-weighted mean weight over all intents), so a word that lifts every intent alike pulls 0.
   */
  evidence(stems: readonly number[], intent: number, probability: Float64Array): number[];
}

/**
 * Trains the regression on phrases given as their stem ids (flat, with start offsets) and
 * intents: its weights, for intentProbabilities(). `dense` chooses how it trains (a test's
 * hook: by default trainsDense() decides); the weights are the same either way.
 */
export function trainRegression(
  stemCount: number,
  phraseStems: Int32Array,
  phraseStart: Int32Array,
  phraseIntent: Int32Array,
  intents: number,
  dense?: boolean,
): TrainedRegression {
  const phrases = phraseIntent.length;
  const docs = Array.from({ length: phrases }, (_, p) => [...new Set(phraseStems.subarray(phraseStart[p], phraseStart[p + 1]))]);
  const features = docs.reduce((sum, d) => sum + d.length, 0);
  checkProbabilitySize(features, intents);
  const store = weightStore(stemCount, intents, dense);
  const bias = new Float64Array(intents);
  let passes = 0;
  const z = new Float64Array(intents);
  if (intents > 1) {
    const order = Array.from({ length: phrases }, (_, p) => p);
    const random = mulberry32(1);
    const wanted = trainingPasses(intents, features, phrases);
    // The intents a step updates, with their steps.
    const active: number[] = [];
    const steps: number[] = [];
    while (passes < wanted) {
      passes++;
      shuffle(order, random);
      let updates = 0;
      for (const p of order) {
        const stems = docs[p]!;
        const value = featureValue(stems.length);
        z.set(bias);
        store.addLogits(stems, value, z);
        // softmax(z), its division done here: one pass fewer over every intent for every phrase.
        const sum = softmaxTerms(z);
        const gold = phraseIntent[p] as number;
        active.length = steps.length = 0;
        for (let c = 0; c < intents; c++) {
          const g = (z[c] as number) / sum - (c === gold ? 1 : 0);
          if (g < SKIP && g > -SKIP) continue;
          bias[c] = (bias[c] as number) - RATE * g;
          active.push(c);
          steps.push(RATE * g * value);
        }
        updates += active.length;
        store.update(stems, active, steps);
      }
      if (updates === 0) break; // every phrase fits: the next passes would change nothing
    }
  }
  return { ...store.pack(), bias, passes, perIntent: phrases / Math.max(1, intents) };
}

/** The regression answering from trained weights (trainRegression(), here or in another thread). */
export function intentProbabilities(trained: TrainedRegression): IntentProbabilities {
  const { stemStart, weightIntent, weights, bias, passes, perIntent } = trained;
  const intents = bias.length;
  const logits = (stems: readonly number[], out: Float64Array) => {
    const value = featureValue(stems.length);
    out.set(bias);
    for (const k of stems) {
      for (let j = stemStart[k] as number, end = stemStart[k + 1] as number; j < end; j++) {
        out[weightIntent[j]!] = (out[weightIntent[j]!] as number) + (weights[j] as number) * value;
      }
    }
  };
  return {
    passes,
    exponent: (gamma) => (gamma * perIntent) / (perIntent + SHRINK),
    predict(stems, out) {
      if (intents === 1) out[0] = 1;
      else {
        logits(stems, out);
        softmax(out);
      }
    },
    logits(stems, out) {
      if (intents === 1) out[0] = 0;
      else logits(stems, out);
    },
    evidence(stems, intent, probability) {
      const value = featureValue(stems.length);
      return stems.map((k) => {
        let own = 0;
        let mean = 0;
        for (let j = stemStart[k] as number, end = stemStart[k + 1] as number; j < end; j++) {
          const c = weightIntent[j] as number;
          if (c === intent) own = weights[j] as number;
          mean += (probability[c] as number) * (weights[j] as number);
        }
        return (own - mean) * value;
      });
    },
  };
}

/** Each feature's value in a text of n distinct known stems: 1/√n. */
function featureValue(n: number): number {
  return 1 / Math.sqrt(n || 1);
}

function softmax(x: Float64Array) {
  const sum = softmaxTerms(x);
  for (let c = 0; c < x.length; c++) x[c] = (x[c] as number) / sum;
}

/** Softmax but for the division: each x becomes exp(x − max x); returns their sum (P = x / sum). */
function softmaxTerms(x: Float64Array): number {
  const n = x.length;
  let max = -Infinity;
  for (let c = 0; c < n; c++) if ((x[c] as number) > max) max = x[c] as number;
  let sum = 0;
  for (let c = 0; c < n; c++) {
    const e = Math.exp((x[c] as number) - max);
    x[c] = e;
    sum += e;
  }
  return sum;
}

/** mulberry32, a fixed-seed 32-bit generator in [0, 1) (integer arithmetic, so exact): the same shuffles on every load. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(list: number[], random: () => number) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
}
