import { leadingBounds } from '../../src/engine/rerank.js';
import { seededRandom } from '../helpers.js';

/** What leadingBounds must return, by sorting every position. */
function reference(bounds: number[], size: number) {
  const positive = bounds.flatMap((b, q) => (b > 0 ? [q] : []));
  const best = [...positive].sort((a, b) => bounds[b]! - bounds[a]! || a - b).slice(0, size);
  return { best, positive: positive.length };
}

describe('leadingBounds (the phrases an intent mean looks at first)', () => {
  const random = seededRandom(31);

  test.each([
    ['distinct bounds', () => random()],
    ['many ties (bounds from a few values)', () => Math.floor(random() * 4) / 4],
    ['zeros and negatives mixed in', () => (random() < 0.4 ? 0 : random() < 0.2 ? -random() : random())],
  ])('%s: the `size` highest positive bounds, highest first, ties by position, and the positive count', (_, draw) => {
    for (const n of [0, 1, 5, 24, 25, 300, 2000]) {
      for (const size of [1, 6, 24]) {
        const bounds = Array.from({ length: n }, draw);
        expect(leadingBounds(bounds, size)).toEqual(reference(bounds, size));
      }
    }
  });
});
