import { createAnalyzer } from '../../src/text/analyze.js';
import { brief, finder } from './helpers.js';

describe('synonym records', () => {
  const en = finder([
    {
      name: 'City',
      records: [
        { type: 'synonyms', value: 'New York', words: ['new york', 'NYC', 'the big apple'] },
        { type: 'synonyms', value: 'Moscow', words: ['Moscow'] },
      ],
    },
  ]);

  test('a multi-word phrase matches as one entity, with offsets into the original text', () => {
    const text = 'Flights to  New   York, please';
    const [m] = en(text);
    expect(m).toEqual({ entity: 'City', value: 'New York', text: 'New   York', start: 12, end: 22, wordStart: 2, wordEnd: 4 });
    expect(text.slice(m!.start, m!.end)).toBe('New   York');
  });

  test('case and punctuation around words do not matter; the value is the record value', () => {
    expect(brief(en('NYC!'))).toEqual([['City', 'New York', 'NYC']]);
    expect(brief(en('I love The Big Apple.'))).toEqual([['City', 'New York', 'The Big Apple']]);
  });

  test('English word forms match through stems', () => {
    expect(brief(en("Moscow's museums"))).toEqual([['City', 'Moscow', "Moscow's"]]);
    expect(brief(en('many Moscows'))).toEqual([['City', 'Moscow', 'Moscows']]);
  });

  test('a phrase must be whole and in order', () => {
    expect(en('new car in york')).toEqual([]);
    expect(en('york new')).toEqual([]);
    expect(en('the big')).toEqual([]);
  });

  test('several entities in one text, sorted by start', () => {
    expect(brief(en('from Moscow to new york'))).toEqual([
      ['City', 'Moscow', 'Moscow'],
      ['City', 'New York', 'new york'],
    ]);
  });

  const ru = finder(
    [
      { name: 'Город', records: [{ type: 'synonyms', value: 'Москва', words: ['Москва', 'Мск'] }] },
      { name: 'Место', records: [{ type: 'synonyms', value: 'Красная площадь', words: ['красная площадь'] }] },
    ],
    { language: 'ru' },
  );

  test.each([
    ['Москва', 'Москва'],
    ['еду в Москву', 'Москву'],
    ['живу в Москве', 'Москве'],
    ['из Москвы', 'Москвы'],
    ['под Москвой', 'Москвой'],
    ['МСК', 'МСК'],
  ])('Russian word forms: %s', (text, matched) => {
    expect(brief(ru(text))).toEqual([['Город', 'Москва', matched]]);
  });

  test('Russian multi-word phrase in another case', () => {
    expect(brief(ru('гуляли по Красной площади'))).toEqual([['Место', 'Красная площадь', 'Красной площади']]);
  });

  test('ё and е are the same letter', () => {
    const f = finder([{ name: 'Fruit', records: [{ type: 'synonyms', value: 'hedgehog', words: ['ёж'] }] }], { language: 'ru' });
    expect(brief(f('еж'))).toEqual([['Fruit', 'hedgehog', 'еж']]);
  });

  test('compiled with the model stop words, a phrase matches the request words without them', () => {
    const options = { language: 'en', stopWords: ['of'] };
    const f = finder([{ name: 'Bank', records: [{ type: 'synonyms', value: 'BoA', words: ['bank of america'] }] }], options);
    const [m] = f('my bank of America card');
    expect(m).toMatchObject({ entity: 'Bank', text: 'bank of America', wordStart: 1, wordEnd: 3 });
    expect(createAnalyzer(options)('my bank of America card').map((w) => w.form)).toEqual(['my', 'bank', 'america', 'card']);
  });

  test('a value defaults to the first word; Caila "rule" is accepted for words', () => {
    const f = finder([{ name: 'Size', records: [{ type: 'synonyms', rule: ['large', 'big'], value: '' }] }]);
    expect(brief(f('a big box'))).toEqual([['Size', 'large', 'big']]);
  });
});
