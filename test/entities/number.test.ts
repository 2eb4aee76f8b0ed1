import { findNumbers } from '../../src/entities/number.js';
import { brief, finder } from './helpers.js';

/** [text, expected [matched text, value] pairs] */
type Case = [string, [string, number][]];

const numbers = (text: string, language = 'en') => findNumbers(text, { language }).map((m) => [text.slice(m.start, m.end), m.value]);

describe('built-in number: digits', () => {
  test.each<Case>([
    ['42', [['42', 42]]],
    ['I need 42 apples', [['42', 42]]],
    ['007', [['007', 7]]],
    ['3.5 kg', [['3.5', 3.5]]],
    ['3,5 kg', [['3,5', 3.5]]],
    ['-7 degrees', [['-7', -7]]],
    ['−7', [['−7', -7]]],
    ['5-10 people', [['5', 5], ['10', 10]]],
    ['covid-19', [['19', 19]]],
    ['1 000 000 dollars', [['1 000 000', 1_000_000]]],
    ['1\u00A0000', [['1\u00A0000', 1000]]],
    ['10 000,50', [['10 000,50', 10000.5]]],
    ['1,000,000', [['1,000,000', 1_000_000]]],
    ['1,500.25', [['1,500.25', 1500.25]]],
    ['numbers 1 2 3', [['1', 1], ['2', 2], ['3', 3]]],
    ['I want 5.', [['5', 5]]],
    ['5, 6 and 7', [['5', 5], ['6', 6], ['7', 7]]],
    ['2 million', [['2 million', 2_000_000]]],
    ['1.1 million', [['1.1 million', 1_100_000]]],
    ['3 hundred', [['3 hundred', 300]]],
    // Not numbers, or not one number: dates, versions, lists, glued units, long ids.
    ['12.05.2024', []],
    ['version 1.2.3', []],
    ['1,2,3', []],
    ['at 10am', []],
    ['3.5km', []],
    ['5km', []],
    ['card 1234567890123456', []],
    ['１２', []],
  ])('en: %s', (text, expected) => {
    expect(numbers(text, 'en')).toEqual(expected);
  });

  test.each<Case>([
    ['1,000', [['1,000', 1]]],
    ['1,5 литра', [['1,5', 1.5]]],
    ['10 000 рублей', [['10 000', 10000]]],
    ['5 тысяч', [['5 тысяч', 5000]]],
    ['1,5 млн', [['1,5 млн', 1_500_000]]],
    ['5 тыс. рублей', [['5 тыс', 5000]]],
    ['на 5-ти человек', [['5', 5]]],
  ])('ru: %s', (text, expected) => {
    expect(numbers(text, 'ru')).toEqual(expected);
  });
});

describe('built-in number: English words', () => {
  test.each<Case>([
    ['zero', [['zero', 0]]],
    ['one', [['one', 1]]],
    ['seven', [['seven', 7]]],
    ['twelve', [['twelve', 12]]],
    ['twenty', [['twenty', 20]]],
    ['twenty one', [['twenty one', 21]]],
    ['twenty-one', [['twenty-one', 21]]],
    ['Ninety Nine', [['Ninety Nine', 99]]],
    ['a hundred', [['a hundred', 100]]],
    ['hundred', [['hundred', 100]]],
    ['one hundred', [['one hundred', 100]]],
    ['a hundred and five', [['a hundred and five', 105]]],
    ['two hundred forty two', [['two hundred forty two', 242]]],
    ['three thousand', [['three thousand', 3000]]],
    ['a thousand', [['a thousand', 1000]]],
    ['three thousand and twenty', [['three thousand and twenty', 3020]]],
    ['one hundred thousand', [['one hundred thousand', 100_000]]],
    ['two million five hundred thousand', [['two million five hundred thousand', 2_500_000]]],
    ['nine hundred ninety nine thousand nine hundred ninety nine', [['nine hundred ninety nine thousand nine hundred ninety nine', 999_999]]],
    ['one two three', [['one', 1], ['two', 2], ['three', 3]]],
    ['one, two', [['one', 1], ['two', 2]]],
    ['bread and five eggs', [['five', 5]]],
    ['five hundred and', [['five hundred', 500]]],
    ['a cat', []],
    ['thousands of people', []],
    ['and', []],
  ])('%s', (text, expected) => {
    expect(numbers(text)).toEqual(expected);
  });
});

describe('built-in number: Russian words', () => {
  test.each<Case>([
    ['ноль', [['ноль', 0]]],
    ['один', [['один', 1]]],
    ['одна', [['одна', 1]]],
    ['одну минуту', [['одну', 1]]],
    ['два', [['два', 2]]],
    ['две', [['две', 2]]],
    ['двух', [['двух', 2]]],
    ['двумя', [['двумя', 2]]],
    ['трем', [['трем', 3]]],
    ['трём', [['трём', 3]]],
    ['четырьмя', [['четырьмя', 4]]],
    ['пятью', [['пятью', 5]]],
    ['шести', [['шести', 6]]],
    ['семи', [['семи', 7]]],
    ['восьми', [['восьми', 8]]],
    ['девятью', [['девятью', 9]]],
    ['десять', [['десять', 10]]],
    ['одиннадцати', [['одиннадцати', 11]]],
    ['двадцать', [['двадцать', 20]]],
    ['двадцать один', [['двадцать один', 21]]],
    ['сорока двух', [['сорока двух', 42]]],
    ['девяноста девяти', [['девяноста девяти', 99]]],
    ['сто', [['сто', 100]]],
    ['сто пять', [['сто пять', 105]]],
    ['двухсот', [['двухсот', 200]]],
    ['триста сорок два', [['триста сорок два', 342]]],
    ['тысяча', [['тысяча', 1000]]],
    ['около тысячи', [['тысячи', 1000]]],
    ['три тысячи', [['три тысячи', 3000]]],
    ['пять тысяч', [['пять тысяч', 5000]]],
    ['двадцать одна тысяча', [['двадцать одна тысяча', 21000]]],
    ['сто двадцать три тысячи четыреста пятьдесят шесть', [['сто двадцать три тысячи четыреста пятьдесят шесть', 123_456]]],
    ['два миллиона', [['два миллиона', 2_000_000]]],
    ['полторы тысячи', [['полторы тысячи', 1500]]],
    ['полтора часа', [['полтора', 1.5]]],
    ['с двадцатью семью', [['двадцатью семью', 27]]],
    ['семью тысячами', [['семью тысячами', 7000]]],
    // "семью" alone is "family"; "тысяч" alone is "thousands of".
    ['люблю свою семью', []],
    ['тысяч людей', []],
    ['раз два три', [['два', 2], ['три', 3]]],
  ])('%s', (text, expected) => {
    expect(numbers(text, 'ru')).toEqual(expected);
  });
});

describe('built-in number through findEntities', () => {
  const find = finder([{ name: 'Fruit', records: [{ type: 'synonyms', value: 'apple', words: ['apple'] }] }]);

  test('numbers come with their words and a numeric value', () => {
    expect(find('give me twenty one apples')).toEqual([
      { entity: 'number', value: 21, text: 'twenty one', start: 8, end: 18, wordStart: 2, wordEnd: 4 },
      { entity: 'Fruit', value: 'apple', text: 'apples', start: 19, end: 25, wordStart: 4, wordEnd: 5 },
    ]);
  });

  test('a number whose words the analyzer drops still reports its offsets, with an empty word range', () => {
    const f = finder([], { language: 'en', stopWords: ['one'] });
    expect(f('just one')).toEqual([{ entity: 'number', value: 1, text: 'one', start: 5, end: 8, wordStart: 1, wordEnd: 1 }]);
  });

  test('stop words do not break a number: "and" and "a" are read from the text', () => {
    const f = finder([], { language: 'en', stopWords: ['a', 'and'] });
    expect(brief(f('a hundred and five'))).toEqual([['number', 105, 'a hundred and five']]);
  });

  test('duckling.number selects the built-in number', () => {
    expect(brief(find('3 apples', { entities: ['duckling.number'] }))).toEqual([['number', 3, '3']]);
    expect(brief(find('3 apples', { entities: ['Fruit'] }))).toEqual([['Fruit', 'apple', 'apples']]);
  });
});
