import { createStemmer, detectLanguage, STEMMED_LANGUAGES } from '../../src/text/stem.js';

describe('English stemming (Porter)', () => {
  const stem = createStemmer('en');

  test.each([
    [['book', 'books', 'booked', 'booking']],
    [['call', 'calls', 'called', 'calling']],
    [['connect', 'connected', 'connecting', 'connection']],
    [['run', 'runs', 'running']],
    [['table', 'tables']],
    [['restaurant', 'restaurants']],
    [['city', 'cities']],
  ])('gives word forms of one word the same stem: %j', (forms) => {
    const stems = new Set(forms.map(stem));
    expect(stems.size).toBe(1);
  });

  test.each([
    ['book', 'table'],
    ['cab', 'car'],
    ['order', 'cancel'],
  ])('gives different words different stems: %s / %s', (a, b) => {
    expect(stem(a)).not.toBe(stem(b));
  });
});

describe('Russian stemming (Porter)', () => {
  const stem = createStemmer('ru');

  test.each([
    [['столик', 'столика', 'столику', 'столиком']],
    [['погода', 'погоду', 'погоды', 'погоде']],
    [['книга', 'книгу', 'книги', 'книгой']],
    [['машина', 'машину', 'машины']],
    [['пароль', 'пароля', 'паролем']],
    [['заказать', 'заказал']],
    [['забронировать', 'забронировал']],
  ])('gives word forms of one word the same stem: %j', (forms) => {
    const stems = new Set(forms.map(stem));
    expect(stems.size).toBe(1);
  });

  test('gives different words different stems', () => {
    expect(stem('столик')).not.toBe(stem('погода'));
  });

  test('stems ё and е spellings alike', () => {
    expect(stem('ёлка')).toBe(stem('елка'));
  });
});

describe('stemmer choice by script', () => {
  test.each([
    ['an English model stems Cyrillic words with the Russian stemmer', 'en', 'столика', 'столик'],
    ['a Russian model stems Latin words with the English stemmer', 'ru', 'booking', 'book'],
    ['a German model stems Latin words with the German stemmer', 'de', 'häuser', 'haus'],
    ['a German model still stems Cyrillic words as Russian', 'de', 'погоду', 'погод'],
    ['a region subtag picks the base language', 'en-GB', 'booking', 'book'],
  ])('%s', (_name, language, word, expected) => {
    expect(createStemmer(language)(word)).toBe(expected);
  });

  test('a mixed text gets each word stemmed by its own script', () => {
    const stem = createStemmer('ru');
    expect(['booking', 'столика', 'tables', 'погоду'].map(stem)).toEqual(['book', 'столик', 'tabl', 'погод']);
  });

  test.each(['123', '2024', '42'])('leaves the number %s as it is', (n) => {
    expect(createStemmer('en')(n)).toBe(n);
    expect(createStemmer('ru')(n)).toBe(n);
  });

  test('never returns an empty stem', () => {
    const en = createStemmer('en');
    const ru = createStemmer('ru');
    for (const w of ['a', 'i', 's', 'я', 'и', 'в', 'ing', 'ся']) {
      expect(en(w)).not.toBe('');
      expect(ru(w)).not.toBe('');
    }
  });

  test('lists English and Russian among the stemmed languages', () => {
    expect(STEMMED_LANGUAGES).toEqual(expect.arrayContaining(['en', 'ru', 'uk', 'de']));
  });

  // config.ts (Language) says: "other codes are accepted and use no stemming", and stem.ts
  // (STEMMED_LANGUAGES) says others "compare words by their exact form only"; createStemmer
  // instead falls back to the English stemmer for Latin words of any language.
  test('uses no stemming for Latin words of a language without a stemmer (pl)', () => {
    expect(STEMMED_LANGUAGES).not.toContain('pl');
    expect(createStemmer('pl')('booking')).toBe('booking');
  });
});

describe('detectLanguage', () => {
  test.each([
    [['привет мир'], 'ru'],
    [['hello world'], 'en'],
    [['Закажи такси please'], 'ru'],
    [['book a table на двоих'], 'en'],
    [['привет', 'hi', 'ok'], 'ru'],
    [['hi', 'ok', 'yes', 'да'], 'en'],
    [['123 456'], 'en'],
    [[], 'en'],
  ] as const)('judges %j as %s', (texts, expected) => {
    expect(detectLanguage(texts)).toBe(expected);
  });

  test('counts letters across all texts, not texts', () => {
    // one long Russian text outweighs three short English ones
    expect(detectLanguage(['a', 'b', 'c', 'здравствуйте'])).toBe('ru');
  });
});
