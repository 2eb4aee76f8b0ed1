import type { Model } from '../../model/model-schema.js';

/**
 * A model's calibration (model.calibration, made by cross-validation when it was compiled):
 * the raw score (similarity × probability factor) at which a match became more often right
 * than out-of-scope text got through is reported as the model's threshold, and the scores below
 * and above it are rescaled linearly, so 0 stays 0, 1 stays 1 and the order of intents is kept.
 */
export type Calibration = NonNullable<Model['calibration']>;

/** The score reported for a raw score. */
export function calibrated(c: Calibration | undefined, raw: number): number {
  if (c === undefined) return raw;
  if (raw <= c.raw) return (raw * c.score) / c.raw;
  return c.score + ((raw - c.raw) * (1 - c.score)) / (1 - c.raw);
}

/** The raw score reported as `score` (calibrated()'s inverse). */
export function uncalibrated(c: Calibration | undefined, score: number): number {
  if (c === undefined) return score;
  if (score <= c.score) return (score * c.raw) / c.score;
  return c.raw + ((score - c.score) * (1 - c.raw)) / (1 - c.score);
}
