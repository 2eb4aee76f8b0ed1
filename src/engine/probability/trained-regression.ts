/**
 * The probabilityWeight regression's trained weights as plain typed arrays (trained by
 * intent-probability.ts, read by it), and what can be done with them outside it: hand them to
 * another thread, and check ones that come from elsewhere.
 */

/**
 * The regression's trained state, sparse: a stem's weights are kept only for the intents
 * training ever changed (the intents of its phrases, and those a phrase of it was mistaken
 * for), every other weight is 0. Stem k's weights are weights[stemStart[k] ..
 * stemStart[k + 1] − 1], for the intents weightIntent[…] at the same places. Then one bias per
 * intent, the passes run and the mean phrases per intent (for the exponent). Plain typed
 * arrays, so a model trained in a worker thread (the server's compile worker) can be handed
 * over whole (regressionBuffers()).
 *
 * It is the dense stems × intents regression exactly (a weight that is never updated stays 0,
 * and adding 0 to a logit changes nothing; regression-weights.ts trains it), in memory that
 * grows with the weights training changes rather than with stems × intents (`npm run
 * bench:scale` prints how many a model keeps), and a request's logits add only those.
 */
export interface TrainedRegression {
  /** Row k's weights start here: rows are the model's stems, then its n-grams (features.ts). */
  readonly stemStart: Int32Array;
  readonly weightIntent: Int32Array;
  readonly weights: Float32Array;
  readonly bias: Float64Array;
  readonly passes: number;
  readonly perIntent: number;
  /** The sentence vector's weights, dimension d's for intent c at d × intents + c (models with wordVectors). */
  readonly vector?: Float32Array;
  /**
   * false for a regression that reads n-grams or word vectors: its γ is not shrunk for few
   * phrases per intent, as one over stems alone is (absent: true, the older files' kind).
   */
  readonly shrink?: boolean;
}

/**
 * A model's probabilityWeight regression (intent-probability.ts), trained for the model of
 * `modelId`: what compile() and readModel() give, a classifier gives as trainedRegression() and
 * takes as ClassifierOptions.regression, so it can be trained or decoded once and handed over
 * (to another thread too: the server's compile worker).
 */
export interface ModelRegression extends TrainedRegression {
  readonly modelId: string;
}

/**
 * The buffers of a trained regression, to transfer to another thread rather than copy (each
 * once: trainRegression() gives each array a buffer of its own, and a transfer detaches all of
 * a buffer, so an array that is a view into a bigger buffer takes the rest with it).
 */
export function regressionBuffers(r: TrainedRegression): ArrayBuffer[] {
  const arrays = [r.stemStart, r.weightIntent, r.weights, r.bias, ...(r.vector ? [r.vector] : [])];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

/**
 * What in a regression's arrays does not fit a model of `stems` rows (stems and n-grams),
 * `intents` and `dims` vector dimensions, if anything: the
 * layout of TrainedRegression, checked in full (once, when a classifier is given weights trained
 * elsewhere or a model file's are decoded), so the request loops can trust it. `lengthHint`
 * follows a length that does not fit (by default: a guess that the buffers were transferred).
 */
export function regressionProblem(r: TrainedRegression, stems: number, intents: number, lengthHint = ' (were its buffers transferred away?)', dims = 0): string | undefined {
  const { stemStart, weightIntent, weights, bias, perIntent, vector } = r;
  const types = [
    [stemStart, 'stemStart', 'Int32Array'],
    [weightIntent, 'weightIntent', 'Int32Array'],
    [weights, 'weights', 'Float32Array'],
    [bias, 'bias', 'Float64Array'],
  ] as const;
  for (const [array, name, type] of types) if (typedArrayType(array) !== type) return `its ${name} is not ${type.startsWith('I') ? 'an' : 'a'} ${type}`;
  if (!(perIntent > 0 && Number.isFinite(perIntent))) return `its perIntent ${perIntent} is not a positive number`;
  if (bias.length !== intents) return `its ${bias.length} biases do not fit ${intents} intents${lengthHint}`;
  if (stemStart.length !== stems + 1) return `its ${stemStart.length} stem offsets do not fit ${stems} stems${lengthHint}`;
  if (weights.length !== weightIntent.length || stemStart[stems] !== weights.length) {
    return `its ${weights.length} weights, ${weightIntent.length} weight intents and last stem offset ${stemStart[stems]} disagree${lengthHint}`;
  }
  if (stemStart[0] !== 0) return `its stem offsets start at ${stemStart[0]}, not 0`;
  // Offsets first: a fall makes a stem's weights overlap the next stem's.
  for (let k = 0; k < stems; k++) if ((stemStart[k] as number) > (stemStart[k + 1] as number)) return `its stem offsets fall at stem ${k}`;
  for (let k = 0; k < stems; k++) {
    const from = stemStart[k] as number;
    const to = stemStart[k + 1] as number;
    for (let j = from; j < to; j++) {
      const c = weightIntent[j] as number;
      if (c < 0 || c >= intents) return `weight ${j} is for intent ${c}, not one of the ${intents}`;
      if (j > from && c <= (weightIntent[j - 1] as number)) return `stem ${k}'s weights are not in rising intent order (weight ${j})`;
    }
  }
  if ((vector?.length ?? 0) !== dims * intents) return `its ${vector?.length ?? 0} vector weights do not fit ${dims} dimensions × ${intents} intents${lengthHint}`;
  if (vector && typedArrayType(vector) !== 'Float32Array') return 'its vector is not a Float32Array';
  const infinite = [weights, bias, vector ?? []].findIndex((array) => !array.every(Number.isFinite));
  if (infinite >= 0) return `its ${['weights', 'bias', 'vector weights'][infinite]} are not all finite numbers`;
  return undefined;
}

/**
 * A typed array's type ("Int32Array"…), or undefined for anything else: by %TypedArray%'s own
 * tag getter, which answers for another realm's arrays too (a worker thread's) and cannot be
 * faked by an object's own Symbol.toStringTag.
 */
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype), Symbol.toStringTag)!.get!;
function typedArrayType(value: unknown): string | undefined {
  return ArrayBuffer.isView(value) ? (typedArrayTag.call(value) as string | undefined) : undefined;
}
