import { inScopeTest, top1, trainedOn } from './datasets.js';

/**
 * Regression floors: top-1 accuracy a little under what `npm run bench:accuracy` measured
 * (BENCHMARKS.md), so a change that costs accuracy fails CI. CLINC150's are in
 * clinc150.slow.test.ts; the full benchmark is a script.
 */
describe('accuracy floors', () => {
  test.each([
    // dataset, preset, floor (measured: see BENCHMARKS.md)
    ['braun-chatbot', 'jaicp', 0.95],
    ['braun-askubuntu', 'jaicp', 0.86],
    ['braun-webapps', 'jaicp', 0.65],
    ['braun-chatbot', 'accurate', 0.96],
    ['braun-askubuntu', 'accurate', 0.93],
    ['braun-webapps', 'accurate', 0.83],
  ] as const)('%s with preset %s: top-1 accuracy at least %s', (dataset, preset, floor) => {
    expect(top1(trainedOn(dataset, { preset }), inScopeTest(dataset))).toBeGreaterThanOrEqual(floor);
  });
});
