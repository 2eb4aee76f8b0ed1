import type { ClassifyOptions } from '../../src/engine/classifier.js';
import type { StsEvent } from '../../src/engine/event/events.js';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import { classifierFor, seededRandom } from '../helpers.js';

/** The aligned pair of the best phrase whose request side is `request`. */
function pairOf(e: StsEvent, request: string) {
  const pair = e.explanation?.aligned.find((a) => a.request === request);
  if (!pair) throw new Error(`no pair for "${request}" in ${JSON.stringify(e.explanation?.aligned)}`);
  return pair;
}

type Classifier = ReturnType<typeof classifierFor>;

/** The score of one intent for a text, whatever the threshold (0 when no phrase of it scored). */
function scoreFor(c: Classifier, text: string, intent: string, options: ClassifyOptions = {}): number {
  const e = c.classifySync(text, { threshold: 0, nBest: 100, ...options });
  return e.alternatives.find((a) => a.intent === intent)?.score ?? 0;
}

const bot: IntentsFileInput = {
  language: 'en',
  synonyms: [{ words: ['cab', 'taxi'] }],
  stopWords: ['of'],
  intents: [
    { path: '/table', phrases: ['book a table'] },
    { path: '/restaurant', phrases: ['restaurant'] },
    { path: '/taxi', phrases: ['order a taxi'] },
    { path: '/urgent', phrases: ['as soon as possible'] },
    { path: '/eta', phrases: ['eta'] },
  ],
};

describe('match types', () => {
  const c = classifierFor(bot);

  test.each([
    ['the same word', 'book a table', '/table', 'book', 'book', 'exact'],
    ['another form of the word (booking / book)', 'booking a table', '/table', 'booking', 'book', 'lemma'],
    ['a typo with the same letters (tabel / table)', 'book a tabel', '/table', 'tabel', 'table', 'jaccard'],
    ['a typo with a letter missing (restarant / restaurant)', 'restarant', '/restaurant', 'restarant', 'restaurant', 'jaccard'],
    ['a word of the same user synonym group (cab / taxi)', 'order a cab', '/taxi', 'cab', 'taxi', 'synonym'],
    ['a request acronym of phrase words (asap)', 'asap', '/urgent', 'asap', 'as soon as possible', 'acronym'],
    ['a phrase acronym of request words (eta)', 'estimated time of arrival', '/eta', 'estimated time arrival', 'eta', 'acronym'],
  ])('aligns %s', (_name, text, intent, requestWords, phraseWords, type) => {
    const e = c.classifySync(text);
    expect(e.event).toBe('match');
    expect(e.intent).toBe(intent);
    expect(pairOf(e, requestWords)).toMatchObject({ phrase: phraseWords, type });
  });

  test('scores an identical phrase exactly 1', () => {
    expect(c.classifySync('book a table').score).toBe(1);
    expect(c.classifySync('Book a TABLE!').score).toBe(1);
  });

  test('scores an acronym that covers the whole phrase exactly 1', () => {
    expect(c.classifySync('asap').score).toBe(1);
  });

  test('does not align a word whose typo is too far from any phrase word', () => {
    const e = c.classifySync('book a tbl');
    expect(e.explanation!.unmatchedRequest).toEqual(['tbl']);
  });

  test('ranks exact > lemma > synonym, and lemma > jaccard, for otherwise equal texts', () => {
    const r = classifierFor({
      language: 'en',
      synonyms: [{ words: ['book', 'reserve'] }],
      intents: [
        { path: '/a', phrases: ['please book now'] },
        { path: '/b', phrases: ['something else entirely'] },
      ],
    });
    const run = (text: string, word: string, type: string) => {
      const e = r.classifySync(text);
      expect(e.intent).toBe('/a');
      expect(pairOf(e, word).type).toBe(type);
      return e.score!;
    };
    const exact = run('please book now', 'book', 'exact');
    const lemma = run('please booking now', 'booking', 'lemma');
    const synonym = run('please reserve now', 'reserve', 'synonym');
    const jaccard = run('please boko now', 'boko', 'jaccard');
    expect(exact).toBe(1);
    expect(exact).toBeGreaterThan(lemma);
    expect(lemma).toBeGreaterThan(synonym);
    expect(lemma).toBeGreaterThan(jaccard);
    // both default to 0.5 and both words are unknown to the phrases, so they weigh the same
    expect(synonym).toBeCloseTo(jaccard, 6);
  });
});

describe('coefficients overridden per call', () => {
  const c = classifierFor({
    ...bot,
    synonyms: [
      { words: ['cab', 'taxi'], weight: 0.4 },
      { words: ['car', 'automobile'], weight: 1 },
    ],
    intents: [...(bot.intents ?? []), { path: '/car', phrases: ['rent a car'] }],
  });

  test.each([
    ['exactMatch', 0.5, 'book a table', '/table', 'book', 'lower'],
    ['lemmaMatch', 0.5, 'booking a table', '/table', 'booking', 'lower'],
    ['lemmaMatch', 1, 'booking a table', '/table', 'booking', 'higher'],
    ['jaccardMatch', 0.1, 'book a tabel', '/table', 'tabel', 'lower'],
    ['jaccardMatch', 0.9, 'book a tabel', '/table', 'tabel', 'higher'],
    ['synonymMatch', 0.2, 'order a cab', '/taxi', 'cab', 'lower'],
    ['synonymMatch', 0.9, 'order a cab', '/taxi', 'cab', 'higher'],
    ['acronymMatch', 0.5, 'asap', '/urgent', 'asap', 'lower'],
  ] as const)('%s %d moves the score %s and is the pair coefficient', (setting, value, text, intent, word, direction) => {
    const before = scoreFor(c, text, intent);
    const after = scoreFor(c, text, intent, { [setting]: value });
    if (direction === 'lower') expect(after).toBeLessThan(before);
    else expect(after).toBeGreaterThan(before);
    const e = c.classifySync(text, { [setting]: value });
    expect(e.intent).toBe(intent);
    expect(pairOf(e, word).coefficient).toBe(value);
  });

  test('lemmaMatch 1 scores a word form like the exact word', () => {
    expect(scoreFor(c, 'booking a table', '/table', { lemmaMatch: 1 })).toBe(1);
  });

  test('acronymMatch scales an acronym that covers the whole phrase exactly', () => {
    expect(scoreFor(c, 'asap', '/urgent', { acronymMatch: 0.5 })).toBeCloseTo(0.5, 6);
  });

  test.each([
    ['exactMatch', 'book a table', '/table'],
    ['jaccardMatch', 'restarant', '/restaurant'],
    ['synonymMatch', 'cab', '/taxi'],
    ['acronymMatch', 'asap', '/urgent'],
  ])('%s 0 turns that match type off', (setting, text, intent) => {
    expect(scoreFor(c, text, intent)).toBeGreaterThan(0);
    expect(scoreFor(c, text, intent, { [setting]: 0 })).toBe(0);
  });

  test('the coefficients do not change a match of another type', () => {
    expect(scoreFor(c, 'book a table', '/table', { lemmaMatch: 0.1, jaccardMatch: 0.1, synonymMatch: 0.1, acronymMatch: 0.1 })).toBe(1);
  });

  test('jaccardMatchThreshold above a typo’s similarity stops it matching', () => {
    // restarant / restaurant: 9 common letters of 10 → similarity 0.9
    expect(scoreFor(c, 'restarant', '/restaurant', { jaccardMatchThreshold: 0.85 })).toBeGreaterThan(0);
    expect(scoreFor(c, 'restarant', '/restaurant', { jaccardMatchThreshold: 0.95 })).toBe(0);
  });

  test('jaccardMatchThreshold below the default lets a worse typo match', () => {
    // restrnt / restaurant: similarity 0.7, below the default 0.82
    expect(scoreFor(c, 'restrnt', '/restaurant')).toBe(0);
    const e = c.classifySync('restrnt', { jaccardMatchThreshold: 0.6, threshold: 0 });
    expect(e.intent).toBe('/restaurant');
    expect(pairOf(e, 'restrnt').type).toBe('jaccard');
  });

  test('synonymContextWeight lowers a synonym of a group with weight < 1, in proportion', () => {
    const s0 = scoreFor(c, 'order a cab', '/taxi', { synonymContextWeight: 0 });
    const sHalf = scoreFor(c, 'order a cab', '/taxi', { synonymContextWeight: 0.5 });
    const s1 = scoreFor(c, 'order a cab', '/taxi', { synonymContextWeight: 1 });
    expect(s0).toBeGreaterThan(sHalf);
    expect(sHalf).toBeGreaterThan(s1);
    // coefficient = synonymMatch × (1 − w + w × groupWeight) = 0.5 × (1 − 1 + 0.4) = 0.2
    expect(pairOf(c.classifySync('order a cab', { synonymContextWeight: 1 }), 'cab').coefficient).toBeCloseTo(0.2, 9);
  });

  test('synonymContextWeight does not change a synonym of a group with weight 1', () => {
    const s0 = scoreFor(c, 'rent a automobile', '/car', { synonymContextWeight: 0 });
    const s1 = scoreFor(c, 'rent a automobile', '/car', { synonymContextWeight: 1 });
    expect(s0).toBeGreaterThan(0);
    expect(s1).toBe(s0);
  });

  test('an override applies to one call only', () => {
    const before = scoreFor(c, 'booking a table', '/table');
    scoreFor(c, 'booking a table', '/table', { lemmaMatch: 0.1 });
    expect(scoreFor(c, 'booking a table', '/table')).toBe(before);
  });
});

describe('word order (wordSequence1/2/3)', () => {
  const c = classifierFor({
    language: 'en',
    intents: [
      { path: '/table', phrases: ['book a table for two'] },
      { path: '/other', phrases: ['something else'] },
    ],
  });

  test('scores the phrase’s words in its order above the same words scrambled', () => {
    const ordered = scoreFor(c, 'book a table for two', '/table');
    const scrambled = scoreFor(c, 'two for table a book', '/table');
    expect(ordered).toBe(1);
    // every word matched exactly, each in a run of one: wordSequence1 (0.8) on everything
    expect(scrambled).toBeCloseTo(0.8, 6);
  });

  test('setting all three wordSequence factors to 1 removes the difference', () => {
    const all1 = { wordSequence1: 1, wordSequence2: 1, wordSequence3: 1 };
    expect(scoreFor(c, 'two for table a book', '/table', all1)).toBe(scoreFor(c, 'book a table for two', '/table', all1));
  });

  test('wordSequence1 scales words matched out of order', () => {
    expect(scoreFor(c, 'two for table a book', '/table', { wordSequence1: 0.5 })).toBeCloseTo(0.5, 6);
    expect(scoreFor(c, 'book a table for two', '/table', { wordSequence1: 0.5 })).toBe(1);
  });

  test('wordSequence2 scales runs of two words in order', () => {
    const text = 'table for book'; // "table for" is a run of 2, "book" a run of 1
    const e = c.classifySync(text);
    expect(pairOf(e, 'table').sequence).toBe(0.9);
    expect(pairOf(e, 'book').sequence).toBe(0.8);
    expect(scoreFor(c, text, '/table', { wordSequence2: 1 })).toBeGreaterThan(scoreFor(c, text, '/table'));
    expect(scoreFor(c, text, '/table', { wordSequence2: 0.5 })).toBeLessThan(scoreFor(c, text, '/table'));
  });

  test('wordSequence3 scales runs of three or more words and whole matches', () => {
    expect(scoreFor(c, 'book a table for two', '/table', { wordSequence3: 0.5 })).toBeCloseTo(0.5, 6);
    expect(scoreFor(c, 'two for table a book', '/table', { wordSequence3: 0.5 })).toBeCloseTo(0.8, 6);
  });

  test('a one-word request matched counts as a complete run (wordSequence3)', () => {
    expect(pairOf(c.classifySync('table', { threshold: 0 }), 'table').sequence).toBe(1);
  });
});

describe('word weights (idf)', () => {
  // "common" is in all 7 phrases, "rare" in one
  const c = classifierFor({
    language: 'en',
    intents: [
      { path: '/rare', phrases: ['common rare'] },
      { path: '/other', phrases: ['common one', 'common two', 'common three', 'common four', 'common five', 'common six'] },
    ],
  });
  const gap = (options: ClassifyOptions = {}) => scoreFor(c, 'rare', '/rare', options) - scoreFor(c, 'common', '/rare', options);

  test('a rare word matched counts more than a common one', () => {
    expect(scoreFor(c, 'rare', '/rare')).toBeGreaterThan(scoreFor(c, 'common', '/rare'));
  });

  test('idfMultiplier 0 with idfShift 1 weighs every word 1', () => {
    const flat = { idfMultiplier: 0, idfShift: 1 };
    expect(scoreFor(c, 'rare', '/rare', flat)).toBeCloseTo(2 / 3, 6);
    expect(scoreFor(c, 'common', '/rare', flat)).toBeCloseTo(2 / 3, 6);
  });

  test('a larger idfMultiplier widens the gap between rare and common words', () => {
    const g0 = gap({ idfShift: 1, idfMultiplier: 0 });
    const g1 = gap({ idfShift: 1, idfMultiplier: 1 });
    const g10 = gap({ idfShift: 1, idfMultiplier: 10 });
    expect(g0).toBeCloseTo(0, 6);
    expect(g1).toBeGreaterThan(g0);
    expect(g10).toBeGreaterThan(g1);
  });

  test('a larger idfShift narrows the gap and changes the scores', () => {
    expect(gap({ idfShift: 10 })).toBeLessThan(gap());
    expect(gap({ idfShift: 10 })).toBeGreaterThan(0);
    expect(scoreFor(c, 'rare', '/rare', { idfShift: 10 })).toBeLessThan(scoreFor(c, 'rare', '/rare'));
    expect(scoreFor(c, 'common', '/rare', { idfShift: 10 })).toBeGreaterThan(scoreFor(c, 'common', '/rare'));
  });

  test('a negative idfShift widens the gap', () => {
    expect(gap({ idfShift: -0.5 })).toBeGreaterThan(gap());
  });

  describe('intentConcentration', () => {
    // "alternatives" is in every phrase of /alt (c = df = 3); "youtube", "download", "video" are in one phrase each.
    const m = classifierFor({
      language: 'en',
      intents: [
        { path: '/alt', phrases: ['alternatives to twitter', 'mint alternatives', 'good alternatives'] },
        { path: '/video', phrases: ['download youtube video'] },
      ],
    });
    const on = { intentConcentration: 1, intentTopK: 1 };
    const off = { intentConcentration: 0, intentTopK: 1 };

    test('a word repeated across one intent weighs more, so a request sharing it leans to that intent', () => {
      expect(scoreFor(m, 'youtube alternatives', '/alt', on)).toBeGreaterThan(scoreFor(m, 'youtube alternatives', '/alt', off));
      expect(scoreFor(m, 'youtube alternatives', '/video', on)).toBeLessThan(scoreFor(m, 'youtube alternatives', '/video', off));
    });

    test('words of a single phrase keep their weight', () => {
      expect(scoreFor(m, 'download youtube', '/video', on)).toBeCloseTo(scoreFor(m, 'download youtube', '/video', off), 9);
    });

    test('the accurate preset turns it on; the JAICP defaults leave it off', () => {
      const accurate = classifierFor({ language: 'en', settings: { preset: 'accurate' }, intents: [{ path: '/a', phrases: ['x'] }] });
      expect(accurate.model.settings.intentConcentration).toBe(0.75);
      expect(m.model.settings.intentConcentration).toBe(0);
    });
  });
});

describe('unmatched words', () => {
  const c = classifierFor({
    language: 'en',
    intents: [
      { path: '/short', phrases: ['book a table'] },
      { path: '/long', phrases: ['book a table by the window tonight'] },
    ],
  });

  test('extra request words lower the score, more of them lower it more', () => {
    const s0 = scoreFor(c, 'book a table', '/short');
    const s1 = scoreFor(c, 'book a table now', '/short');
    const s3 = scoreFor(c, 'book a table right now quickly', '/short');
    expect(s0).toBe(1);
    expect(s1).toBeLessThan(s0);
    expect(s3).toBeLessThan(s1);
    expect(s3).toBeGreaterThan(0);
  });

  test('extra phrase words lower the score', () => {
    const e = c.classifySync('book a table');
    expect(e.intent).toBe('/short');
    expect(scoreFor(c, 'book a table', '/long')).toBeLessThan(scoreFor(c, 'book a table', '/short'));
  });

  test('the explanation lists the unmatched words of both sides', () => {
    const e = c.classifySync('book a table please', { nBest: 1 });
    expect(e.explanation!.unmatchedRequest).toEqual(['please']);
    expect(e.explanation!.unmatchedPhrase).toEqual([]);
    const long = c.classifySync('book a table by the window');
    expect(long.intent).toBe('/long');
    expect(long.explanation!.unmatchedPhrase).toEqual(['tonight']);
  });
});

describe('Russian', () => {
  const c = classifierFor({
    language: 'ru',
    intents: [
      { path: '/taxi', phrases: ['заказать такси'] },
      { path: '/weather', phrases: ['какая погода'] },
    ],
  });

  test('scores the identical phrase 1', () => {
    expect(c.classifySync('Заказать такси').score).toBe(1);
  });

  test('aligns another form of a verb by lemma (заказал / заказать)', () => {
    const e = c.classifySync('заказал такси');
    expect(e.intent).toBe('/taxi');
    expect(pairOf(e, 'заказал')).toMatchObject({ phrase: 'заказать', type: 'lemma' });
    expect(pairOf(e, 'такси').type).toBe('exact');
    expect(e.score!).toBeLessThan(1);
    expect(e.score!).toBeGreaterThan(0.9);
  });

  test('scores two lemma matches in order exactly lemmaMatch (какую погоду / какая погода)', () => {
    const e = c.classifySync('какую погоду');
    expect(e.intent).toBe('/weather');
    expect(e.score).toBeCloseTo(0.95, 6);
  });

  test('matches "закажи такси" to the taxi intent', () => {
    const e = c.classifySync('закажи такси');
    expect(e.event).toBe('match');
    expect(e.intent).toBe('/taxi');
  });

  test('scores the words in the phrase’s order above the same words scrambled', () => {
    expect(scoreFor(c, 'такси заказать', '/taxi')).toBeLessThan(scoreFor(c, 'заказать такси', '/taxi'));
  });

  test('normalizes ё and case before matching', () => {
    const r = classifierFor({ language: 'ru', intents: [{ path: '/tree', phrases: ['ёлка'] }] });
    expect(r.classifySync('ЕЛКА').score).toBe(1);
  });
});

describe('score properties over random requests', () => {
  const source: IntentsFileInput = {
    language: 'en',
    synonyms: [{ words: ['cab', 'taxi'] }, { words: ['book', 'reserve'], weight: 0.5 }],
    stopWords: ['please'],
    intents: [
      { path: '/table', phrases: ['book a table', 'reserve a table for two', 'table for four tonight'] },
      { path: '/taxi', phrases: ['order a taxi', 'call me a cab', 'i need a taxi to the airport'] },
      { path: '/weather', phrases: ['what is the weather like', 'weather forecast for tomorrow'] },
      { path: '/urgent', phrases: ['as soon as possible', 'right now'] },
      { path: '/hello', phrases: ['hello', 'hi there', 'good morning'] },
      { path: '/bye', phrases: ['bye', 'see you later', 'good night'] },
      { path: '/ru', phrases: ['заказать такси', 'забронировать столик'] },
    ],
  };
  const c = classifierFor(source);
  const vocab = [
    ...new Set((source.intents ?? []).flatMap((i) => (i.phrases ?? []).flatMap((p) => (typeof p === 'string' ? p : p.text).split(' ')))),
    'booking', 'tabel', 'asap', 'eta', 'cabs', 'restarant', 'xyzzy', 'please', 'заказал', 'столика', '42', '!',
  ];
  const random = seededRandom(20240611);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const texts = Array.from({ length: 300 }, () => Array.from({ length: 1 + Math.floor(random() * 8) }, () => pick(vocab)).join(' '));
  const settings: ClassifyOptions[] = [{}, { lemmaMatch: 1 }, { wordSequence1: 1, wordSequence2: 1 }, { synonymContextWeight: 1 }, { idfShift: 2 }, { jaccardMatchThreshold: 0.5 }, { intentConcentration: 1 }];

  test('every score is in [0, 1], alternatives are sorted and at most nBest, match iff score > threshold', () => {
    for (const [k, text] of texts.entries()) {
      const options = settings[k % settings.length]!;
      const e = c.classifySync(text, options);
      expect(['match', 'noMatch']).toContain(e.event);
      expect(e.score).toBeGreaterThanOrEqual(0);
      expect(e.score).toBeLessThanOrEqual(1);
      expect(e.alternatives.length).toBeLessThanOrEqual(5);
      for (const [i, a] of e.alternatives.entries()) {
        expect(a.score).toBeGreaterThan(0);
        expect(a.score).toBeLessThanOrEqual(1);
        if (i > 0) expect(a.score).toBeLessThanOrEqual(e.alternatives[i - 1]!.score);
      }
      expect(e.event === 'match').toBe(e.score! > 0.2);
      if (e.alternatives.length > 0) expect(e.score).toBe(e.alternatives[0]!.score);
    }
  });

  test('the contributions of the explanation add up to the score', () => {
    for (const text of texts) {
      const e = c.classifySync(text);
      if (!e.explanation) continue;
      const sum = e.explanation.aligned.reduce((s, a) => s + a.contribution, 0);
      expect(Math.abs(sum - e.score!)).toBeLessThanOrEqual(1e-6 * (e.explanation.aligned.length + 1));
      expect(e.explanation.score).toBe(e.score);
    }
  });

  test('the pruned search finds the same best intents as scoring every candidate', () => {
    for (const [k, text] of texts.entries()) {
      const options = settings[k % settings.length]!;
      const pruned = c.classifySync(text, { ...options, explain: false });
      const exhaustive = c.classifySync(text, { ...options, nBest: 1000, explain: false });
      expect(pruned.alternatives).toEqual(exhaustive.alternatives.slice(0, 5));
    }
  });

  test('classifying is deterministic', () => {
    for (const text of texts.slice(0, 50)) {
      const { elapsedMs: _a, ...first } = c.classifySync(text);
      const { elapsedMs: _b, ...second } = c.classifySync(text);
      expect(second).toEqual(first);
    }
  });
});
