/**
 * Where the probabilityWeight regression (intent-probability.ts) keeps its weights while it
 * trains: a dense stems × intents array while it fits in DENSE_CELLS, beyond that sparse rows
 * that keep a stem's weights only for the intents training changes. Both give the same weights,
 * bit for bit: a weight training never changes stays 0, and adding 0 to a logit changes
 * nothing. Either is packed into the same sparse layout (TrainedRegression).
 */

/**
 * Dense weights up to this many (4 bytes each: 120 MB), a memory limit: dense rows train a
 * model of CLINC150's size a little faster than sparse ones, but a model of 280,000 phrases
 * of 1,570 intents (114,447 stems) would need 720 MB dense, and trains faster sparse
 * (`npm run bench:scale`).
 */
const DENSE_CELLS = 30_000_000;

export interface PackedWeights {
  readonly stemStart: Int32Array;
  readonly weightIntent: Int32Array;
  readonly weights: Float32Array;
}

export interface WeightStore {
  /** Adds each stem's weights × `value` to the logits `z`. */
  addLogits(stems: readonly number[], value: number, z: Float64Array): void;
  /** Subtracts steps[a] from each stem's weight for intent active[a], for the first n of them. */
  update(stems: readonly number[], active: Int32Array, steps: Float64Array, n: number): void;
  /** The weights that are not 0, stem by stem, in ascending intent order. */
  pack(): PackedWeights;
}

/** Whether a model of `stems` × `intents` trains dense weights (else sparse rows). */
export function trainsDense(stems: number, intents: number): boolean {
  return stems * intents <= DENSE_CELLS;
}

export function weightStore(stems: number, intents: number, dense = trainsDense(stems, intents)): WeightStore {
  return dense ? new DenseWeights(stems, intents) : new SparseWeights(stems, intents);
}

class DenseWeights implements WeightStore {
  private readonly w: Float32Array;

  constructor(
    private readonly stems: number,
    private readonly intents: number,
  ) {
    this.w = new Float32Array(stems * intents);
  }

  addLogits(stems: readonly number[], value: number, z: Float64Array) {
    const { w, intents } = this;
    for (let i = 0; i < stems.length; i++) {
      const row = (stems[i] as number) * intents;
      for (let c = 0; c < intents; c++) z[c] = (z[c] as number) + (w[row + c] as number) * value;
    }
  }

  update(stems: readonly number[], active: Int32Array, steps: Float64Array, n: number) {
    const { w, intents } = this;
    for (let i = 0; i < stems.length; i++) {
      const row = (stems[i] as number) * intents;
      for (let a = 0; a < n; a++) w[row + (active[a] as number)] = (w[row + (active[a] as number)] as number) - (steps[a] as number);
    }
  }

  pack(): PackedWeights {
    const { w, stems, intents } = this;
    let kept = 0;
    for (const x of w) if (x !== 0) kept++;
    const stemStart = new Int32Array(stems + 1);
    const weightIntent = new Int32Array(kept);
    const weights = new Float32Array(kept);
    let j = 0;
    for (let k = 0; k < stems; k++) {
      for (let c = 0; c < intents; c++) {
        const x = w[k * intents + c] as number;
        if (x === 0) continue;
        weightIntent[j] = c;
        weights[j++] = x;
      }
      stemStart[k + 1] = j;
    }
    return { stemStart, weightIntent, weights };
  }
}

class SparseWeights implements WeightStore {
  /** A stem's row is made when training first changes one of its weights: most stems of a big model are rare. */
  private readonly rows: (Row | undefined)[];

  constructor(
    stems: number,
    private readonly intentCount: number,
  ) {
    this.rows = new Array<Row | undefined>(stems).fill(undefined);
  }

  addLogits(stems: readonly number[], value: number, z: Float64Array) {
    for (const k of stems) {
      const row = this.rows[k];
      if (!row) continue;
      const { size, ids, weights, full } = row;
      if (full) for (let c = 0; c < full.length; c++) z[c] = (z[c] as number) + (full[c] as number) * value;
      else for (let j = 0; j < size; j++) z[ids[j]!] = (z[ids[j]!] as number) + (weights[j] as number) * value;
    }
  }

  update(stems: readonly number[], active: Int32Array, steps: Float64Array, n: number) {
    if (n === 0) return;
    for (const k of stems) {
      const row = (this.rows[k] ??= new Row(this.intentCount));
      for (let a = 0; a < n; a++) row.subtract(active[a]!, steps[a]!);
    }
  }

  pack(): PackedWeights {
    const { rows } = this;
    const stemStart = new Int32Array(rows.length + 1);
    rows.forEach((row, k) => (stemStart[k + 1] = (stemStart[k] as number) + (row?.kept() ?? 0)));
    const weightIntent = new Int32Array(stemStart[rows.length] as number);
    const weights = new Float32Array(weightIntent.length);
    let at = 0;
    const keep = (intent: number, weight: number) => {
      if (weight === 0) return;
      weightIntent[at] = intent;
      weights[at++] = weight;
    };
    for (const row of rows) {
      if (row?.full) row.full.forEach((weight, intent) => keep(intent, weight));
      else if (row) for (let j = 0; j < row.size; j++) keep(row.ids[j]!, row.weights[j]!);
    }
    return { stemStart, weightIntent, weights };
  }
}

const NONE_I32 = new Int32Array(0);
const NONE_F32 = new Float32Array(0);

/**
 * One stem's weights: the intents it has a weight for (`ids`, ascending) and their weights,
 * growing; once it has weights for a quarter of the intents, all of them in `full`, by intent (a
 * common word: adding them in order is then faster than looking each up). Float32, as the dense
 * weights are, so every update rounds alike.
 */
class Row {
  size = 0;
  ids = new Int32Array(4);
  weights = new Float32Array(4);
  full?: Float32Array;

  constructor(private readonly intentCount: number) {}

  /** Subtracts `step` from the weight for `intent`, which is 0 until it has one. */
  subtract(intent: number, step: number) {
    if (this.full) {
      this.full[intent] = (this.full[intent] as number) - step;
      return;
    }
    const { ids } = this;
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ids[mid] as number) < intent) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.size && ids[lo] === intent) {
      this.weights[lo] = (this.weights[lo] as number) - step;
      return;
    }
    if (this.size === ids.length) this.grow();
    this.ids.copyWithin(lo + 1, lo, this.size);
    this.weights.copyWithin(lo + 1, lo, this.size);
    this.ids[lo] = intent;
    this.weights[lo] = 0 - step;
    this.size++;
    if (this.size * 4 >= this.intentCount) this.spread();
  }

  kept(): number {
    let n = 0;
    for (const x of this.full ?? this.weights.subarray(0, this.size)) if (x !== 0) n++;
    return n;
  }

  /** From ids and weights to `full`, whose place is the intent. */
  private spread() {
    this.full = new Float32Array(this.intentCount);
    for (let j = 0; j < this.size; j++) this.full[this.ids[j]!] = this.weights[j]!;
    this.size = 0;
    this.ids = NONE_I32;
    this.weights = NONE_F32;
  }

  private grow() {
    const ids = new Int32Array(this.size * 2);
    ids.set(this.ids);
    this.ids = ids;
    const weights = new Float32Array(this.size * 2);
    weights.set(this.weights);
    this.weights = weights;
  }
}
