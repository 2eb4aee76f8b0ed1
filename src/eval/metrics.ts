/**
 * Evaluation of a classifier on labelled rows, as in the CLINC150 paper (Larson et al. 2019):
 * each row is classified once with the threshold ignored; the decision at any threshold t is
 * then "match the top intent if its score > t, else noMatch", so thresholds can be swept cheaply.
 */
export interface Prediction {
  /** Gold intent path, or null for an out-of-scope row. */
  gold: string | null;
  /** Top intent, whatever its score (null if no phrase scored above 0). */
  top: string | null;
  score: number;
  /** The row's text, for the list of misclassified rows. */
  text?: string;
}

export interface ConfusedPair {
  gold: string;
  predicted: string;
  count: number;
}

export interface Metrics {
  threshold: number;
  rows: number;
  inScope: number;
  outOfScope: number;
  /** In-scope rows whose top intent is right, threshold ignored. */
  top1Accuracy: number;
  /** In-scope rows matched (score > threshold) to the right intent. */
  inScopeAccuracy: number;
  /** Out-of-scope rows answered noMatch. null when there are none. */
  oosRecall: number | null;
  /** Of the rows answered noMatch, how many were out of scope. null when nothing was answered noMatch. */
  oosPrecision: number | null;
  /** All rows right, out-of-scope counted as a class (what --tune maximizes). */
  overallAccuracy: number;
  /** Mean F1 over the gold in-scope intents, noMatch counted as a wrong prediction. */
  macroF1: number;
  /** Micro F1 over in-scope rows, as the Braun et al. tables score intents. */
  microF1: number;
  confused: ConfusedPair[];
  /** Precision, recall, F1 and support of each intent that is some row's gold or answer, by name. */
  perIntent: IntentScores[];
  /** Rows decided wrong at the threshold, in input order: in-scope rows missed or given another intent, out-of-scope rows matched. */
  misclassified: Misclassified[];
}

export interface IntentScores {
  intent: string;
  /** Of the rows answered with this intent, how many were its own; null when none was. */
  precision: number | null;
  /** Of this intent's rows, how many were answered with it; null when it has none (support 0). */
  recall: number | null;
  /** Harmonic mean of precision and recall (0 when either is 0 or missing). */
  f1: number;
  /** How many rows have this intent as gold. */
  support: number;
}

export interface Misclassified {
  text: string;
  /** Gold intent, or null for an out-of-scope row. */
  gold: string | null;
  /** What was answered: an intent, or null for noMatch. */
  predicted: string | null;
  /** The best intent's score (threshold ignored). */
  score: number;
}

export const NO_MATCH = '(noMatch)';

export function decide(p: Prediction, threshold: number): string | null {
  return p.top !== null && p.score > threshold ? p.top : null;
}

export function computeMetrics(preds: readonly Prediction[], threshold: number, topConfused = 10): Metrics {
  let inScope = 0;
  let top1 = 0;
  let inScopeRight = 0;
  let oos = 0;
  let oosRight = 0;
  let noMatchAnswers = 0;
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const confused = new Map<string, ConfusedPair>();
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const p of preds) {
    const predicted = decide(p, threshold);
    if (predicted === null) noMatchAnswers++;
    if (p.gold === null) {
      oos++;
      if (predicted === null) oosRight++;
      else inc(fp, predicted);
      continue;
    }
    inScope++;
    if (p.top === p.gold) top1++;
    if (predicted === p.gold) {
      inScopeRight++;
      inc(tp, p.gold);
    } else {
      inc(fn, p.gold);
      if (predicted !== null) inc(fp, predicted);
      const key = `${p.gold}\u0000${predicted ?? NO_MATCH}`;
      const pair = confused.get(key) ?? { gold: p.gold, predicted: predicted ?? NO_MATCH, count: 0 };
      pair.count++;
      confused.set(key, pair);
    }
  }
  const golds = new Set(preds.flatMap((p) => (p.gold === null ? [] : [p.gold])));
  const perIntent = [...new Set([...golds, ...fp.keys()])].sort().map((intent): IntentScores => {
    const t = tp.get(intent) ?? 0;
    const answered = t + (fp.get(intent) ?? 0);
    const support = t + (fn.get(intent) ?? 0);
    const precision = answered > 0 ? t / answered : null;
    const recall = support > 0 ? t / support : null;
    const f1 = precision && recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { intent, precision, recall, f1, support };
  });
  const f1Sum = perIntent.reduce((sum, s) => sum + (golds.has(s.intent) ? s.f1 : 0), 0);
  const misclassified = preds.flatMap((p): Misclassified[] => {
    const predicted = decide(p, threshold);
    return predicted === p.gold ? [] : [{ text: p.text ?? '', gold: p.gold, predicted, score: p.score }];
  });
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const tpAll = sum(tp);
  const microP = tpAll + sum(fp) > 0 ? tpAll / (tpAll + sum(fp)) : 0;
  const microR = inScope > 0 ? tpAll / inScope : 0;
  return {
    threshold,
    rows: preds.length,
    inScope,
    outOfScope: oos,
    top1Accuracy: ratio(top1, inScope),
    inScopeAccuracy: ratio(inScopeRight, inScope),
    oosRecall: oos > 0 ? oosRight / oos : null,
    oosPrecision: noMatchAnswers > 0 ? oosRight / noMatchAnswers : null,
    overallAccuracy: ratio(inScopeRight + oosRight, preds.length),
    macroF1: golds.size > 0 ? f1Sum / golds.size : 0,
    microF1: microP + microR > 0 ? (2 * microP * microR) / (microP + microR) : 0,
    confused: [...confused.values()].sort((a, b) => b.count - a.count || a.gold.localeCompare(b.gold)).slice(0, topConfused),
    perIntent,
    misclassified,
  };
}

/**
 * The threshold with the best accuracy over all rows, out-of-scope counted as a class (the
 * CLINC150 protocol). Candidates are 0 and every top score; ties go to the lowest threshold.
 */
export function tuneThreshold(preds: readonly Prediction[]): { threshold: number; accuracy: number } {
  const sorted = [...preds].sort((a, b) => a.score - b.score);
  // At t below every score, every row is matched: right = in-scope rows whose top is right.
  let right = sorted.filter((p) => p.gold !== null && p.top === p.gold).length;
  let best = { threshold: 0, accuracy: ratio(right, preds.length) };
  for (let k = 0; k < sorted.length; k++) {
    const p = sorted[k]!;
    // Raising t to p.score turns p (and its ties) into noMatch.
    if (p.gold === null) right++;
    else if (p.top === p.gold) right--;
    if (k + 1 < sorted.length && sorted[k + 1]!.score === p.score) continue;
    const accuracy = ratio(right, preds.length);
    if (accuracy > best.accuracy) best = { threshold: p.score, accuracy };
  }
  return best;
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}
