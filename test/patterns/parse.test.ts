import { StsError } from '../../src/errors.js';
import { formatPattern, parsePattern, PATTERN_LIMITS, type PatternNode } from '../../src/patterns/parse.js';

const w = (form: string): PatternNode => ({ kind: 'word', form });
const seq = (...items: PatternNode[]): PatternNode => ({ kind: 'sequence', items });

describe('parsePattern: the syntax tree of each element', () => {
  test.each<[string, string, PatternNode]>([
    ['a plain word', 'book', w('book')],
    ['words, normalized (case, ё, apostrophes)', "Book the ЁЛКА what's", seq(w('book'), w('the'), w('елка'), w('whats'))],
    ['a word split by punctuation becomes adjacent words', 'e-mail', seq(w('e'), w('mail'))],
    ['punctuation-only words are left out (requests lose punctuation too)', 'hello , world ?', seq(w('hello'), w('world'))],
    ['~word', '~Books', { kind: 'lemma', form: 'books' }],
    ['~ on a hyphenated word applies to each part', '~e-mail', seq({ kind: 'lemma', form: 'e' }, { kind: 'lemma', form: 'mail' })],
    ['(a|b c)', '(a | b c)', { kind: 'alternatives', options: [w('a'), seq(w('b'), w('c'))] }],
    ['"/" separates alternatives inside ( )', '(a/b)', { kind: 'alternatives', options: [w('a'), w('b')] }],
    ['a group of one alternative is just its content', 'x (a b) y', seq(w('x'), w('a'), w('b'), w('y'))],
    ['nested alternatives are flattened', '((a|b)|c)', { kind: 'alternatives', options: [w('a'), w('b'), w('c')] }],
    ['[x]', '[a]', { kind: 'optional', item: w('a') }],
    ['[a|b]', '[a|b]', { kind: 'optional', item: { kind: 'alternatives', options: [w('a'), w('b')] } }],
    ['[a b]', '[a b]', { kind: 'optional', item: seq(w('a'), w('b')) }],
    ['[[x]] is [x]', '[[a]]', { kind: 'optional', item: w('a') }],
    ['{a b c}', '{a b c}', { kind: 'anyOrder', items: [w('a'), w('b'), w('c')] }],
    ['{} keeps a multi-word element as one block', '{(a b) c}', { kind: 'anyOrder', items: [seq(w('a'), w('b')), w('c')] }],
    ['{x} of one element is the element', '{a}', w('a')],
    ['*', '*', { kind: 'any' }],
    ['* around words', '* hello *', seq({ kind: 'any' }, w('hello'), { kind: 'any' })],
    ['word* (prefix)', 'Привет*', { kind: 'wordPart', text: 'привет', anyBefore: false, anyAfter: true }],
    ['*word (suffix)', '*put', { kind: 'wordPart', text: 'put', anyBefore: true, anyAfter: false }],
    ['*word* (infix)', '*info*', { kind: 'wordPart', text: 'info', anyBefore: true, anyAfter: true }],
    ['@Entity', '@City', { kind: 'entity', name: 'City' }],
    ['@dotted.entity', '@duckling.number', { kind: 'entity', name: 'duckling.number' }],
    ['@ with a Cyrillic name and underscores', '@Город_РФ', { kind: 'entity', name: 'Город_РФ' }],
    ['$regex<…>', '$regex<\\d+>', { kind: 'regex', source: '\\d+' }],
    ['$regex with ">" in a character class', '$regex<[^>]+>', { kind: 'regex', source: '[^>]+' }],
    ['$regex with a named group', '$regex<(?P<n>\\d)x>', { kind: 'regex', source: '(?P<n>\\d)x' }],
    ['$regex with an escaped ">"', '$regex<a\\>b>', { kind: 'regex', source: 'a\\>b' }],
    ['$regex with spaces and | inside', '($regex<a|b c>|x)', { kind: 'alternatives', options: [{ kind: 'regex', source: 'a|b c' }, w('x')] }],
    ['"/" outside ( ) and [ ] is punctuation', '24/7', seq(w('24'), w('7'))],
    [
      'nesting of everything',
      '* {(book|reserve) [a] ~table} [for @duckling.number] *',
      seq(
        { kind: 'any' },
        {
          kind: 'anyOrder',
          items: [
            { kind: 'alternatives', options: [w('book'), w('reserve')] },
            { kind: 'optional', item: w('a') },
            { kind: 'lemma', form: 'table' },
          ],
        },
        { kind: 'optional', item: seq(w('for'), { kind: 'entity', name: 'duckling.number' }) },
        { kind: 'any' },
      ),
    ],
  ])('%s: %s', (_name, source, expected) => {
    expect(parsePattern(source)).toEqual(expected);
  });

  test('the tree is plain JSON', () => {
    const tree = parsePattern('* {(book|reserve) [a] ~table} [$regex<\\d+> @duckling.number] put* *');
    expect(JSON.parse(JSON.stringify(tree))).toEqual(tree);
  });
});

describe('formatPattern', () => {
  test.each([
    ['book a table', 'book a table'],
    ['  Book   A  TABLE ', 'book a table'],
    ['( book | reserve a ) table', '(book|reserve a) table'],
    ['(book/reserve) table', '(book|reserve) table'],
    ['book [ a | the ] table', 'book [a|the] table'],
    ['[a b]', '[a b]'],
    ['{ (a b) c [d] (e|f) }', '{(a b) c [d] (e|f)}'],
    ['{a {b c}}', '{a {b c}}'],
    ['* ~Tables *', '* ~tables *'],
    ['Привет* *put *info*', 'привет* *put *info*'],
    ['@duckling.number @City', '@duckling.number @City'],
    ['$regex<[^>]+> $regex<(?P<n>x)>', '$regex<[^>]+> $regex<(?P<n>x)>'],
    ['e-mail', 'e mail'],
    ['{e-mail x}', '{(e mail) x}'],
    ['* {(book|reserve) [a] ~table} [for @duckling.number] *', '* {(book|reserve) [a] ~table} [for @duckling.number] *'],
  ])('%s → %s, and back to the same tree', (source, canonical) => {
    const tree = parsePattern(source);
    expect(formatPattern(tree)).toBe(canonical);
    expect(parsePattern(formatPattern(tree))).toEqual(tree);
  });
});

describe('parsePattern: errors name the column and what was expected', () => {
  test.each<[string, string, number, string]>([
    ['unclosed (', '(book | reserve a table', 24, 'expected ")" to close "(" at column 1'],
    ['unclosed ( at once', '(', 2, 'expected ")"'],
    ['unclosed ( after |', '(a|', 4, 'expected ")"'],
    ['unclosed [', 'book [a table', 14, 'expected "]" to close "[" at column 6'],
    ['unclosed {', '{red car', 9, 'expected "}" to close "{" at column 1'],
    ['unclosed <', '$regex<\\d+', 11, 'expected ">" to close "$regex<" at column 7'],
    ['unclosed < with a ">" only in a class', '$regex<[>]', 11, 'expected ">"'],
    ['mismatched close', '(a]', 3, 'expected ")" to close "(" at column 1, found "]"'],
    ['"|" inside { }', '{a|b}', 3, 'expected "}" to close "{" at column 1, found "|"'],
    ['empty alternative in the middle', '(a||b)', 4, 'empty alternative'],
    ['empty first alternative', '(|a)', 2, 'empty alternative'],
    ['empty last alternative', '(a|)', 4, 'empty alternative'],
    ['empty ( )', 'a () b', 4, 'empty alternative'],
    ['empty [ ]', '[]', 2, 'empty alternative'],
    ['an alternative of punctuation only', '(a|?)', 5, 'the alternative has no words'],
    ['empty { }', 'x {}', 4, 'empty "{ }"'],
    ['stray )', 'book a table)', 13, 'unexpected ")" without a matching "("'],
    ['stray ]', 'a ]', 3, 'unexpected "]" without a matching "["'],
    ['stray }', '} a', 1, 'unexpected "}" without a matching "{"'],
    ['"|" outside ( ) and [ ]', 'a | b', 3, 'unexpected "|": alternatives must be inside ( ) or [ ]'],
    ['bad regex', '$regex<(a>', 8, 'invalid regex: missing closing )'],
    ['regex syntax RE2 lacks (lookahead)', 'x $regex<(?=a)b>', 10, 'invalid regex'],
    ['regex repeat over RE2 limit', '$regex<a{1001}>', 8, 'invalid regex'],
    ['empty regex', '$regex<>', 8, 'empty regex'],
    ['$regex without <', '$regex \\d', 7, 'expected "<" after "$regex"'],
    ['unsupported $ element', '* $yes *', 3, 'unsupported element "$yes"'],
    ['$regexp is not supported', '$regexp<x>', 1, 'unsupported element "$regexp"'],
    ['$ alone', 'a $', 4, 'expected "regex<" after "$"'],
    ['@ without a name', 'book @ table', 7, 'expected an entity name after "@"'],
    ['@ at the end', '@', 2, 'expected an entity name after "@"'],
    ['@ followed by punctuation', '@.x', 2, 'expected an entity name after "@"'],
    ['entity alias syntax', '@City::city', 6, 'unexpected ":" after the entity name "@City"'],
    ['~ without a word', '~ book', 2, 'expected a word after "~"'],
    ['~ at the end', 'a ~', 4, 'expected a word after "~"'],
    ['~ with punctuation only', '~?', 2, 'expected a word after "~"'],
    ['~ combined with *', '~book*', 6, '"~word" cannot be combined with "*"'],
    ['counted wildcard', 'a *3 b', 3, '"*3": counted wildcards are not supported'],
    ['* next to punctuation only', '*?', 2, 'expected letters or digits next to "*"'],
    ['empty pattern', '', 1, 'the pattern is empty'],
    ['blank pattern', '   ', 4, 'the pattern is empty'],
    ['punctuation only', '?!', 3, 'the pattern has no words'],
    ['columns count characters, not UTF-16 units', '😀 (a', 5, 'expected ")"'],
    [
      'too deep',
      `${'('.repeat(PATTERN_LIMITS.maxDepth + 1)}a${')'.repeat(PATTERN_LIMITS.maxDepth + 1)}`,
      PATTERN_LIMITS.maxDepth + 1,
      'nested deeper than 50 levels',
    ],
    ['too many { } items', `{${'a '.repeat(PATTERN_LIMITS.maxAnyOrderItems + 1)}}`, 1, '"{ }" has more than 16 elements'],
  ])('%s: %s', (_name, source, column, problem) => {
    let error: unknown;
    try {
      parsePattern(source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StsError);
    const e = error as StsError;
    expect(e.code).toBe('invalid_source');
    expect(e.message).toContain(`pattern "${source}": column ${column}: ${problem}`);
    expect(e.details).toEqual([{ message: e.message }]);
  });

  test('the message of the example in full', () => {
    expect(() => parsePattern('(book | reserve a table')).toThrow(
      'pattern "(book | reserve a table": column 24: expected ")" to close "(" at column 1',
    );
  });

  test('a pattern longer than the limit', () => {
    expect(() => parsePattern('a '.repeat(PATTERN_LIMITS.maxLength))).toThrow(/longer than 10000 characters/);
  });

  test('a pattern with too many elements in a row', () => {
    const words = (count: number) => Array.from({ length: count }, (_, i) => `w${i}`).join(' ');
    expect(() => parsePattern(words(PATTERN_LIMITS.maxChain - 1))).not.toThrow();
    expect(() => parsePattern(words(PATTERN_LIMITS.maxChain))).toThrow(/column 1: the pattern has more than 500 elements in a row/);
    // many alternatives side by side are not "in a row"
    expect(() => parsePattern(`(${words(1500).replaceAll(' ', '|')})`)).not.toThrow();
  });

  test('a non-string', () => {
    expect(() => parsePattern(42 as unknown as string)).toThrow(StsError);
  });
});
