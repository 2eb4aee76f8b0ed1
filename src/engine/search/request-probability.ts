import type { PreparedModel } from '../prepare/prepared-model.js';
import type { RegressionInput } from '../probability/features.js';
import type { LogitParts } from '../probability/intent-probability.js';
import type { AnalyzedRequest } from '../prepare/request.js';
import { leadingPositions } from './top-list.js';

/** How many of the most favoured intents a request keeps in order, for the search's bound on the factors left. */
const LEADING = 8;

/**
 * One request's factors (P / P_max)^γ' for probabilityWeight (intent-probability.ts). With the
 * logits z, P_c / P_max = exp(z_c − max z), so a factor is exp(γ' (z_c − max z)): one exp per
 * intent asked for, and no softmax (P itself is only needed to explain, explainProbability()).
 */
export class RequestProbabilities {
  /** What each stem is in the request: its first word, or the entity's "@Entity" stem. */
  readonly labels: string[] = [];
  /** The request's distinct stems that some phrase has, in request order, then its entities' "@Entity" stems: the regression's input. */
  readonly stems: number[] = [];
  /** What the regression read: the stems above, and the n-grams and sentence vector of the request's words. */
  readonly input: RegressionInput;
  /** What the n-grams and the sentence vector add to each logit, for the explanation. */
  readonly parts: LogitParts;
  readonly exponent: number;
  /** The intents with the highest logits (highest first), at most LEADING: the few largest factors. */
  private readonly leading: number[];
  private readonly logits: Float64Array;
  /** factor() by intent, filled on first use (-1: not yet): the search asks for one intent many times. */
  private readonly factors: number[];
  private readonly maxLogit: number;
  /** probabilities(), once computed. */
  private softmax?: Float64Array;

  constructor(pm: PreparedModel, req: AnalyzedRequest, gamma: number) {
    const regression = pm.probabilities();
    const df = pm.model.df;
    const add = (stem: number, label: string) => {
      if ((df[stem] ?? 0) > 0 && !this.stems.includes(stem)) {
        this.stems.push(stem);
        this.labels.push(label);
      }
    };
    for (const w of req.words) {
      if (w.stemId >= 0) add(w.stemId, w.form);
      for (const stem of w.standsFor ?? []) add(stem, w.form);
    }
    // "@City" in phrases is one feature; a request holding a City value has it too.
    for (const stem of req.entitySpans.keys()) add(stem, pm.model.stems[stem]!);
    // Typed, as in training: the regression's inner loop then sees one array type.
    const intents = pm.model.intents.length;
    const logits = (this.logits = new Float64Array(intents));
    this.input = pm.wordFeatures.input(this.stems, req.words.map((w) => w.form));
    this.parts = { grams: new Float64Array(intents), vector: new Float64Array(intents) };
    regression.logits(this.input, logits, this.parts);
    this.factors = new Array<number>(logits.length).fill(-1);
    this.leading = leadingPositions(logits, LEADING, -Infinity).best;
    this.maxLogit = this.leading.length > 0 ? (logits[this.leading[0]!] as number) : 0;
    this.exponent = regression.exponent(gamma);
  }

  /** The intent the words favour most (factor 1). */
  get favoured(): number | undefined {
    return this.leading[0];
  }

  /** The intents the words favour most, most favoured first (a few). */
  get mostFavoured(): readonly number[] {
    return this.leading;
  }

  /**
   * At least the factor of every intent that is not `done`: the largest among the leading
   * intents not done, or the last leading one's when all are (no other intent's is larger).
   */
  maxFactor(done: readonly number[]): number {
    for (const intent of this.leading) if (done[intent] !== 1) return this.factor(intent);
    return this.leading.length < this.logits.length ? this.factor(this.leading[this.leading.length - 1]!) : 0;
  }

  /**
   * P(intent | the request) of every intent: the softmax of the logits, computed on first use
   * (the probability floor and the explanation both read it). Read it, do not change it.
   */
  probabilities(): Float64Array {
    if (this.softmax) return this.softmax;
    const out = new Float64Array(this.logits.length);
    let sum = 0;
    for (let c = 0; c < out.length; c++) sum += out[c] = Math.exp((this.logits[c] as number) - this.maxLogit);
    for (let c = 0; c < out.length; c++) out[c] = (out[c] as number) / sum;
    return (this.softmax = out);
  }

  /** (P_intent / P_max)^γ': at most 1, and 1 for the intent the words favour most. */
  factor(intent: number): number {
    let f = this.factors[intent] as number;
    if (f < 0) this.factors[intent] = f = Math.exp(this.exponent * ((this.logits[intent] as number) - this.maxLogit));
    return f;
  }
}
