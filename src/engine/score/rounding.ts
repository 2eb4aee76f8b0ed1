/** Scores are rounded once, here, and the threshold compares the rounded value: what you see is what decided. */
export const SCORE_DECIMALS = 6;

/**
 * Below this much under a rounded score r, no score rounds to r (half a unit of the last
 * decimal, and a little more for the rounding of x × 10^6 itself): the search compares its
 * bounds with rounded scores minus this.
 */
export const ROUNDING_MARGIN = 0.6 * 10 ** -SCORE_DECIMALS;

/** 10^SCORE_DECIMALS, computed once: V8 does not fold the power, and roundScore runs for every score the search ranks. */
const SCORE_SCALE = 10 ** SCORE_DECIMALS;

export function roundScore(x: number): number {
  return Math.round(x * SCORE_SCALE) / SCORE_SCALE;
}

/** Weights and times in events: three decimals. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
