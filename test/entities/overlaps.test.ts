import { compareCandidates, resolveOverlaps } from '../../src/entities/overlaps.js';
import { brief, finder } from './helpers.js';

describe('overlapping matches', () => {
  test('the longest match wins: City "new york" over State "york"', () => {
    const find = finder([
      { name: 'State', records: [{ type: 'synonyms', value: 'NY', words: ['york'] }] },
      { name: 'City', records: [{ type: 'synonyms', value: 'NYC', words: ['new york'] }] },
    ]);
    expect(brief(find('fly to new york'))).toEqual([['City', 'NYC', 'new york']]);
    expect(brief(find('york and new york'))).toEqual([
      ['State', 'NY', 'york'],
      ['City', 'NYC', 'new york'],
    ]);
  });

  test('a longer regex match beats a synonym inside it, and a longer synonym beats a regex', () => {
    const find = finder([
      { name: 'Color', records: [{ type: 'synonyms', value: 'red', words: ['red', 'red wine color'] }] },
      { name: 'Code', records: [{ type: 'pattern', pattern: 'red-\\d+' }] },
    ]);
    expect(brief(find('part red-42 please', { entities: ['Color', 'Code'] }))).toEqual([['Code', 'red-42', 'red-42']]);
    expect(brief(find('red wine color', { entities: ['Color', 'Code'] }))).toEqual([['Color', 'red', 'red wine color']]);
  });

  test('a longer regex beats the built-in number inside it; a longer number beats a shorter regex', () => {
    const find = finder([{ name: 'Phone', records: [{ type: 'pattern', pattern: '\\d{3}-\\d{4}' }] }]);
    expect(brief(find('call 555-1234'))).toEqual([['Phone', '555-1234', '555-1234']]);
    const short = finder([{ name: 'Hundred', records: [{ type: 'pattern', pattern: 'hundred' }] }]);
    expect(brief(short('a hundred and five'))).toEqual([['number', 105, 'a hundred and five']]);
  });

  test('equal length: the earlier start wins', () => {
    const find = finder([
      { name: 'AB', records: [{ type: 'pattern', pattern: 'ab' }] },
      { name: 'BC', records: [{ type: 'pattern', pattern: 'bc' }] },
    ]);
    expect(brief(find('abc'))).toEqual([['AB', 'ab', 'ab']]);
  });

  test('same span: the entity declared first wins, then the record declared first', () => {
    const defs = [
      { name: 'First', records: [{ type: 'synonyms' as const, value: 'one', words: ['paris'] }] },
      { name: 'Second', records: [{ type: 'synonyms' as const, value: 'two', words: ['paris'] }] },
    ];
    expect(brief(finder(defs)('paris'))).toEqual([['First', 'one', 'paris']]);
    expect(brief(finder([...defs].reverse())('paris'))).toEqual([['Second', 'two', 'paris']]);
    const records = finder([
      {
        name: 'Cap',
        records: [
          { type: 'pattern', pattern: 'par', value: 'regex' },
          { type: 'synonyms', value: 'syn', words: ['par'] },
        ],
      },
    ]);
    expect(brief(records('par'))).toEqual([['Cap', 'regex', 'par']]);
  });

  test('custom entities are declared before built-ins: a synonym "five" beats the number', () => {
    const find = finder([{ name: 'Hand', records: [{ type: 'synonyms', value: 'high five', words: ['five'] }] }]);
    expect(brief(find('give me five'))).toEqual([['Hand', 'high five', 'five']]);
  });

  test('the result never overlaps and is sorted by start, whatever the candidates', () => {
    const find = finder([
      { name: 'A', records: [{ type: 'pattern', pattern: '[a-z]+ [a-z]+' }] },
      { name: 'B', records: [{ type: 'pattern', pattern: '[a-z]+' }] },
      { name: 'C', records: [{ type: 'synonyms', value: 'c', words: ['bb cc', 'dd'] }] },
    ]);
    const matches = find('aa bb cc dd ee');
    for (let k = 1; k < matches.length; k++) expect(matches[k]!.start).toBeGreaterThanOrEqual(matches[k - 1]!.end);
    expect(brief(matches)).toEqual([
      ['A', 'aa bb', 'aa bb'],
      ['A', 'cc dd', 'cc dd'],
      ['B', 'ee', 'ee'],
    ]);
  });

  test('resolveOverlaps is independent of the candidates order', () => {
    const cands = [
      { start: 0, end: 4, entityOrder: 1, recordOrder: 0, id: 'a' },
      { start: 2, end: 6, entityOrder: 0, recordOrder: 0, id: 'b' },
      { start: 2, end: 6, entityOrder: 0, recordOrder: 1, id: 'c' },
      { start: 5, end: 9, entityOrder: 2, recordOrder: 0, id: 'd' },
      { start: 9, end: 10, entityOrder: 2, recordOrder: 0, id: 'e' },
    ];
    const expected = ['a', 'd', 'e'];
    expect(resolveOverlaps(cands, 10, 100).map((c) => c.id)).toEqual(expected);
    expect(resolveOverlaps([...cands].reverse(), 10, 100).map((c) => c.id)).toEqual(expected);
    expect(compareCandidates(cands[1]!, cands[2]!)).toBeLessThan(0);
  });
});
