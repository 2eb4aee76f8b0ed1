import { StsError } from '../../errors.js';
import { weightStore } from './regression-weights.js';
import type { RegressionInput } from './features.js';
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
 * A regression over n-grams and word vectors (features.ts) has more to learn from each phrase
 * and is trained harder: up to FEATURE_WORK_BUDGET multiply-adds, and with few phrases per
 * intent (up to FEW_PER_INTENT) no gradient is skipped, since every phrase then moves every
 * intent's weights measurably (on CLINC150's 5-phrase subset, skipping them cost 2 points of
 * validation accuracy); with more, the small ones are skipped as above, which is most of the
 * time a pass takes and changes little.
 */
const FEATURE_WORK_BUDGET = 1_000_000_000;
/** Its passes at least: on CLINC150's 10-phrase subset, 10 passes fell 1.2 points of validation accuracy short of 14, and 30 added 0.2 (20,000 steps on its 5-phrase subset, 0.1). */
const FEATURE_MIN_STEPS = 10_000;
const FEATURE_MIN_PASSES = 14;
const FEW_PER_INTENT = 20;
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

/**
 * Training passes for a model of `phrases`: enough for MIN_STEPS, within MIN_PASSES..MAX_PASSES,
 * cut to fit WORK_BUDGET (FEATURE_WORK_BUDGET for a regression over more than stems; at least 1).
 */
export function trainingPasses(intents: number, features: number, phrases: number, moreThanStems = false): number {
  const [steps, passes, budget] = moreThanStems ? [FEATURE_MIN_STEPS, FEATURE_MIN_PASSES, FEATURE_WORK_BUDGET] : [MIN_STEPS, MIN_PASSES, WORK_BUDGET];
  const wanted = Math.min(MAX_PASSES, Math.max(passes, Math.ceil(steps / Math.max(1, phrases))));
  return Math.max(1, Math.min(wanted, Math.floor(budget / Math.max(1, features * intents))));
}

/** What the n-grams and the sentence vector add to each intent's logit (one entry per intent each). */
export interface LogitParts {
  readonly grams: Float64Array;
  readonly vector: Float64Array;
}

export interface IntentProbabilities {
  /** Training passes run: trainingPasses(), or fewer when a pass changed nothing. */
  readonly passes: number;
  /** The exponent of the setting γ: γ × n / (n + 10) for a regression over stems alone, γ for one that reads n-grams or word vectors too. */
  exponent(gamma: number): number;
  /** P(intent | the text's features) into `out` (one entry per intent). */
  predict(input: RegressionInput, out: Float64Array): void;
  /**
   * The logits behind P (P = softmax of them) into `out`: a request needs them, not P, for its
   * factors. With `parts`, what the n-grams and the sentence vector add to each are kept there too.
   */
  logits(input: RegressionInput, out: Float64Array, parts?: LogitParts): void;
  /**
   * Each stem's pull towards `intent` in P: its feature value × (its weight for the intent − its
   * P-weighted mean weight over all intents), so a word that lifts every intent alike pulls 0;
   * then the same summed over the text's n-grams, and over its sentence vector (from `parts`,
   * which logits() filled for this input).
   */
  evidence(input: RegressionInput, intent: number, probability: Float64Array, parts: LogitParts): { stems: number[]; grams: number; vector: number };
}

/** A training row that is not a phrase: its input, its intent and the factor of its gradient. */
export interface ExtraRow {
  readonly input: RegressionInput;
  readonly intent: number;
  readonly weight: number;
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
  const docs = Array.from({ length: phraseIntent.length }, (_, p) => ({ stems: [...new Set(phraseStems.subarray(phraseStart[p], phraseStart[p + 1]))] }));
  return trainFeatureRegression(stemCount, 0, docs, phraseIntent, intents, dense);
}

/**
 * Trains the regression on phrases given as their features (features.ts): `rows` sparse
 * feature rows (stems, then n-grams) and `dims` dense dimensions (the sentence vector's, or 0).
 * Each group of features is scaled in the text it comes from (stems by 1/√(distinct stems),
 * n-grams by their gramValue), so no group outweighs another by its size. `passShare` scales
 * the passes (cross-validation's folds train a quicker regression). `extraRows` are trained
 * beside the phrases in every pass (intent names: name-rows.ts) without counting as phrases:
 * the number of passes, the per-intent mean, the threshold under which a gradient is skipped and
 * the early stop are the phrases'.
 */
export function trainFeatureRegression(
  rows: number,
  dims: number,
  docs: readonly RegressionInput[],
  phraseIntent: Int32Array,
  intents: number,
  dense?: boolean,
  passShare = 1,
  extraRows: readonly ExtraRow[] = [],
): TrainedRegression {
  const phrases = phraseIntent.length;
  const features = docs.reduce((sum, d) => sum + d.stems.length + (d.grams?.length ?? 0) + (d.dense ? dims : 0), 0);
  checkProbabilitySize(features, intents);
  const store = weightStore(rows, intents, dense);
  const vector = dims > 0 ? new Float32Array(dims * intents) : undefined;
  const bias = new Float64Array(intents);
  let passes = 0;
  const z = new Float64Array(intents);
  if (intents > 1) {
    const order = Array.from({ length: phrases }, (_, p) => p);
    // The extra rows are spread through each pass by a shuffle of their own, so that the
    // phrases keep the order they have without them: a change of order alone moves validation
    // figures (docs/experiments.md, "Intent names").
    const extra = Array.from({ length: extraRows.length }, (_, j) => j);
    const random = mulberry32(1);
    const extraRandom = mulberry32(2);
    const more = dims > 0 || docs.some((d) => d.grams !== undefined);
    const wanted = Math.max(1, Math.round(trainingPasses(intents, features, phrases, more) * passShare));
    const skip = more && phrases / intents <= FEW_PER_INTENT ? 0 : SKIP;
    // The intents a step updates (the first `n` of `active`), with their steps for each group of features.
    const active = new Int32Array(intents);
    const steps = new Float64Array(intents);
    const gramSteps = new Float64Array(intents);
    const rates = new Float64Array(intents);
    /** One gradient step on `doc`, of intent `gold`, its gradient times `weight`; how many intents it updated. */
    const step = (doc: RegressionInput, gold: number, weight: number): number => {
      const value = featureValue(doc.stems.length);
      const gramValue = doc.gramValue ?? 0;
      z.set(bias);
      store.addLogits(doc.stems, value, z);
      if (doc.grams) store.addLogits(doc.grams, gramValue, z);
      if (vector && doc.dense) addVectorLogits(vector, doc.dense, z);
      // softmax(z), its division done here: one pass fewer over every intent for every phrase.
      const sum = softmaxTerms(z);
      let n = 0;
      for (let c = 0; c < intents; c++) {
        const g = weight * ((z[c] as number) / sum - (c === gold ? 1 : 0));
        if (g < skip && g > -skip) continue;
        bias[c] = (bias[c] as number) - RATE * g;
        active[n] = c;
        steps[n] = RATE * g * value;
        gramSteps[n] = RATE * g * gramValue;
        rates[n++] = RATE * g;
      }
      if (n === 0) return 0;
      store.update(doc.stems, active, steps, n);
      if (doc.grams) store.update(doc.grams, active, gramSteps, n);
      if (vector && doc.dense) updateVector(vector, doc.dense, intents, active, rates, n);
      return n;
    };
    const extraStep = (j: number): number => {
      const row = extraRows[j]!;
      return step(row.input, row.intent, row.weight);
    };
    while (passes < wanted) {
      passes++;
      shuffle(order, random);
      if (extra.length > 0) shuffle(extra, extraRandom);
      let updates = 0;
      let e = 0;
      for (let i = 0; i < phrases; i++) {
        const p = order[i] as number;
        updates += step(docs[p]!, phraseIntent[p] as number, 1);
        for (; e < extra.length && e * phrases <= i * extra.length; e++) extraStep(extra[e] as number);
      }
      for (; e < extra.length; e++) extraStep(extra[e] as number);
      // Every phrase fits: more passes would change the phrases' weights no more. Extra rows
      // do not keep training going (two intents' rows may never both fit).
      if (updates === 0) break;
    }
  }
  // A model of patterns alone has no phrases: its perIntent (for the exponent) is kept positive.
  const trained = { ...store.pack(), bias, passes, perIntent: Math.max(1, phrases) / Math.max(1, intents) };
  const moreThanStems = vector !== undefined || docs.some((d) => d.grams !== undefined);
  return moreThanStems ? { ...trained, ...(vector && { vector }), shrink: false } : trained;
}

/**
 * z[c] += Σ_d vector[d × intents + c] × x[d], each z[c] summed over d in order. Eight intents at
 * a time, their sums in locals: storing the sum back into z at every step, as a loop over d
 * outside and c inside does, makes this the larger part of a request's regression (npm run
 * bench:speed). The additions are the same, in the same order.
 */
function addVectorLogits(vector: Float32Array, x: Float32Array, z: Float64Array): void {
  const intents = z.length;
  const dims = x.length;
  let c = 0;
  for (; c + 8 <= intents; c += 8) {
    let z0 = z[c] as number;
    let z1 = z[c + 1] as number;
    let z2 = z[c + 2] as number;
    let z3 = z[c + 3] as number;
    let z4 = z[c + 4] as number;
    let z5 = z[c + 5] as number;
    let z6 = z[c + 6] as number;
    let z7 = z[c + 7] as number;
    for (let d = 0, o = c; d < dims; d++, o += intents) {
      const v = x[d] as number;
      if (v === 0) continue;
      z0 += (vector[o] as number) * v;
      z1 += (vector[o + 1] as number) * v;
      z2 += (vector[o + 2] as number) * v;
      z3 += (vector[o + 3] as number) * v;
      z4 += (vector[o + 4] as number) * v;
      z5 += (vector[o + 5] as number) * v;
      z6 += (vector[o + 6] as number) * v;
      z7 += (vector[o + 7] as number) * v;
    }
    z[c] = z0;
    z[c + 1] = z1;
    z[c + 2] = z2;
    z[c + 3] = z3;
    z[c + 4] = z4;
    z[c + 5] = z5;
    z[c + 6] = z6;
    z[c + 7] = z7;
  }
  for (; c < intents; c++) {
    let sum = z[c] as number;
    for (let d = 0, o = c; d < dims; d++, o += intents) {
      const v = x[d] as number;
      if (v !== 0) sum += (vector[o] as number) * v;
    }
    z[c] = sum;
  }
}

/** vector[d × intents + active[a]] −= rates[a] × x[d], for the first n active intents. */
function updateVector(vector: Float32Array, x: Float32Array, intents: number, active: Int32Array, rates: Float64Array, n: number): void {
  if (n === intents) {
    // Every intent: active is 0, 1, 2…, so the row is walked in order.
    for (let d = 0; d < x.length; d++) {
      const v = x[d] as number;
      for (let c = 0, o = d * intents; c < intents; c++) vector[o + c] = (vector[o + c] as number) - (rates[c] as number) * v;
    }
    return;
  }
  for (let d = 0; d < x.length; d++) {
    const v = x[d] as number;
    for (let a = 0, o = d * intents; a < n; a++) {
      const c = o + (active[a] as number);
      vector[c] = (vector[c] as number) - (rates[a] as number) * v;
    }
  }
}

/** The regression answering from trained weights (trainRegression(), here or in another thread). */
export function intentProbabilities(trained: TrainedRegression): IntentProbabilities {
  const { stemStart, weightIntent, weights, bias, passes, perIntent, vector } = trained;
  const intents = bias.length;
  const full = fullRows(stemStart, weightIntent, intents);
  const addRows = (rows: readonly number[], value: number, out: Float64Array) => {
    for (let r = 0; r < rows.length; ) {
      const k = rows[r] as number;
      if (full[k] === 1) {
        // Every intent in order: the intent is the position, with no index to read (the rows a
        // request's n-grams reach are mostly such). Up to three such rows in a row are added in
        // one pass, each logit taking their products in row order: the same additions in the
        // same order, with each logit read and written once.
        const a = stemStart[k] as number;
        const b = r + 1 < rows.length && full[rows[r + 1] as number] === 1 ? (stemStart[rows[r + 1] as number] as number) : -1;
        const d = b >= 0 && r + 2 < rows.length && full[rows[r + 2] as number] === 1 ? (stemStart[rows[r + 2] as number] as number) : -1;
        if (d >= 0) {
          for (let c = 0; c < intents; c++) {
            out[c] = (out[c] as number) + (weights[a + c] as number) * value + (weights[b + c] as number) * value + (weights[d + c] as number) * value;
          }
          r += 3;
        } else if (b >= 0) {
          for (let c = 0; c < intents; c++) out[c] = (out[c] as number) + (weights[a + c] as number) * value + (weights[b + c] as number) * value;
          r += 2;
        } else {
          for (let c = 0; c < intents; c++) out[c] = (out[c] as number) + (weights[a + c] as number) * value;
          r++;
        }
        continue;
      }
      for (let j = stemStart[k] as number, end = stemStart[k + 1] as number; j < end; j++) {
        const c = weightIntent[j] as number;
        out[c] = (out[c] as number) + (weights[j] as number) * value;
      }
      r++;
    }
  };
  const logits = (input: RegressionInput, out: Float64Array, parts?: LogitParts) => {
    out.set(bias);
    addRows(input.stems, featureValue(input.stems.length), out);
    if (!parts) {
      if (input.grams) addRows(input.grams, input.gramValue ?? 0, out);
      if (vector && input.dense) addVectorLogits(vector, input.dense, out);
      return;
    }
    parts.grams.fill(0);
    parts.vector.fill(0);
    if (input.grams) addRows(input.grams, input.gramValue ?? 0, parts.grams);
    if (vector && input.dense) addVectorLogits(vector, input.dense, parts.vector);
    for (let c = 0; c < intents; c++) out[c] = (out[c] as number) + (parts.grams[c] as number) + (parts.vector[c] as number);
  };
  /** A part's pull towards `intent`: its share of the intent's logit less its P-weighted mean share. */
  const partPull = (part: Float64Array, intent: number, probability: Float64Array) => {
    let mean = 0;
    for (let c = 0; c < intents; c++) mean += (probability[c] as number) * (part[c] as number);
    return (part[intent] as number) - mean;
  };
  /** A row's pull towards `intent`: its weight for it less its P-weighted mean weight, times `value`. */
  const pull = (k: number, value: number, intent: number, probability: Float64Array) => {
    let own = 0;
    let mean = 0;
    for (let j = stemStart[k] as number, end = stemStart[k + 1] as number; j < end; j++) {
      const c = weightIntent[j] as number;
      if (c === intent) own = weights[j] as number;
      mean += (probability[c] as number) * (weights[j] as number);
    }
    return (own - mean) * value;
  };
  // A regression over more than stems tells intents apart well even with few phrases each: no shrinking (TrainedRegression.shrink).
  const shrinks = trained.shrink !== false;
  return {
    passes,
    exponent: (gamma) => (shrinks ? (gamma * perIntent) / (perIntent + SHRINK) : gamma),
    predict(input, out) {
      if (intents === 1) out[0] = 1;
      else {
        logits(input, out);
        softmax(out);
      }
    },
    logits(input, out, parts) {
      if (intents === 1) out[0] = 0;
      else logits(input, out, parts);
    },
    evidence(input, intent, probability, parts) {
      const value = featureValue(input.stems.length);
      const stems = input.stems.map((k) => pull(k, value, intent, probability));
      return { stems, grams: partPull(parts.grams, intent, probability), vector: partPull(parts.vector, intent, probability) };
    },
  };
}

/** 1 for the rows that hold a weight for every intent, listed in intent order (weightIntent[start + c] is c). */
function fullRows(stemStart: Int32Array, weightIntent: Int32Array, intents: number): Uint8Array {
  const full = new Uint8Array(Math.max(0, stemStart.length - 1));
  for (let k = 0; k < full.length; k++) {
    const start = stemStart[k] as number;
    if ((stemStart[k + 1] as number) - start !== intents) continue;
    let inOrder = true;
    for (let c = 0; c < intents && inOrder; c++) inOrder = weightIntent[start + c] === c;
    if (inOrder) full[k] = 1;
  }
  return full;
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
