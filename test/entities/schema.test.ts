import { EntitiesSource, EntityDefSource } from '../../src/entities/schema.js';

const issues = (value: unknown) => {
  const r = EntitiesSource.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('entities section schema', () => {
  test('synonyms records: words, or Caila rule; value defaults to the first word', () => {
    expect(
      EntityDefSource.parse({
        name: 'City',
        records: [
          { type: 'synonyms', value: 'Moscow', words: ['Moscow', 'Moskva'] },
          { type: 'synonyms', rule: ['Paris'] },
          { type: 'synonyms', rule: ['Rome', 'Roma'], value: '  ' },
        ],
      }),
    ).toEqual({
      name: 'City',
      records: [
        { type: 'synonyms', value: 'Moscow', words: ['Moscow', 'Moskva'] },
        { type: 'synonyms', value: 'Paris', words: ['Paris'] },
        { type: 'synonyms', value: 'Rome', words: ['Rome', 'Roma'] },
      ],
    });
  });

  test('pattern records: pattern, or Caila rule (a string or a list)', () => {
    expect(
      EntityDefSource.parse({
        name: 'Code',
        records: [
          { type: 'pattern', pattern: '\\d+', value: 'n' },
          { type: 'pattern', rule: ['[a-z]+'] },
          { type: 'pattern', rule: ['a', 'b|c'], value: '' },
        ],
      }).records,
    ).toEqual([
      { type: 'pattern', pattern: '\\d+', value: 'n' },
      { type: 'pattern', pattern: '[a-z]+' },
      { type: 'pattern', pattern: '(?:a)|(?:b|c)' },
    ]);
  });

  test.each<[string, unknown, string]>([
    ['both words and rule', [{ name: 'A', records: [{ type: 'synonyms', words: ['x'], rule: ['y'] }] }], 'exactly one of them'],
    ['neither words nor rule', [{ name: 'A', records: [{ type: 'synonyms', value: 'x' }] }], 'exactly one of them'],
    ['an empty word', [{ name: 'A', records: [{ type: 'synonyms', words: [' '] }] }], '0.records.0.words.0'],
    ['no records', [{ name: 'A', records: [] }], 'at least one record'],
    ['an unknown record type', [{ name: 'A', records: [{ type: 'regex', pattern: 'x' }] }], '0.records.0'],
    ['an unknown field', [{ name: 'A', records: [{ type: 'pattern', pattern: 'x', flags: 'i' }] }], 'flags'],
    ['a name with spaces', [{ name: 'my city', records: [{ type: 'synonyms', words: ['x'] }] }], '0.name'],
    ['a name ending in a dot', [{ name: 'city.', records: [{ type: 'synonyms', words: ['x'] }] }], '0.name'],
    ['a built-in name', [{ name: 'number', records: [{ type: 'synonyms', words: ['x'] }] }], 'built-in'],
    ['a system alias', [{ name: 'duckling.number', records: [{ type: 'synonyms', words: ['x'] }] }], 'built-in'],
    ['a system prefix', [{ name: 'duckling.color', records: [{ type: 'synonyms', words: ['x'] }] }], 'reserved for system entities'],
    [
      'a duplicate name',
      [
        { name: 'A', records: [{ type: 'synonyms', words: ['x'] }] },
        { name: 'A', records: [{ type: 'synonyms', words: ['y'] }] },
      ],
      '1.name: entity "A" is already defined at entities.0',
    ],
  ])('rejects %s', (_what, value, expected) => {
    expect(issues(value).join('\n')).toContain(expected);
  });

  test('accepts names with letters of any script, digits, _ - and inner dots', () => {
    expect(issues([{ name: 'Город_2.sub-type', records: [{ type: 'synonyms', words: ['x'] }] }])).toEqual([]);
  });
});
