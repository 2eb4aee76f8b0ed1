import { createAnalyzer, COMPOUND_JOINER } from '../../src/text/analyze.js';
import { PreparedModel } from '../../src/engine/prepare/prepared-model.js';
import { compileJaicp } from '../helpers.js';

describe('createAnalyzer', () => {
  test('normalizes, splits and stems a text', () => {
    const analyze = createAnalyzer({ language: 'en' });
    expect(analyze('Booking TABLES, please!')).toEqual([
      { form: 'booking', stem: 'book', start: 0, end: 7 },
      { form: 'tables', stem: 'tabl', start: 8, end: 14 },
      { form: 'please', stem: 'pleas', start: 16, end: 22 },
    ]);
  });

  test('keeps the offsets of the original text through normalization (apostrophes, full-width letters)', () => {
    const analyze = createAnalyzer({ language: 'en' });
    const text = "  What's ＨＥＬＬＯ ёлка";
    expect(analyze(text).map((w) => [w.form, text.slice(w.start, w.end)])).toEqual([
      ['whats', "What's"],
      ['hello', 'ＨＥＬＬＯ'],
      ['елка', 'ёлка'],
    ]);
  });

  test('stems Russian words in a Russian model', () => {
    const analyze = createAnalyzer({ language: 'ru' });
    expect(analyze('Забронируй столика').map((w) => w.form)).toEqual(['забронируй', 'столика']);
    expect(analyze('столика')[0]!.stem).toBe(analyze('столику')[0]!.stem);
  });

  test('stems each word of a mixed text by its script', () => {
    const analyze = createAnalyzer({ language: 'en' });
    expect(analyze('booking столика').map((w) => w.stem)).toEqual(['book', 'столик']);
  });

  test.each([
    ['drops stop words', ['please', 'the'], 'Please book the table', ['book', 'table']],
    ['compares stop words by normalized form (case)', ['PLEASE'], 'please book', ['book']],
    ['compares stop words by normalized form (apostrophe)', ["what's"], 'whats up', ['up']],
    ['compares stop words by normalized form (ё)', ['всё'], 'все хорошо', ['хорошо']],
    ['drops Russian stop words', ['пожалуйста'], 'закажи такси пожалуйста', ['закажи', 'такси']],
    ['drops a stop word only as a whole word', ['a'], 'a table and a chair', ['table', 'and', 'chair']],
  ])('%s', (_name, stopWords, text, expected) => {
    const analyze = createAnalyzer({ language: 'en', stopWords });
    expect(analyze(text).map((w) => w.form)).toEqual(expected);
  });

  test('gives no words for a text of stop words only', () => {
    const analyze = createAnalyzer({ language: 'en', stopWords: ['please', 'thanks'] });
    expect(analyze('Please, thanks!')).toEqual([]);
  });

  describe('compounds', () => {
    const analyze = createAnalyzer({
      language: 'en',
      stopWords: ['the'],
      compounds: [
        ['call', 'off'],
        ['new', 'york'],
        ['new', 'york', 'citi'],
      ],
    });

    test('merges a compound into one word', () => {
      expect(analyze('call off the meeting')).toEqual([
        { form: 'call off', stem: ['call', 'off'].join(COMPOUND_JOINER), start: 0, end: 8 },
        { form: 'meeting', stem: 'meet', start: 13, end: 20 },
      ]);
    });

    test.each(['called off', 'calling off', 'Calls OFF'])('merges the word forms %j into the same compound', (text) => {
      const [word] = analyze(text);
      expect(analyze(text)).toHaveLength(1);
      expect(word!.stem).toBe(['call', 'off'].join(COMPOUND_JOINER));
      expect(word!.form).toBe(text.toLowerCase());
    });

    test('merges a compound in the middle of a text', () => {
      expect(analyze('they called off it').map((w) => w.form)).toEqual(['they', 'called off', 'it']);
    });

    test('prefers the longest compound', () => {
      expect(analyze('new york city hall').map((w) => w.form)).toEqual(['new york city', 'hall']);
      expect(analyze('new york hall').map((w) => w.form)).toEqual(['new york', 'hall']);
    });

    test('does not merge the words of a compound in another order or apart', () => {
      expect(analyze('off call').map((w) => w.form)).toEqual(['off', 'call']);
      expect(analyze('call me off').map((w) => w.form)).toEqual(['call', 'me', 'off']);
    });

    test('ignores a one-word compound', () => {
      const plain = createAnalyzer({ language: 'en', compounds: [['call']] });
      expect(plain('call off').map((w) => w.form)).toEqual(['call', 'off']);
    });
  });

  test('gives the same result on repeated calls (stem cache)', () => {
    const analyze = createAnalyzer({ language: 'en' });
    const first = analyze('booking tables');
    expect(analyze('booking tables')).toEqual(first);
  });
});

test('words whose stems are given are not stemmed again, and a model seeds the stems of its own vocabulary', () => {
  const seeded = createAnalyzer({ language: 'en', knownStems: [['booking', 'SEEDED']] });
  expect(seeded('booking tables').map((w) => w.stem)).toEqual(['SEEDED', 'tabl']);
  const { model } = compileJaicp({ language: 'en', intents: [{ path: '/a', phrases: ['booking tables in running restaurants'] }] });
  const fresh = createAnalyzer({ language: 'en' });
  const text = 'booking tables in running restaurants';
  expect(new PreparedModel(model).analyze(text)).toEqual(fresh(text));
});
