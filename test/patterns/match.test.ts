import { createAnalyzer, type Word } from '../../src/text/analyze.js';
import { compilePattern } from '../../src/patterns/compile.js';
import { matchPattern, PATTERN_MAX_STEPS, type PatternEntity } from '../../src/patterns/match.js';
import { parsePattern, PATTERN_LIMITS } from '../../src/patterns/parse.js';

const analyzers = { en: createAnalyzer({ language: 'en' }), ru: createAnalyzer({ language: 'ru' }) };
type Language = keyof typeof analyzers;

function run(pattern: string, text: string, language: Language = 'en', entities: PatternEntity[] = []) {
  return matchPattern(compilePattern(parsePattern(pattern), { language }), analyzers[language](text), entities);
}

/** [pattern, request, matches?] rows, run as one test each. */
type Row = [string, string, boolean];
const table = (language: Language, rows: Row[]) =>
  test.each(rows)(`%s ~ "%s" → %s (${language})`, (pattern, text, expected) => {
    expect(run(pattern, text, language) !== null).toBe(expected);
  });

describe('plain words and the whole-request rule', () => {
  table('en', [
    ['book a table', 'book a table', true],
    ['book a table', 'Book a TABLE!', true],
    ['BOOK a Table', 'book a table', true],
    ['book a table', 'book a table please', false],
    ['book a table', 'please book a table', false],
    ['book a table', 'book table', false],
    ['book a table', 'book a nice table', false],
    ['book', 'books', false],
    ['book', '', false],
    ["what's up", 'whats up', true],
    ["what's up", 'what’s up?', true],
    ['e-mail me', 'email me', false],
    ['e-mail me', 'e mail me', true],
  ]);
  table('ru', [
    ['ёлка', 'Ёлка', true],
    ['ёлка', 'елка', true],
    ['елка', 'ЁЛКА!', true],
    ['привет бот', 'Привет, бот!', true],
  ]);
});

describe('~word: any form of the word', () => {
  table('en', [
    ['~book', 'books', true],
    ['~book', 'booking', true],
    ['~book', 'booked', true],
    ['~books', 'book', true],
    ['~book', 'bookshelf', false],
    ['~cancel my ~order', 'cancelled my orders', true],
    ['~cancel my ~order', 'cancellation my ordering', true],
    ['~table', 'tables', true],
    ['table', 'tables', false],
  ]);
  table('ru', [
    ['~стол', 'столом', true],
    ['~стол', 'стола', true],
    ['~стол', 'Столы', true],
    ['~стол', 'столик', false],
    ['стол', 'столом', false],
    ['* ~заказать * ~билет *', 'Хочу заказать два билета', true],
    ['* ~заказать * ~билет *', 'я заказала билеты', true],
    ['* ~заказать * ~билет *', 'хочу купить билеты', false],
    ['~доставка', 'доставку', true],
  ]);
});

describe('(a|b): alternatives', () => {
  table('en', [
    ['(book|reserve) a table', 'reserve a table', true],
    ['(book|reserve) a table', 'book a table', true],
    ['(book|reserve) a table', 'order a table', false],
    ['(book|reserve a) table', 'reserve a table', true],
    ['(book|reserve a) table', 'book table', true],
    ['(book|reserve a) table', 'book a table', false],
    ['(a|a b) c', 'a b c', true],
    ['(a b|a) b c', 'a b c', true],
    ['(book/reserve) it', 'reserve it', true],
  ]);
});

describe('[x]: optional', () => {
  table('en', [
    ['book [a] table', 'book table', true],
    ['book [a] table', 'book a table', true],
    ['book [a] table', 'book the table', false],
    ['book [a|the] table', 'book the table', true],
    ['book [a|the] table', 'book table', true],
    ['book [a nice] table', 'book a nice table', true],
    ['book [a nice] table', 'book a table', false],
    ['[a] a', 'a', true],
    ['[a b] a', 'a b a', true],
    ['[a b] a', 'a', true],
    ['[a] [b] [c]', '', true],
    ['[a] [b] [c]', 'a c', true],
    ['[a] [b] [c]', 'c a', false],
  ]);
});

describe('{a b c}: all elements in any order, as one block', () => {
  table('en', [
    ['{red car}', 'red car', true],
    ['{red car}', 'car red', true],
    ['{red car}', 'red red', false],
    ['{red car}', 'car', false],
    ['{red car}', 'red car car', false],
    ['{red car}', 'red big car', false],
    ['{red big car}', 'red big car', true],
    ['{red big car}', 'red car big', true],
    ['{red big car}', 'big red car', true],
    ['{red big car}', 'big car red', true],
    ['{red big car}', 'car red big', true],
    ['{red big car}', 'car big red', true],
    ['{red [big] car}', 'car red', true],
    ['{red [big] car}', 'car big red', true],
    ['{(a b) c}', 'c a b', true],
    ['{(a b) c}', 'b a c', false],
    ['{(a|b) c}', 'c b', true],
    ['{a a}', 'a a', true],
    ['{a a}', 'a', false],
    ['x {a b} y', 'x b a y', true],
    ['x {a b} y', 'b x a y', false],
    ['{a {b c}}', 'c b a', true],
    ['{a {b c}}', 'b a c', false],
    ['{a * b}', 'b x y a', true],
    ['{a * b}', 'a x b', true],
  ]);
});

describe('*: any number of words', () => {
  table('en', [
    ['*', '', true],
    ['*', 'anything at all', true],
    ['* car *', 'car', true],
    ['* car *', 'a red car here', true],
    ['* car *', 'a red bus', false],
    ['* car', 'car car car', true],
    ['car *', 'car car car', true],
    ['a * b', 'a b', true],
    ['a * b', 'a x y b', true],
    ['a * b', 'a b x', false],
    ['a * b', 'a b b', true],
    ['* b c', 'b c b c', true],
    ['* b c', 'b c b', false],
    ['* a * a *', 'a a', true],
    ['* a * a *', 'x a y a z', true],
    ['* a * a *', 'x a y', false],
    ['* * *', 'x', true],
    ['[*] x', 'a b x', true],
    ['(*|y) x', 'a b x', true],
  ]);
});

describe('word*, *word, *word*: parts of a word', () => {
  table('en', [
    ['put*', 'putting', true],
    ['put*', 'put', true],
    ['put*', 'input', false],
    ['*put', 'input', true],
    ['*put', 'output', true],
    ['*put', 'putting', false],
    ['* *info* *', 'see the metainformation page', true],
    ['* *info* *', 'see the page', false],
  ]);
  table('ru', [
    ['привет*', 'Приветствую', true],
    ['(привет*/здравствуй*/добр* (день/утр*/вечер*))', 'добрый вечер', true],
    ['(привет*/здравствуй*/добр* (день/утр*/вечер*))', 'добрый бот', false],
  ]);
});

describe('$regex<…>: one whole word', () => {
  table('en', [
    ['$regex<\\d+> (people|persons)', '4 people', true],
    ['$regex<\\d+> (people|persons)', '12 persons', true],
    ['$regex<\\d+> (people|persons)', 'four people', false],
    ['$regex<\\d{3}>', '123', true],
    ['$regex<\\d{3}>', '1234', false],
    ['$regex<\\d{3}>', 'a123', false],
    ['$regex<HELLO>', 'Hello', true],
    ['$regex<[a-z]+\\d>', 'abc1', true],
    ['$regex<[a-z]+\\d>', 'abc', false],
    ['$regex<a|b>', 'b', true],
    ['$regex<\\d+>', '1 2', false],
    ['* $regex<\\d+> *', 'table for 4 tonight', true],
  ]);
  table('ru', [
    ['$regex<прив.*>', 'ПРИВЕТИК', true],
    ['$regex<\\p{Cyrillic}+>', 'слово', true],
    ['$regex<\\p{Cyrillic}+>', 'word', false],
  ]);
});

describe('nesting', () => {
  const pattern = '* {(book|reserve) [a] ~table} [for] [$regex<\\d+> (people|persons)] *';
  table('en', [
    [pattern, 'could you reserve tables for 4 people please', true],
    [pattern, 'book a table', true],
    [pattern, 'i need a table book', true],
    [pattern, 'table book a', true],
    [pattern, 'reserve a chair', false],
    [pattern, 'book', false],
    ['((a|[b] c)|{d e})', 'c', true],
    ['((a|[b] c)|{d e})', 'e d', true],
    ['((a|[b] c)|{d e})', 'b', false],
    ['[(a|[b] c) d] e', 'b c d e', true],
    ['[(a|[b] c) d] e', 'e', true],
    ['[(a|[b] c) d] e', 'c e', false],
  ]);
});

describe('@Entity: one entity match, captured', () => {
  const en = analyzers.en;
  const number = (wordStart: number, value: number, text = String(value)): PatternEntity => ({
    entity: 'duckling.number',
    value,
    text,
    wordStart,
    wordEnd: wordStart + 1,
  });
  const words = en('book a table for 4 people tomorrow');
  const date: PatternEntity = { entity: 'duckling.date', value: '2026-05-02', text: 'tomorrow', wordStart: 6, wordEnd: 7 };
  const match = (pattern: string, ws: Word[], entities: PatternEntity[]) =>
    matchPattern(compilePattern(parsePattern(pattern), { language: 'en' }), ws, entities);

  test('captures the entity it takes, with its value and place', () => {
    expect(match('* for @duckling.number people *', words, [number(4, 4), date])).toEqual({
      captures: [{ entity: 'duckling.number', value: 4, text: '4', wordStart: 4, wordEnd: 5 }],
    });
  });

  test('captures several entities in request order', () => {
    const m = match('* @duckling.number * @duckling.date', words, [date, number(4, 4)]);
    expect(m?.captures.map((c) => c.entity)).toEqual(['duckling.number', 'duckling.date']);
  });

  test('a pattern without entities captures nothing', () => {
    expect(match('book a table *', words, [number(4, 4)])).toEqual({ captures: [] });
  });

  test.each<[string, boolean]>([
    ['* @duckling.number *', true],
    ['* @Number *', false], // another name
    ['* for @duckling.date *', false], // the date is elsewhere
    ['book a table for @duckling.number people tomorrow', true],
    ['book a table @duckling.number people tomorrow', false], // an entity is one element, "for" is not part of it
  ])('%s → %s', (pattern, expected) => {
    expect(match(pattern, words, [number(4, 4), date]) !== null).toBe(expected);
  });

  test('an entity covers all its words', () => {
    const ws = en('fly to new york');
    const city: PatternEntity = { entity: 'City', value: 'NYC', text: 'new york', wordStart: 2, wordEnd: 4 };
    expect(match('fly to @City', ws, [city])?.captures).toEqual([
      { entity: 'City', value: 'NYC', text: 'new york', wordStart: 2, wordEnd: 4 },
    ]);
    expect(match('fly to @City york', ws, [city])).toBeNull();
    expect(match('fly to new york', ws, [city])).toEqual({ captures: [] });
  });

  test('the longest entity at a word is tried first, a shorter one if the rest needs it', () => {
    const ws = en('new york city');
    const short: PatternEntity = { entity: 'Place', value: 'NY', text: 'new york', wordStart: 0, wordEnd: 2 };
    const long: PatternEntity = { entity: 'Place', value: 'NYC', text: 'new york city', wordStart: 0, wordEnd: 3 };
    expect(match('@Place *', ws, [short, long])?.captures[0]?.value).toBe('NYC');
    expect(match('@Place city', ws, [long, short])?.captures[0]?.value).toBe('NY');
  });

  test('"*" takes as few words as it can: the first of two numbers is captured', () => {
    const ws = en('between 3 and 5');
    expect(match('* @duckling.number *', ws, [number(1, 3), number(3, 5)])?.captures[0]?.value).toBe(3);
    expect(match('* @duckling.number', ws, [number(1, 3), number(3, 5)])?.captures[0]?.value).toBe(5);
  });

  test('entities taken on a failed branch are not captured', () => {
    const ws = en('4 pears');
    expect(match('(@duckling.number apples|@duckling.number pears)', ws, [number(0, 4)])?.captures).toHaveLength(1);
    expect(match('[@duckling.number apples] @duckling.number pears', ws, [number(0, 4)])?.captures).toHaveLength(1);
  });

  test('in { } captures follow the request order', () => {
    const ws = en('people 4 tomorrow');
    const m = match('{@duckling.number people @duckling.date}', ws, [
      number(1, 4),
      { ...date, wordStart: 2, wordEnd: 3 },
    ]);
    expect(m?.captures.map((c) => c.wordStart)).toEqual([1, 2]);
  });

  test('entity matches outside the request or empty are ignored', () => {
    const ws = en('4 people');
    expect(match('@duckling.number people', ws, [{ ...number(0, 4), wordEnd: 0 }])).toBeNull();
    expect(match('* @duckling.number', ws, [{ ...number(1, 4), wordEnd: 3 }])).toBeNull();
    expect(match('@duckling.number people', ws, [{ ...number(0, 4), wordStart: -1 }])).toBeNull();
  });
});

describe('compilePattern', () => {
  test('stop words of the model are left out of the pattern, as out of requests', () => {
    const analyze = createAnalyzer({ language: 'en', stopWords: ['a', 'the'] });
    const compiled = compilePattern(parsePattern('book (a|the) table [for] ~a'), { language: 'en', stopWords: ['A', 'the'] });
    expect(matchPattern(compiled, analyze('book a table'))).not.toBeNull();
    expect(matchPattern(compiled, analyze('book the table for'))).not.toBeNull();
    expect(matchPattern(compiled, analyze('book table'))).not.toBeNull();
  });

  test('a tree stored as JSON compiles and matches the same', () => {
    const tree = parsePattern('* {(book|reserve) [a] ~table} [$regex<\\d+> @duckling.number] *');
    const stored = JSON.parse(JSON.stringify(tree));
    const ws = analyzers.en('please reserve tables');
    expect(matchPattern(compilePattern(stored, { language: 'en' }), ws)).toEqual(
      matchPattern(compilePattern(tree, { language: 'en' }), ws),
    );
  });

  test('a run of "*" becomes one "*"', () => {
    expect(compilePattern(parsePattern('* * * * * x'), { language: 'en' }).nodes).toHaveLength(3);
  });

  test('the compiled pattern keeps its tree', () => {
    const tree = parsePattern('a b');
    expect(compilePattern(tree, { language: 'en' }).pattern).toBe(tree);
  });
});

describe('the work of a match is bounded', () => {
  const many = (word: string, count: number, last?: string) => [...Array(count - 1).fill(word), last ?? word].join(' ');

  test.each<[string, string, boolean]>([
    ['* * * * * x', many('a', 100, 'x'), true],
    ['* * * * * x', many('a', 100), false],
    ['* a * a * a * a * x', many('a', 100, 'x'), true],
    ['* a * a * a * a * x', many('a', 100), false],
    ['* [a] * [a] * [a] * [a] * x', many('a', 100), false],
    ['{* a b} x', many('a', 100), false],
    ['* a * b * c *', many('a', 200), false],
    ['* {a b c d e f g h} *', many('a', 100), false],
    ['* {a b c d e f g h} *', `${many('a', 50)} h g f e d c b a ${many('a', 50)}`, true],
    ['(a|a a|a a a)(a|a a|a a a)(a|a a|a a a) * x', many('a', 200), false],
  ])('%s on a long request → %s, quickly, without hitting the cap', (pattern, text, expected) => {
    const stats = { steps: 0, exhausted: false };
    const compiled = compilePattern(parsePattern(pattern), { language: 'en' });
    const words = analyzers.en(text);
    const started = performance.now();
    const m = matchPattern(compiled, words, [], { stats });
    expect(performance.now() - started).toBeLessThan(500);
    expect(m !== null).toBe(expected);
    expect(stats.exhausted).toBe(false);
    expect(stats.steps).toBeLessThanOrEqual(PATTERN_MAX_STEPS);
  });

  test('past maxSteps the result is no match, and stats say so', () => {
    const stats = { steps: 0, exhausted: false };
    const compiled = compilePattern(parsePattern('* a * a * x'), { language: 'en' });
    expect(matchPattern(compiled, analyzers.en(many('a', 50, 'x')), [], { maxSteps: 10, stats })).toBeNull();
    expect(stats).toEqual({ steps: 11, exhausted: true });
    expect(matchPattern(compiled, analyzers.en(many('a', 50, 'x')))).not.toBeNull();
  });

  test.each([
    ['{* a * a * a} x', 60],
    ['{* a * a * a * a * a * a * a * a} x', 200],
    ['* a * a * a * a * x', 200],
  ])('the cap stops a pathological pattern: %s on %i words', (pattern, count) => {
    const stats = { steps: 0, exhausted: false };
    const compiled = compilePattern(parsePattern(pattern), { language: 'en' });
    const started = performance.now();
    expect(matchPattern(compiled, analyzers.en(many('a', count)), [], { stats })).toBeNull();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(stats).toEqual({ steps: PATTERN_MAX_STEPS + 1, exhausted: true });
  });

  test('the longest pattern allowed in a row matches without exhausting the stack', () => {
    const text = Array.from({ length: PATTERN_LIMITS.maxChain - 1 }, (_, i) => `w${i}`).join(' ');
    const stats = { steps: 0, exhausted: false };
    const compiled = compilePattern(parsePattern(`[x] ${text.split(' ').map((w) => `(${w}|y)`).slice(0, 240).join(' ')}`), { language: 'en' });
    expect(matchPattern(compiled, analyzers.en(text.split(' ').slice(0, 240).join(' ')), [], { stats })).not.toBeNull();
    expect(matchPattern(compilePattern(parsePattern(text), { language: 'en' }), analyzers.en(text), [], { stats })).not.toBeNull();
    expect(stats.exhausted).toBe(false);
  });

  test('a pathological pattern still matches quickly when the request fits early', () => {
    const compiled = compilePattern(parsePattern('* a * a * a * a * x'), { language: 'en' });
    expect(matchPattern(compiled, analyzers.en(many('a', 200, 'x')))).not.toBeNull();
  });
});
