import { decide, NO_MATCH, type Metrics, type Prediction } from './metrics.js';

/**
 * What the pictures of `sts eval --report` show, computed from the predictions: pure, so the
 * numbers are tested apart from their drawing.
 */
export interface ReportData {
  metrics: Metrics;
  /** Rows: gold intents (and NO_MATCH for out-of-scope rows); columns: answers (NO_MATCH for noMatch); counts. */
  confusion: { labels: string[]; counts: number[][]; omitted: number };
  /** Counts of best scores per bin of width 1 / bins, for in-scope and out-of-scope rows. */
  histogram: { bins: number; inScope: number[]; outOfScope: number[] };
  /** In-scope accuracy and out-of-scope recall (null without such rows) at thresholds 0, 0.01, …, 1. */
  curve: { threshold: number; inScopeAccuracy: number; oosRecall: number | null }[];
}

/** The confusion matrix shows at most this many labels: those with the most errors (a 150-intent square is unreadable). */
export const MAX_CONFUSION_LABELS = 30;
const BINS = 20;
const CURVE_STEPS = 100;

export function reportData(preds: readonly Prediction[], metrics: Metrics): ReportData {
  return { metrics, confusion: confusion(preds, metrics.threshold), histogram: histogram(preds), curve: curve(preds) };
}

function confusion(preds: readonly Prediction[], threshold: number): ReportData['confusion'] {
  const errors = new Map<string, number>();
  const seen = new Set<string>();
  const pairs = preds.map((p) => {
    const gold = p.gold ?? NO_MATCH;
    const predicted = decide(p, threshold) ?? NO_MATCH;
    seen.add(gold).add(predicted);
    if (gold !== predicted) for (const l of [gold, predicted]) errors.set(l, (errors.get(l) ?? 0) + 1);
    return [gold, predicted] as const;
  });
  let labels = [...seen].sort();
  let omitted = 0;
  if (labels.length > MAX_CONFUSION_LABELS) {
    const kept = new Set([...seen].sort((a, b) => (errors.get(b) ?? 0) - (errors.get(a) ?? 0) || a.localeCompare(b)).slice(0, MAX_CONFUSION_LABELS));
    omitted = labels.length - kept.size;
    labels = labels.filter((l) => kept.has(l));
  }
  const index = new Map(labels.map((l, k) => [l, k]));
  const counts = labels.map(() => labels.map(() => 0));
  for (const [gold, predicted] of pairs) {
    const g = index.get(gold);
    const p = index.get(predicted);
    if (g !== undefined && p !== undefined) counts[g]![p]!++;
  }
  return { labels, counts, omitted };
}

function histogram(preds: readonly Prediction[]): ReportData['histogram'] {
  const inScope = new Array<number>(BINS).fill(0);
  const outOfScope = new Array<number>(BINS).fill(0);
  for (const p of preds) {
    const bin = Math.min(BINS - 1, Math.max(0, Math.floor(p.score * BINS)));
    (p.gold === null ? outOfScope : inScope)[bin]!++;
  }
  return { bins: BINS, inScope, outOfScope };
}

function curve(preds: readonly Prediction[]): ReportData['curve'] {
  const inScope = preds.filter((p) => p.gold !== null);
  const oos = preds.filter((p) => p.gold === null);
  const points: ReportData['curve'] = [];
  for (let k = 0; k <= CURVE_STEPS; k++) {
    const t = k / CURVE_STEPS;
    const right = inScope.filter((p) => decide(p, t) === p.gold).length;
    const rejected = oos.filter((p) => decide(p, t) === null).length;
    points.push({ threshold: t, inScopeAccuracy: inScope.length > 0 ? right / inScope.length : 0, oosRecall: oos.length > 0 ? rejected / oos.length : null });
  }
  return points;
}
