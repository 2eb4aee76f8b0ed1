import { compileEntities } from '../../src/entities/compile.js';
import { findEntities, MAX_MATCHES_PER_PATTERN } from '../../src/entities/find.js';
import { EntitiesSource } from '../../src/entities/schema.js';
import { StsError } from '../../src/errors.js';
import { createAnalyzer } from '../../src/text/analyze.js';
import { brief, compile, finder } from './helpers.js';

describe('pattern records', () => {
  const find = finder([
    {
      name: 'Order',
      records: [
        { type: 'pattern', pattern: '[A-Z]{2}-\\d{4}' },
        { type: 'pattern', pattern: 'zip \\d{6}', value: 'zip' },
      ],
    },
  ]);

  test('the value of a match is its text unless the record has a value', () => {
    expect(brief(find('order ab-1234 to zip 123456', { entities: ['Order'] }))).toEqual([
      ['Order', 'ab-1234', 'ab-1234'],
      ['Order', 'zip', 'zip 123456'],
    ]);
  });

  test('patterns run on the original text: offsets and text are as the user wrote them', () => {
    const text = 'Заказ: AB-1234!';
    const [m] = find(text, { entities: ['Order'] });
    expect(m).toEqual({ entity: 'Order', value: 'AB-1234', text: 'AB-1234', start: 7, end: 14, wordStart: 1, wordEnd: 3 });
  });

  test('matching is case-insensitive unless the pattern says (?-i)', () => {
    const f = finder([{ name: 'Code', records: [{ type: 'pattern', pattern: '(?-i)XY\\d' }] }]);
    expect(brief(f('XY1 xy2', { entities: ['Code'] }))).toEqual([['Code', 'XY1', 'XY1']]);
  });

  test('a match inside a word reports its offsets and the words it overlaps', () => {
    const f = finder([{ name: 'Part', records: [{ type: 'pattern', pattern: 'ball' }] }]);
    const text = 'football match';
    expect(f(text)).toEqual([{ entity: 'Part', value: 'ball', text: 'ball', start: 4, end: 8, wordStart: 0, wordEnd: 1 }]);
  });

  test('a match over punctuation only covers no word: an empty word range where it stands', () => {
    const f = finder([{ name: 'Bang', records: [{ type: 'pattern', pattern: '!+' }] }]);
    expect(f('wow!!! ok')).toEqual([{ entity: 'Bang', value: '!!!', text: '!!!', start: 3, end: 6, wordStart: 1, wordEnd: 1 }]);
  });

  test('empty matches are not entities', () => {
    const f = finder([{ name: 'Digits', records: [{ type: 'pattern', pattern: '[a-f]*' }] }]);
    expect(brief(f('xx cafe yy', { entities: ['Digits'] }))).toEqual([['Digits', 'cafe', 'cafe']]);
  });

  test('Unicode classes work; \\w is ASCII in RE2', () => {
    const f = finder([
      { name: 'Word', records: [{ type: 'pattern', pattern: '\\p{Cyrillic}+' }] },
      { name: 'Ascii', records: [{ type: 'pattern', pattern: '\\w+' }] },
    ]);
    expect(brief(f('Привет bob'))).toEqual([
      ['Word', 'Привет', 'Привет'],
      ['Ascii', 'bob', 'bob'],
    ]);
  });

  test('Caila spelling: rule: [pattern], several rules match any of them', () => {
    const f = finder([{ name: 'Pet', records: [{ type: 'pattern', rule: ['cats?', 'dogs?'], value: 'pet' }] }]);
    expect(brief(f('cats and a dog'))).toEqual([
      ['Pet', 'pet', 'cats'],
      ['Pet', 'pet', 'dog'],
    ]);
  });

  test('a catastrophic pattern for backtracking engines returns on a long text', () => {
    const compiled = compile([{ name: 'Evil', records: [{ type: 'pattern', pattern: '(a+)+$' }] }]);
    const text = 'a'.repeat(400) + 'b';
    expect(findEntities(compiled, text, createAnalyzer({ language: 'en' })(text))).toEqual([]);
    const nested = compile([{ name: 'Evil', records: [{ type: 'pattern', pattern: '(a|aa)*c' }] }]);
    expect(findEntities(nested, 'a'.repeat(400), [], { entities: ['Evil'] })).toEqual([]);
  });

  test('with many pattern records (one prefilter pass), each finds what it finds alone', () => {
    const patterns = Array.from({ length: 30 }, (_, k) => `k${k}-\\d+`).concat(['\\bid\\b', '(?-i)UP', '^start', 'end$', '[а-я]+']);
    const defs = patterns.map((pattern, k) => ({ name: `P${k}`, records: [{ type: 'pattern' as const, pattern }] }));
    const all = finder(defs);
    const text = 'start k3-12 k12-7 id up UP кот k29-1 end';
    const alone = defs.flatMap((def) => finder([def])(text, { entities: [def.name] })).sort((a, b) => a.start - b.start);
    expect(alone.map((m) => m.text)).toEqual(['start', 'k3-12', 'k12-7', 'id', 'UP', 'кот', 'k29-1', 'end']);
    expect(brief(all(text, { entities: defs.map((d) => d.name) }))).toEqual(brief(alone));
  });

  test('each pattern stops after MAX_MATCHES_PER_PATTERN matches', () => {
    const f = finder([{ name: 'X', records: [{ type: 'pattern', pattern: 'x' }] }]);
    const matches = f('x '.repeat(150), { maxMatches: 1000 });
    expect(matches).toHaveLength(MAX_MATCHES_PER_PATTERN);
    expect(matches.at(-1)?.start).toBe(2 * (MAX_MATCHES_PER_PATTERN - 1));
  });

  test('a request reports at most maxMatches entities, the earliest ones', () => {
    const f = finder([{ name: 'X', records: [{ type: 'pattern', pattern: 'x' }] }]);
    expect(f('x x x x', { maxMatches: 2 }).map((m) => m.start)).toEqual([0, 2]);
    expect(f('x '.repeat(150))).toHaveLength(100);
  });
});

describe('invalid patterns', () => {
  const compileRaw = (defs: unknown) => compileEntities(EntitiesSource.parse(defs), { language: 'en' });

  function errorOf(fn: () => unknown): StsError {
    try {
      fn();
    } catch (e) {
      if (e instanceof StsError) return e;
      throw e;
    }
    throw new Error('no error thrown');
  }

  test('an invalid regex is invalid_source naming the entity, the record and the problem', () => {
    const e = errorOf(() =>
      compileRaw([
        { name: 'Fine', records: [{ type: 'pattern', pattern: '\\d+' }] },
        { name: 'Phone', records: [{ type: 'synonyms', value: 'x', words: ['x'] }, { type: 'pattern', pattern: '(\\d{3}' }] },
      ]),
    );
    expect(e.code).toBe('invalid_source');
    expect(e.message).toContain('entity "Phone", record 1');
    expect(e.message).toContain('missing closing )');
    expect(e.details).toEqual([{ path: 'entities.1.records.1.pattern', message: expect.stringContaining('"(\\\\d{3}"') }]);
  });

  test.each([
    ['a backreference', '(a)\\1', 'invalid escape sequence'],
    ['a lookahead', 'a(?=b)', 'invalid or unsupported Perl syntax'],
    ['a repeat count over 1000', 'a{1001}', 'invalid repeat count'],
    ['a pattern over the length limit', 'a'.repeat(2001), 'the limit is 2000'],
  ])('%s is rejected', (_what, pattern, problem) => {
    const e = errorOf(() => compileRaw([{ name: 'Bad', records: [{ type: 'pattern', pattern }] }]));
    expect(e.code).toBe('invalid_source');
    expect(e.message).toContain('entity "Bad", record 0');
    expect(e.message).toContain(problem);
  });

  test('every bad record is reported at once', () => {
    const e = errorOf(() =>
      compileRaw([
        { name: 'A', records: [{ type: 'pattern', pattern: '(' }, { type: 'pattern', pattern: '[' }] },
        { name: 'B', records: [{ type: 'synonyms', value: 'v', words: ['...'] }] },
      ]),
    );
    expect(e.details.map((d) => d.path)).toEqual(['entities.0.records.0.pattern', 'entities.0.records.1.pattern', 'entities.1.records.0.words.0']);
  });
});
