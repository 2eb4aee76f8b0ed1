import { leadingPositions } from '../../src/engine/search/top-list.js';
import { seededRandom } from '../helpers.js';

/** What leadingPositions must return, by sorting every position. */
function reference(values: number[], size: number, above: number) {
  const kept = values.flatMap((v, q) => (v > above ? [q] : []));
  const best = [...kept].sort((a, b) => values[b]! - values[a]! || a - b).slice(0, size);
  return { best, count: kept.length };
}

describe('leadingPositions (an intent mean’s first phrases, a request’s leading intents)', () => {
  const random = seededRandom(31);

  test.each([
    ['distinct values', () => random()],
    ['many ties (values from a few levels)', () => Math.floor(random() * 4) / 4],
    ['zeros and negatives mixed in', () => (random() < 0.4 ? 0 : random() < 0.2 ? -random() : random())],
  ])('%s: the `size` highest values above the cut, highest first, ties by position, and how many are above', (_, draw) => {
    for (const n of [0, 1, 5, 24, 25, 300, 2000]) {
      for (const size of [1, 6, 8, 24]) {
        const values = Array.from({ length: n }, draw);
        for (const above of [0, -Infinity, 0.5]) expect(leadingPositions(values, size, above)).toEqual(reference(values, size, above));
      }
    }
  });
});
