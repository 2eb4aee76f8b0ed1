import { validateCompiledEntities, type CompiledEntities } from '../../src/entities/compiled-schema.js';
import { findEntities, prepareEntities } from '../../src/entities/find.js';
import { StsError } from '../../src/errors.js';
import { createAnalyzer } from '../../src/text/analyze.js';
import { compile } from './helpers.js';

const defs = [
  {
    name: 'City',
    records: [
      { type: 'synonyms' as const, value: 'Moscow', words: ['Москва', 'Moscow', 'Мск'] },
      { type: 'synonyms' as const, value: 'Saint Petersburg', words: ['Санкт-Петербург', 'Питер', 'St Petersburg'] },
    ],
  },
  { name: 'Zip', records: [{ type: 'pattern' as const, pattern: '\\b\\d{6}\\b', value: 'zip' }, { type: 'pattern' as const, rule: ['[A-Z]\\d[A-Z]'] }] },
];

describe('compiled entities', () => {
  const compiled = compile(defs, { language: 'ru' });

  test('the structure: source kept as written, stems grouped by first stem, patterns and built-ins listed', () => {
    expect(compiled.version).toBe(1);
    expect(compiled.language).toBe('ru');
    expect(compiled.entities[0]!.records[1]).toEqual({ type: 'synonyms', value: 'Saint Petersburg', words: ['Санкт-Петербург', 'Питер', 'St Petersburg'] });
    expect(compiled.entities[1]!.records[1]).toEqual({ type: 'pattern', pattern: '[A-Z]\\d[A-Z]' });
    expect(compiled.patterns).toEqual([
      { entity: 1, record: 0 },
      { entity: 1, record: 1 },
    ]);
    expect(compiled.builtins).toEqual(['number']);
    const firsts = compiled.synonyms.map((g) => g.first);
    expect(firsts).toEqual([...firsts].sort());
    expect(compiled.synonyms.find((g) => g.first === 'москв')?.phrases).toEqual([{ entity: 0, record: 0, stems: ['москв'] }]);
    expect(compiled.synonyms.find((g) => g.first === 'санкт')?.phrases).toEqual([{ entity: 0, record: 1, stems: ['санкт', 'петербург'] }]);
  });

  test('inside a group, the longest phrase comes first', () => {
    const c = compile([
      { name: 'A', records: [{ type: 'synonyms', value: 'a', words: ['new'] }] },
      { name: 'B', records: [{ type: 'synonyms', value: 'b', words: ['new york city', 'new york'] }] },
    ]);
    expect(c.synonyms.find((g) => g.first === 'new')?.phrases.map((p) => p.stems.length)).toEqual([3, 2, 1]);
  });

  test('survives JSON.stringify/parse, validates, and finds the same entities', () => {
    const loaded = validateCompiledEntities(JSON.parse(JSON.stringify(compiled)));
    expect(loaded).toEqual(compiled);
    const text = 'Из Питера в Москву, индекс 123456, код K1A и 2 тысячи';
    const words = createAnalyzer({ language: 'ru' })(text);
    const before = findEntities(compiled, text, words);
    expect(findEntities(loaded, text, words)).toEqual(before);
    expect(before.map((m) => [m.entity, m.value])).toEqual([
      ['City', 'Saint Petersburg'],
      ['City', 'Moscow'],
      ['Zip', 'zip'],
      ['Zip', 'K1A'],
      ['number', 2000],
    ]);
  });

  function damaged(change: (c: CompiledEntities) => void): StsError {
    const copy = JSON.parse(JSON.stringify(compiled)) as CompiledEntities;
    change(copy);
    try {
      validateCompiledEntities(copy, { path: 'entities' });
    } catch (e) {
      if (e instanceof StsError) return e;
      throw e;
    }
    throw new Error('validated');
  }

  test.each<[string, (c: CompiledEntities) => void, string]>([
    ['a wrong version', (c) => ((c as { version: number }).version = 2), 'entities.version'],
    ['an unknown field', (c) => Object.assign(c, { extra: 1 }), 'entities'],
    ['a phrase pointing outside the entities', (c) => (c.synonyms[0]!.phrases[0]!.entity = 9), 'entities.synonyms.0.phrases.0'],
    ['a phrase pointing at a pattern record', (c) => (c.synonyms[0]!.phrases[0]! = { entity: 1, record: 0, stems: [c.synonyms[0]!.first] }), 'entities.synonyms.0.phrases.0'],
    ['a phrase in the wrong group', (c) => (c.synonyms[0]!.phrases[0]!.stems = ['zzz']), 'entities.synonyms.0.phrases.0.stems'],
    ['unsorted groups', (c) => c.synonyms.reverse(), 'entities.synonyms.1.first'],
    ['a pattern ref at a synonyms record', (c) => (c.patterns[0] = { entity: 0, record: 0 }), 'entities.patterns.0'],
    ['a pattern that does not compile', (c) => ((c.entities[1]!.records[0] as { pattern: string }).pattern = '(x'), 'entities.entities.1.records.0.pattern'],
    ['an unknown built-in', (c) => ((c.builtins as string[]) = ['time']), 'entities.builtins.0'],
    ['duplicate entity names', (c) => (c.entities[1]!.name = 'City'), 'entities.entities.1.name'],
  ])('rejects %s as invalid_model', (_what, change, path) => {
    const e = damaged(change);
    expect(e.code).toBe('invalid_model');
    expect(e.details[0]?.path).toBe(path);
  });

  test('prepareEntities builds the runtime at load time; an unvalidated broken pattern is invalid_model', () => {
    expect(() => prepareEntities(compiled)).not.toThrow();
    const broken = JSON.parse(JSON.stringify(compiled)) as CompiledEntities;
    (broken.entities[1]!.records[0] as { pattern: string }).pattern = '(x';
    expect(() => prepareEntities(broken)).toThrow(expect.objectContaining({ code: 'invalid_model' }));
  });

  test('compiles the same definitions to the same structure', () => {
    expect(JSON.stringify(compile(defs, { language: 'ru' }))).toBe(JSON.stringify(compiled));
  });

  test('no entities: still the built-in number', () => {
    const c = compile([]);
    expect(c).toEqual({ version: 1, language: 'en', entities: [], synonyms: [], patterns: [], builtins: ['number'] });
    expect(findEntities(c, 'five', createAnalyzer({ language: 'en' })('five'))).toMatchObject([{ entity: 'number', value: 5 }]);
  });
});
