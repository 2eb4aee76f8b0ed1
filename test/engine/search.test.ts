import { type ClassifyOptions } from '../../src/engine/classifier.js';
import { createClassifier } from '../../src/lexicons.js';
import { roundScore } from '../../src/engine/score/rounding.js';
import { PreparedModel } from '../../src/engine/prepare/prepared-model.js';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import { bruteForce } from './brute-force.js';
import { searchSweeps, settingsOf } from './search-sweeps.js';
import { compileJaicp } from '../helpers.js';

/*
 * A sample of the search's sweeps (search-sweeps.ts; search.slow.test.ts runs every variant over
 * every text): the JAICP defaults, means with idf over both, means times probability factors, and
 * the lexical accurate settings with one alternative (the most pruning).
 */
searchSweeps({ variants: [0, 2, 12, 15], texts: 60, aboveTexts: 12, alignerTexts: 4, pruningTexts: 6, cutEvery: 23, minCuts: 15 });

/** The classifier's alternatives and the brute force's, as [intent, score, phrase]. */
function both(source: IntentsFileInput, text: string, options: ClassifyOptions) {
  const m = compileJaicp(source).model;
  const got = createClassifier(m).classifySync(text, { ...options, threshold: 0, explain: false, timeLimit: 5000 });
  const expected = bruteForce(text, settingsOf(options, m), m, new PreparedModel(m));
  return { event: got.event, got: got.alternatives.map((a) => [a.intent, a.score, a.phrase]), expected: expected.map((r) => [r.intent, roundScore(r.score), r.phrase]) };
}

test('the result does not depend on the order phrases are searched in (ties go to the lower intent, then phrase)', () => {
  // Two intents with the same phrase tie exactly: the first intent wins, whatever else is around.
  const c = createClassifier(compileJaicp({ language: 'en', intents: [{ path: '/a', phrases: ['x y', 'check my balance'] }, { path: '/b', phrases: ['check my balance', 'z'] }] }).model);
  const e = c.classifySync('check my balance', { nBest: 2 });
  expect(e.alternatives.map((a) => [a.intent, a.score])).toEqual([['/a', 1], ['/b', 1]]);
});

describe('edge cases of pruning and ties', () => {
  const filler = Array.from({ length: 100 }, (_, k) => `what filler${k} thing${k}`);

  const cases: [string, IntentsFileInput, string, ClassifyOptions][] = [
    [
      'a rare word whose only match is worth 0 (synonymMatch 0) does not hide a phrase from the common words',
      { language: 'en', synonyms: [{ words: ['foo', 'bar'] }], intents: [{ path: '/filler', phrases: filler }, { path: '/target', phrases: ['bar what'] }] },
      'foo what',
      { synonymMatch: 0, nBest: 1 },
    ],
    [
      'an entity value paired at throughPatternMatch 0 does not hide a phrase either',
      {
        language: 'en',
        entities: [{ name: 'City', records: [{ type: 'synonyms', value: 'Paris', words: ['Paris'] }] }],
        intents: [{ path: '/filler', phrases: filler }, { path: '/target', phrases: ['@City what'] }],
      },
      'paris what',
      { throughPatternMatch: 0, nBest: 1 },
    ],
    [
      'a rare word of weight 0 (idf over intents shifted down) does not either',
      {
        language: 'en',
        intents: [
          ...Array.from({ length: 30 }, (_, i) => ({ path: `/s${i}`, phrases: [`spread common${i}`] })),
          { path: '/big', phrases: Array.from({ length: 100 }, (_, k) => `what heavy${k} more${k}`) },
          { path: '/target', phrases: ['spread what'] },
        ],
      },
      'spread what',
      { idfScope: 'intents', idfShift: -1.2, nBest: 1 },
    ],
    [
      'scores equal but for the last bit rank by their rounded value, then the intent',
      { language: 'en', intents: [{ path: '/a', phrases: ['wizord wyord'] }, { path: '/b', phrases: ['wvqord what'] }, { path: '/c', phrases: ['wxord wzord'] }, { path: '/d', phrases: ['hello there'] }] },
      'ww',
      { acronymMatch: 10, wordSequence1: 10, nBest: 3 },
    ],
    [
      'the same with one intent asked for',
      { language: 'en', intents: [{ path: '/a', phrases: ['wizord wyord'] }, { path: '/b', phrases: ['wvqord what'] }, { path: '/c', phrases: ['wxord wzord'] }, { path: '/d', phrases: ['hello there'] }] },
      'ww',
      { acronymMatch: 10, wordSequence1: 10, nBest: 1 },
    ],
    // probabilityWeight scores intents by their means even with intentTopK 1: two phrases tie, the lower id is the closest.
    ['phrases of one intent tied: the closest is the lower id, with probabilityWeight too', { language: 'en', intents: [{ path: '/a', phrases: ['foo', 'bar'] }, { path: '/b', phrases: ['baz'] }] }, 'bar bar foo', { nBest: 1, probabilityWeight: 1 }],
    ['the same without it', { language: 'en', intents: [{ path: '/a', phrases: ['foo', 'bar'] }, { path: '/b', phrases: ['baz'] }] }, 'bar bar foo', { nBest: 1 }],
    // Steep factors: most intents' scores round to 0; the nBest listed are those above 0, found without reading every phrase.
    ['probabilityWeight 10 with five alternatives asked for', { language: 'en', intents: [{ path: '/a', phrases: ['red car', 'red bike'] }, { path: '/b', phrases: ['blue car', 'blue sky'] }, { path: '/c', phrases: ['green car'] }] }, 'red car', { nBest: 5, probabilityWeight: 10 }],
  ];
  test.each(cases)('%s', (_, source, text, options) => {
    const { got, expected } = both(source, text, options);
    expect(got).toEqual(expected);
  });

  test.each([1, 2])('all weights 0 with an acronym in the request (intentTopK %i): noMatch at once, no time limit, no error', (k) => {
    const c = createClassifier(compileJaicp({ language: 'en', intents: [{ path: '/a', phrases: ['as soon as possible'] }, { path: '/b', phrases: ['hello'] }] }).model);
    const e = c.classifySync('asap', { idfMultiplier: 0, intentTopK: k, timeLimit: 5000 });
    expect(e.event).toBe('noMatch');
  });
});
