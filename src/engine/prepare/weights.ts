import type { Settings } from '../../config.js';
import type { Model } from '../../model/model-schema.js';

export type WeightSettings = Pick<Settings, 'idfShift' | 'idfMultiplier' | 'idfScope' | 'intentConcentration'>;

export interface Weights {
  /** Weight of each stem. */
  stem: Float64Array;
  /** Sum of the weights of each phrase's words. */
  phraseTotal: Float64Array;
  /** The least phraseTotal (0 for a model without phrases). */
  lightest: number;
  /** Weight of a request word that no phrase contains. */
  unknown: number;
  /** Cache of PreparedModel.postingsByTotal(). */
  byTotal: Map<number, Int32Array>;
}

/**
 * Word weights for the given idf settings (docs/scoring.md §3, §7): idf over phrases, intents
 * or the mean of both; times 1 + β (c − 1) / df with intentConcentration β, c the phrases of
 * the stem's most frequent intent (`topIntent`, needed when β > 0).
 */
export function computeWeights(
  model: Pick<Model, 'df' | 'intentDf' | 'phrases' | 'intents'>,
  layout: { phraseStems: Int32Array; phraseStart: Int32Array },
  settings: WeightSettings,
  topIntent: Int32Array | undefined,
): Weights {
  const { df, intentDf, phrases, intents } = model;
  const weigh = (dfPhrases: number, dfIntents: number) => {
    const overPhrases = wordWeight(dfPhrases, phrases.length, settings);
    const overIntents = wordWeight(dfIntents, intents.length, settings);
    return settings.idfScope === 'phrases' ? overPhrases : settings.idfScope === 'intents' ? overIntents : (overPhrases + overIntents) / 2;
  };
  const stem = Float64Array.from(df, (d, k) => weigh(d, intentDf[k] as number));
  const beta = settings.intentConcentration;
  if (beta > 0) {
    if (!topIntent) throw new Error('computeWeights: intentConcentration needs the top intent counts');
    for (let k = 0; k < stem.length; k++) {
      const d = df[k] as number;
      if (d > 1) stem[k] = (stem[k] as number) * (1 + (beta * ((topIntent[k] as number) - 1)) / d);
    }
  }
  const { phraseStems, phraseStart } = layout;
  const phraseTotal = new Float64Array(phrases.length);
  for (let p = 0; p < phrases.length; p++) {
    let sum = 0;
    for (let j = phraseStart[p] as number; j < (phraseStart[p + 1] as number); j++) sum += stem[phraseStems[j] as number] as number;
    phraseTotal[p] = sum;
  }
  const lightest = phraseTotal.reduce((min, t) => Math.min(min, t), Infinity);
  return { stem, phraseTotal, lightest: Number.isFinite(lightest) ? lightest : 0, byTotal: new Map(), unknown: weigh(0, 0) };
}

/** For each stem, how many of the phrases holding it belong to the intent that holds it most. */
export function topIntentCounts(postings: readonly Int32Array[], phraseIntent: Int32Array, intents: number): Int32Array {
  const counts = new Int32Array(intents);
  return Int32Array.from(postings, (list) => {
    let top = 0;
    for (const p of list) top = Math.max(top, ++counts[phraseIntent[p] as number]!);
    for (const p of list) counts[phraseIntent[p] as number] = 0;
    return top;
  });
}

/**
 * A word's weight: idfShift + idfMultiplier × idf, never below 0, where
 * idf = ln((N + 1) / (df + 0.5)) over the N training phrases: a word in every phrase weighs
 * almost nothing (ln((N+1)/(N+0.5)) ≈ 0, like a stop word), a word in one phrase weighs
 * ln((N+1)/1.5), and a word no phrase has weighs the most, ln(2(N+1)), so unknown words
 * in a request pull its score down. (The "+1" idf of TF-IDF libraries keeps function words at
 * weight ≥ 1; in a similarity that sums matched weight, that lets "what is the" decide.)
 */
export function wordWeight(df: number, phrases: number, s: Pick<Settings, 'idfShift' | 'idfMultiplier'>): number {
  const idf = Math.log((phrases + 1) / (df + 0.5));
  return Math.max(0, s.idfShift + s.idfMultiplier * idf);
}
