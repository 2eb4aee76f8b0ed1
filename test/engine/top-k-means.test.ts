import { TopKMeans, type Reranker } from '../../src/engine/search/rerank.js';

/**
 * TopKMeans.stopBelow() is what Candidates prune with before the search starts; canStop() is
 * what the search stops with. Below the one, the other must hold: else pruning would leave out
 * phrases the search still needs.
 */
describe('TopKMeans.stopBelow agrees with canStop', () => {
  const intents = 6;
  const factors = [1, 0.8, 0.5, 0.3, 0.2, 0.1];
  const means = [0.61, 0.55, 0.3, 0.9, 0.2, 0.05];
  const factor = {
    // The most favoured first: those scoreFavoured() scores at once (nBest of them, and more while they can matter).
    mostFavoured: [0, 1, 2, 3, 4, 5],
    factor: (i: number) => factors[i]!,
    // The largest factor among intents not done (factors fall with the id here).
    maxFactor: (done: readonly number[]) => factors.find((_, i) => done[i] !== 1) ?? 0,
  };
  const reranker = { score: (intent: number) => ({ score: means[intent]!, phrase: intent }) } as unknown as Reranker;

  test.each([1, 2, 3])('nBest %i, after the nBest favoured intents and as more intents are settled', (nBest) => {
    const closest = (i: number) => means[i]!;
    const topK = new TopKMeans(reranker, nBest, intents, closest, factor);
    topK.scoreFavoured(1); // no bound exceeds 1: the means here are at most 1
    for (let settled = 1; settled <= intents; settled++) {
      const cut = topK.stopBelow();
      if (Number.isFinite(cut)) {
        expect(topK.canStop(cut * (1 - 1e-9))).toBe(true);
        expect(topK.canStop(cut * (1 + 1e-9))).toBe(false);
      } else expect(topK.canStop(1e9)).toBe(true); // every intent done: nothing can change
      // Settle the next intent by its closest phrase (the bound the search has reached).
      for (const i of [1, 2, 3, 4, 5].slice(0, settled)) topK.improved(i, closest(i));
      topK.settle(-Infinity);
    }
  });
});
