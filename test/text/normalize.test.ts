import { countWords, normalizeText, tokenize, tokenizeAnyScript, tokenizeWithOffsets } from '../../src/text/normalize.js';
import { seededRandom } from '../helpers.js';

const words = (text: string) => tokenize(normalizeText(text));

describe('normalizeText', () => {
  test.each([
    ['full-width Latin letters become ASCII (NFKC)', 'ＨＥＬＬＯ ｗｏｒｌｄ', 'hello world'],
    ['full-width digits become ASCII digits', '１２３', '123'],
    ['ligatures are split (NFKC)', 'ﬁne ﬂight', 'fine flight'],
    ['Latin upper case becomes lower case', 'Book A TABLE', 'book a table'],
    ['Cyrillic upper case becomes lower case', 'ЗАКАЗАТЬ Такси', 'заказать такси'],
    ['ё becomes е', 'ёлка', 'елка'],
    ['Ё becomes е', 'ЁЖИК', 'ежик'],
    ['a decomposed ё (е + U+0308) becomes е', 'е\u0308лка', 'елка'],
    ['an ASCII apostrophe inside a word is dropped', "what's", 'whats'],
    ['a typographic apostrophe is dropped', 'don’t', 'dont'],
    ['a backtick and a modifier-letter apostrophe are dropped', 'don`t donʼt', 'dont dont'],
    ['a left single quote is dropped', '‘quoted’', 'quoted'],
    ['a decomposed accent is composed (NFKC)', 'cafe\u0301', 'café'],
  ])('%s', (_name, input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  test('is idempotent', () => {
    const once = normalizeText('ＨＥＬＬＯ, Ёлка! Don’t ﬁne');
    expect(normalizeText(once)).toBe(once);
  });
});

describe('tokenize', () => {
  test.each([
    ['keeps Latin words', 'book a table', ['book', 'a', 'table']],
    ['keeps Cyrillic words', 'закажи такси', ['закажи', 'такси']],
    ['keeps digits as words', 'table for 2 at 19 00', ['table', 'for', '2', 'at', '19', '00']],
    ['keeps letters and digits together in one word', 'mp3 covid19', ['mp3', 'covid19']],
    ['splits on punctuation', 'hello,world!how?are;you:ok.', ['hello', 'world', 'how', 'are', 'you', 'ok']],
    ['splits on hyphens, slashes and underscores', 'x-ray a/b foo_bar', ['x', 'ray', 'a', 'b', 'foo', 'bar']],
    ['splits on any whitespace', 'a\tb\nc  d', ['a', 'b', 'c', 'd']],
    ['keeps a mixed-script text in order', 'Привет, world! 42 дня', ['привет', 'world', '42', 'дня']],
    ['keeps accented letters and combining marks in the word', 'café naïve', ['café', 'naïve']],
    ['gives no words for punctuation only', '?!... ---', []],
    ['gives no words for an empty text', '', []],
  ])('%s', (_name, input, expected) => {
    expect(words(input)).toEqual(expected);
  });

  test('a word with an apostrophe stays one word', () => {
    expect(words("what's up, don't")).toEqual(['whats', 'up', 'dont']);
  });
});

describe('countWords (JAICP word limit)', () => {
  test.each([
    ['', 0],
    ['   \t\n', 0],
    ['hello', 1],
    ['hello world', 2],
    ['hello, world!', 4],
    ['a!b', 3],
    ['...', 3],
    ['e-mail', 1],
    ['a - b', 3],
    ["don't", 3],
    ['привет, мир', 3],
    ['a\tb\nc', 3],
    ['(hello)', 3],
    ['a/b\\c', 5],
    ['{x|y}', 5],
    ['[1]', 3],
    ['"quoted"', 3],
    ['*star*', 3],
  ])('counts %j as %i words', (text, expected) => {
    expect(countWords(text)).toBe(expected);
  });

  test.each([...'!,.:;?"\'()*/[\\]{|}'])('counts the punctuation mark %s as a word of its own', (mark) => {
    expect(countWords(mark)).toBe(1);
    expect(countWords(`a${mark}b`)).toBe(3);
  });

  test('counts all 18 punctuation marks in a row as 18 words', () => {
    expect(countWords('!,.:;?"\'()*/[\\]{|}')).toBe(18);
  });

  test('does not count other symbols (- + # @ % &) as separate words', () => {
    expect(countWords('a-b+c#d@e%f&g')).toBe(1);
  });

  test('gives the same count when called twice (no state left between calls)', () => {
    expect(countWords('a b c')).toBe(3);
    expect(countWords('a b c')).toBe(3);
  });
});

test('the ASCII path of tokenizeWithOffsets gives what the any-script path gives', () => {
  const random = seededRandom(5);
  const chars = "aZ09 '`-_.,!?@#$%\t\nWhat's";
  for (let k = 0; k < 2000; k++) {
    const text = Array.from({ length: Math.floor(random() * 30) }, () => chars[Math.floor(random() * chars.length)]).join('');
    expect(tokenizeWithOffsets(text)).toEqual(tokenizeAnyScript(text));
  }
  expect(tokenizeWithOffsets("Don't STOP me_now 42x")).toEqual([
    { form: 'dont', start: 0, end: 5 },
    { form: 'stop', start: 6, end: 10 },
    { form: 'me', start: 11, end: 13 },
    { form: 'now', start: 14, end: 17 },
    { form: '42x', start: 18, end: 21 },
  ]);
});
