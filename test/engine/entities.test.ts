import { type Classifier, type ClassifyOptions } from '../../src/engine/classifier.js';
import { createClassifier } from '../../src/lexicons.js';
import type { AlignedWords, StsEvent } from '../../src/engine/event/events.js';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import { compileJaicp, stsErrorOf, stsErrorOfAsync } from '../helpers.js';

/**
 * Entities in phrases (`@City`, `@duckling.number`), throughPatternMatch, namedEntitiesRequired,
 * allowedPatterns and slots (reference §1 settings, §3 Caila slots), on small hand-made bots.
 */

const CITY_RU = {
  name: 'City',
  records: [
    { type: 'synonyms' as const, value: 'Moscow', words: ['Москва'] },
    { type: 'synonyms' as const, value: 'Saint Petersburg', words: ['Санкт-Петербург', 'Питер'] },
    { type: 'synonyms' as const, value: 'Nizhny Novgorod', words: ['Нижний Новгород'] },
  ],
};
const CITY_EN = {
  name: 'City',
  records: [
    { type: 'synonyms' as const, value: 'Moscow', words: ['Moscow'] },
    { type: 'synonyms' as const, value: 'Paris', words: ['Paris'] },
    { type: 'synonyms' as const, value: 'New York', words: ['New York', 'NYC'] },
  ],
};

const RU_WEATHER: IntentsFileInput = {
  language: 'ru',
  entities: [CITY_RU],
  intents: [
    { path: '/weather', phrases: ['погода в @City'], slots: [{ name: 'city', entity: 'City', required: true }] },
    { path: '/hello', phrases: ['привет'] },
  ],
};
const EN_WEATHER: IntentsFileInput = {
  language: 'en',
  entities: [CITY_EN],
  intents: [
    { path: '/weather', phrases: ['weather in @City'], slots: [{ name: 'city', entity: 'City', required: true }] },
    { path: '/hello', phrases: ['hello there'] },
  ],
};

function classifierOf(source: IntentsFileInput): Classifier {
  const { model, warnings } = compileJaicp(source);
  expect(warnings).toEqual([]);
  return createClassifier(model);
}
const bots = { ru: classifierOf(RU_WEATHER), en: classifierOf(EN_WEATHER) };

const entityPairs = (e: StsEvent): AlignedWords[] => e.explanation!.aligned.filter((p) => p.type === 'entity');
const contributions = (e: StsEvent) => e.explanation!.aligned.reduce((sum, p) => sum + p.contribution, 0);

describe('a phrase word @Entity aligns with the whole entity value in the request', () => {
  test.each([
    ['ru', 'погода в Москве', 'москве', 'a word form of the synonym (Москва → Москве)'],
    ['ru', 'погода в Питере', 'питере', 'another synonym of another value'],
    ['ru', 'погода в Нижнем Новгороде', 'нижнем новгороде', 'a multi-word value, inflected'],
    ['ru', 'Погода в САНКТ-ПЕТЕРБУРГЕ', 'санкт петербурге', 'a hyphenated value in capitals'],
    ['en', 'weather in Paris', 'paris', 'a single-word value'],
    ['en', 'weather in New York', 'new york', 'a multi-word value'],
    ['en', 'Weather in NEW   YORK', 'new york', 'a multi-word value in capitals with extra spaces'],
    ['en', 'weather in NYC', 'nyc', 'a synonym of a multi-word value'],
  ] as const)('%s "%s": one entity pair "%s" ↔ @City at throughPatternMatch (%s)', (lang, text, words, _why) => {
    const e = bots[lang].classifySync(text);
    expect(e).toMatchObject({ event: 'match', intent: '/weather', phrase: lang === 'ru' ? 'погода в @City' : 'weather in @City', rule: 'phrase' });
    expect(entityPairs(e)).toEqual([
      { request: words, phrase: '@City', type: 'entity', coefficient: 0.8, sequence: 1, weight: expect.any(Number), contribution: expect.any(Number) },
    ]);
    expect(e.explanation!.unmatchedRequest).toEqual([]);
    expect(e.explanation!.unmatchedPhrase).toEqual([]);
    // The pairs still explain the score: their contributions add up to it.
    expect(contributions(e)).toBeCloseTo(e.score!, 5);
  });

  test.each([
    ['ru', 'погода в Москве', 'погода в Лондоне', 'лондоне'],
    ['en', 'weather in Paris', 'weather in London', 'london'],
    ['en', 'weather in Paris', 'weather in city', 'city'], // the word "city" is not the entity
    ['en', 'weather in Paris', 'weather in @City', 'city'], // nor is "@City" typed by the user
  ] as const)('%s: "%s" scores above "%s", whose "%s" is no City value and stays unmatched', (lang, known, unknown, word) => {
    const a = bots[lang].classifySync(known);
    const b = bots[lang].classifySync(unknown);
    expect(a.score!).toBeGreaterThan(b.score!);
    expect(entityPairs(b)).toEqual([]);
    expect(b.explanation!.unmatchedRequest).toEqual([word]);
    expect(b.explanation!.unmatchedPhrase).toEqual(['@City']);
  });

  test('the entity pair weighs the phrase word and every word of the value', () => {
    const one = entityPairs(bots.en.classifySync('weather in Paris'))[0]!;
    const two = entityPairs(bots.en.classifySync('weather in New York'))[0]!;
    expect(two.weight).toBeGreaterThan(one.weight);
  });
});

describe('throughPatternMatch', () => {
  const scoreOf = (options: ClassifyOptions) => bots.en.classifySync('weather in Paris', options);

  test('a higher value per call gives a higher score, and the entity pair carries that coefficient', () => {
    const values = [0.2, 0.4, 0.8, 1];
    const events = values.map((throughPatternMatch) => scoreOf({ throughPatternMatch }));
    const scores = events.map((e) => e.score!);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(new Set(scores).size).toBe(values.length);
    expect(events.map((e) => entityPairs(e)[0]!.coefficient)).toEqual(values);
    expect(events[3]!.score).toBe(1); // every word matched at coefficient 1, in one run
  });

  test('0 turns the entity pairing off: the value and @City stay unmatched, as for a city the entity does not know', () => {
    const off = scoreOf({ throughPatternMatch: 0 });
    expect(entityPairs(off)).toEqual([]);
    expect(off.explanation!.unmatchedRequest).toEqual(['paris']);
    expect(off.explanation!.unmatchedPhrase).toEqual(['@City']);
    expect(off.score).toBe(bots.en.classifySync('weather in London').score);
    expect(off.slots).toEqual([{ name: 'city', entity: 'City', value: 'Paris', text: 'Paris', start: 11, end: 16 }]); // slots do not depend on it
  });

  test('an override applies to its call only; the model default is 0.8', () => {
    const before = scoreOf({});
    scoreOf({ throughPatternMatch: 0.1 });
    expect(scoreOf({})).toEqual({ ...before, elapsedMs: expect.any(Number) });
    expect(entityPairs(before)[0]!.coefficient).toBe(0.8);
  });

  test("the source's own setting is the default of its model", () => {
    const c = classifierOf({ ...EN_WEATHER, settings: { throughPatternMatch: 0.5 } });
    const e = c.classifySync('weather in Paris');
    expect(entityPairs(e)[0]!.coefficient).toBe(0.5);
    expect(e.score).toBeLessThan(bots.en.classifySync('weather in Paris').score!);
  });
});

describe('@duckling.number and @number in phrases', () => {
  const apples = (language: string, phrase: string): IntentsFileInput => ({
    language,
    intents: [
      { path: '/apples', phrases: [phrase], slots: [{ name: 'count', entity: 'duckling.number' }] },
      { path: '/hello', phrases: [language === 'ru' ? 'привет' : 'hello'] },
    ],
  });
  const bot = {
    'en @duckling.number': classifierOf(apples('en', 'i need @duckling.number apples')),
    'en @number': classifierOf(apples('en', 'i need @number apples')),
    'ru @duckling.number': classifierOf(apples('ru', 'мне нужно @duckling.number яблок')),
  };

  test.each([
    ['en @duckling.number', 'i need 5 apples', '5', 5],
    ['en @duckling.number', 'i need twenty five apples', 'twenty five', 25],
    ['en @duckling.number', 'I need 1,000 apples', '1,000', 1000],
    ['en @number', 'i need 5 apples', '5', 5],
    ['en @number', 'i need twenty five apples', 'twenty five', 25],
    ['ru @duckling.number', 'мне нужно пять яблок', 'пять', 5],
    ['ru @duckling.number', 'Мне нужно 12 яблок', '12', 12],
    ['ru @duckling.number', 'мне нужно двадцать пять яблок', 'двадцать пять', 25],
  ] as const)('%s: "%s" pairs "%s" with @number and fills the slot with %s', (name, text, said, value) => {
    const e = bot[name].classifySync(text);
    expect(e).toMatchObject({ event: 'match', intent: '/apples' });
    // Caila's alias is resolved at compile time: the phrase word is the built-in @number.
    expect(entityPairs(e).map((p) => [p.phrase, p.coefficient])).toEqual([['@number', 0.8]]);
    expect(e.explanation!.unmatchedRequest).toEqual([]);
    expect(e.slots).toEqual([
      { name: 'count', entity: 'duckling.number', value, text: expect.any(String), start: text.indexOf(said), end: text.indexOf(said) + said.length },
    ]);
    expect(e.slots![0]!.text).toBe(said);
  });

  test('@duckling.number and @number compile to the same model', () => {
    expect(bot['en @duckling.number'].model.terms).toEqual(bot['en @number'].model.terms);
    expect(bot['en @duckling.number'].model.terms).toContain('@number');
  });
});

describe('namedEntitiesRequired', () => {
  // JAICP's own example (reference §1): "Мне нужно @duckling.number яблок" vs "Мне нужно яблок".
  const ru = classifierOf({ language: 'ru', intents: [{ path: '/apples', phrases: ['Мне нужно @duckling.number яблок'] }] });
  const en = classifierOf({ language: 'en', intents: [{ path: '/apples', phrases: ['i need @duckling.number apples'] }, { path: '/hello', phrases: ['hello'] }] });
  const enRequired = classifierOf({
    language: 'en',
    settings: { namedEntitiesRequired: true },
    intents: [{ path: '/apples', phrases: ['i need @duckling.number apples'] }, { path: '/hello', phrases: ['hello'] }],
  });

  const bot = { ru, en, enRequired };
  test.each([
    ['ru, false', 'Мне нужно яблок', 'match', 'ru', { namedEntitiesRequired: false }],
    ['ru, true', 'Мне нужно яблок', 'noMatch', 'ru', { namedEntitiesRequired: true }],
    ['ru, true, with a number', 'Мне нужно 5 яблок', 'match', 'ru', { namedEntitiesRequired: true }],
    ['ru, true, with a number word', 'мне нужно пять яблок', 'match', 'ru', { namedEntitiesRequired: true }],
    ['en, false (the default)', 'i need apples', 'match', 'en', {}],
    ['en, true', 'i need apples', 'noMatch', 'en', { namedEntitiesRequired: true }],
    ['en, true, with a number', 'i need 3 apples', 'match', 'en', { namedEntitiesRequired: true }],
    ['en, true in the model', 'i need apples', 'noMatch', 'enRequired', {}],
    ['en, true in the model, false per call', 'i need apples', 'match', 'enRequired', { namedEntitiesRequired: false }],
  ] as const)('%s: "%s" → %s', (_name, text, event, which, options: ClassifyOptions) => {
    const e = bot[which].classifySync(text, options);
    expect(e.event).toBe(event);
    if (event === 'match') {
      expect(e.intent).toBe('/apples');
    } else {
      // The phrase scores 0: the intent is not even an alternative.
      expect(e.alternatives.map((a) => a.intent)).not.toContain('/apples');
    }
  });

  test('without the entity and not required, the phrase scores what its other words give', () => {
    const e = en.classifySync('i need apples');
    expect(e.explanation!.unmatchedPhrase).toEqual(['@number']);
    expect(e.score).toBeLessThan(en.classifySync('i need 5 apples').score!);
  });

  test('a phrase without @Entity is not affected', () => {
    expect(en.classifySync('hello', { namedEntitiesRequired: true })).toMatchObject({ event: 'match', intent: '/hello', score: 1 });
  });
});

describe('allowedPatterns: literal values of the entity in phrases stand for any of its values', () => {
  const source = (allowedPatterns: string[]): IntentsFileInput => ({
    language: 'en',
    entities: [CITY_EN],
    allowedPatterns,
    intents: [
      { path: '/weather', phrases: ['weather in Moscow'] },
      { path: '/hello', phrases: ['hello there'] },
    ],
  });
  const withIt = classifierOf(source(['City']));
  const without = classifierOf(source([]));

  test.each([
    ['weather in Paris', 'paris'],
    ['weather in New York', 'new york'],
    ['weather in NYC', 'nyc'],
  ])('with allowedPatterns: [City], "%s" matches "weather in Moscow" with an entity pair "%s" ↔ @City', (text, words) => {
    const e = withIt.classifySync(text);
    expect(e).toMatchObject({ event: 'match', intent: '/weather', phrase: 'weather in Moscow' }); // the phrase as written
    expect(entityPairs(e).map((p) => [p.request, p.phrase])).toEqual([[words, '@City']]);
    expect(e.explanation!.unmatchedRequest).toEqual([]);
  });

  test.each(['weather in Paris', 'weather in New York'])('without it, "%s" leaves the city unmatched and scores lower', (text) => {
    const e = without.classifySync(text);
    expect(entityPairs(e)).toEqual([]);
    expect(e.explanation!.unmatchedPhrase).toEqual(['moscow']);
    expect(e.score).toBeLessThan(withIt.classifySync(text).score!);
  });

  test('a city the entity does not know scores the same either way', () => {
    expect(withIt.classifySync('weather in London').score).toBe(without.classifySync('weather in London').score);
  });

  test('the phrase word is the entity, not Moscow: with it, "weather in Moscow" itself is an entity pair, not an exact one', () => {
    expect(withIt.model.terms).toContain('@City');
    expect(withIt.model.terms).not.toContain('moscow');
    expect(without.classifySync('weather in Moscow').score).toBe(1);
    const e = withIt.classifySync('weather in Moscow');
    expect(entityPairs(e).map((p) => p.request)).toEqual(['moscow']);
    expect(e.score).toBe(bots.en.classifySync('weather in Moscow').score); // as if the phrase said "weather in @City"
  });
});

describe('slots', () => {
  const TRIP: IntentsFileInput = {
    language: 'en',
    entities: [CITY_EN],
    intents: [
      {
        path: '/trip',
        answer: 'Booked',
        phrases: ['a trip from @City to @City'],
        slots: [
          { name: 'from', entity: '@City' },
          { name: 'to', entity: 'City', required: true },
          { name: 'stops', entity: 'City', array: true },
          { name: 'people', entity: 'number', required: true },
          { name: 'nights', entity: 'duckling.number', array: true },
        ],
      },
      { path: '/hello', phrases: ['hello there'] },
    ],
  };
  const trip = classifierOf(TRIP);

  test('slots of one entity take its values in turn, each value once: a single slot the next, an array slot the rest, with value, text, start and end', () => {
    const text = 'a trip from Moscow to New York via Paris and NYC for 2 people';
    const e = trip.classifySync(text);
    expect(e).toMatchObject({ event: 'match', intent: '/trip', answer: 'Booked' });
    expect(e.slots).toEqual([
      { name: 'from', entity: 'City', value: 'Moscow', text: 'Moscow', start: 12, end: 18 },
      { name: 'to', entity: 'City', value: 'New York', text: 'New York', start: 22, end: 30 },
      { name: 'stops', entity: 'City', value: 'Paris', text: 'Paris', start: 35, end: 40 },
      { name: 'stops', entity: 'City', value: 'New York', text: 'NYC', start: 45, end: 48 },
      // "2" went to people: nights (the same built-in under its Caila name) gets nothing.
      { name: 'people', entity: 'number', value: 2, text: '2', start: 53, end: 54 },
    ]);
    expect(e.missingSlots).toBeUndefined();
  });

  // Once the same value filled every slot of its entity: "from Moscow" gave to = Moscow, and a bot never asked "where to?".
  test('one value fills one slot: the next slot of its entity is left empty, and listed when required', () => {
    const e = trip.classifySync('a trip from Moscow for 2 people');
    expect(e.slots!.map((s) => [s.name, s.value])).toEqual([
      ['from', 'Moscow'],
      ['people', 2],
    ]);
    expect(e.missingSlots).toEqual(['to']);
  });

  test.each([
    ['a trip from Moscow to New York for 2 people'],
    ['A TRIP from NYC to   Paris for two people'],
    ['😀 a trip from Paris to Moscow for twenty one people!'], // a character of two UTF-16 units before the values
    ['trip frm moscow to new york fr three ppl'],
  ])('"%s": every slot text is text.slice(start, end)', (text) => {
    const e = trip.classifySync(text);
    expect(e.slots!.length).toBeGreaterThanOrEqual(3);
    for (const slot of e.slots!) expect(text.slice(slot.start, slot.end)).toBe(slot.text);
  });

  test('missingSlotPrompts: the prompts of the missing slots that have some, by name (any name, "__proto__" too)', () => {
    const source = (name: string): IntentsFileInput => ({
      ...EN_WEATHER,
      intents: [
        {
          path: '/weather',
          phrases: ['weather in @City', 'will it rain'],
          slots: [
            { name, entity: 'City', required: true, prompts: ['Where?', 'Which city?'] },
            { name: 'n', entity: 'number', required: true },
            { name: 'd', entity: 'number', prompts: ['How many days?'] },
          ],
        },
      ],
    });
    for (const name of ['city', '__proto__']) {
      const c = classifierOf(source(name));
      const e = c.classifySync('will it rain');
      expect(e.missingSlots).toEqual([name, 'n']);
      expect(Object.entries(e.missingSlotPrompts!)).toEqual([[name, ['Where?', 'Which city?']]]); // n has none, d is not required
      expect(JSON.parse(JSON.stringify(e)).missingSlotPrompts).toEqual(JSON.parse(`{"${name}": ["Where?", "Which city?"]}`));
      expect(c.classifySync('weather in Paris')).not.toHaveProperty('missingSlotPrompts'); // only n is missing: no prompts
    }
  });

  test('a required slot the request does not fill is listed in missingSlots; the others are still filled', () => {
    const e = trip.classifySync('a trip from Moscow to Paris');
    expect(e.event).toBe('match');
    expect(e.missingSlots).toEqual(['people']);
    expect(e.slots!.map((s) => [s.name, s.value])).toEqual([
      ['from', 'Moscow'],
      ['to', 'Paris'],
    ]);
  });

  test('the Russian bot: the slot value is the record value, the text the word form said', () => {
    const text = 'погода в Нижнем Новгороде';
    const e = bots.ru.classifySync(text);
    expect(e.slots).toEqual([{ name: 'city', entity: 'City', value: 'Nizhny Novgorod', text: 'Нижнем Новгороде', start: 9, end: 25 }]);
    expect(text.slice(9, 25)).toBe('Нижнем Новгороде');
    expect(bots.ru.classifySync('погода в Лондоне')).toMatchObject({ event: 'match', slots: [], missingSlots: ['city'] });
  });

  test.each([
    ['digits', 'a trip from Paris to Moscow for 3 people', 3],
    ['words', 'a trip from Paris to Moscow for twenty one people', 21],
  ])('a number slot gets a number value (%s)', (_name, text, value) => {
    const people = trip.classifySync(text).slots!.find((s) => s.name === 'people')!;
    expect(people.value).toBe(value);
    expect(typeof people.value).toBe('number');
  });

  test('an intent without slots has no slots in its events; a noMatch has none either', () => {
    const hello = trip.classifySync('hello there');
    expect(hello).toMatchObject({ event: 'match', intent: '/hello' });
    expect(hello).not.toHaveProperty('slots');
    expect(hello).not.toHaveProperty('missingSlots');
    const none = trip.classifySync('qwxz vbnm');
    expect(none.event).toBe('noMatch');
    expect(none).not.toHaveProperty('slots');
    expect(none).not.toHaveProperty('missingSlots');
  });

  test('slots are part of the compiled model (required and array default to false)', () => {
    expect(trip.model.intents[0]!.slots).toEqual([
      { name: 'from', entity: 'City', required: false, array: false },
      { name: 'to', entity: 'City', required: true, array: false },
      { name: 'stops', entity: 'City', required: false, array: true },
      { name: 'people', entity: 'number', required: true, array: false },
      { name: 'nights', entity: 'duckling.number', required: false, array: true },
    ]);
    expect(trip.model.intents[1]).not.toHaveProperty('slots');
  });

  // A slot of @duckling.time (which the Caila fixture has) or of an entity nobody defined can never
  // be filled, and a required one makes every match report it missing: compile reports it, as it
  // reports @references of phrases and patterns to entities it does not have.
  test('a slot of an entity that is neither defined nor built in is reported by compile', () => {
    const { warnings } = compileJaicp({
      language: 'en',
      intents: [
        {
          path: '/remind',
          phrases: ['remind me to call mom'],
          slots: [{ name: 'when', entity: 'duckling.time' }, { name: 'who', entity: 'Person', required: true }],
        },
      ],
    });
    expect(warnings).toEqual([
      expect.stringMatching(/^unsupported entity @duckling\.time \(used by \/remind\): /),
      expect.stringMatching(/^unsupported entity @Person \(used by \/remind\): /),
    ]);
  });
});

describe('an entity we do not have (@duckling.time, an undefined custom one)', () => {
  const source: IntentsFileInput = {
    language: 'en',
    intents: [
      { path: '/remind', phrases: ['remind me @duckling.time'] },
      { path: '/call', phrases: ['call me @duckling.time please', 'call @Person'] },
      { path: '/hello', phrases: ['hello'] },
    ],
  };
  const { model, warnings } = compileJaicp(source);
  const c = createClassifier(model);

  test('compile warns once per entity, naming the intents that use it', () => {
    expect(warnings).toEqual([
      'unsupported entity @duckling.time (used by /remind, /call): it is not defined and not built in, so it never matches',
      'unsupported entity @Person (used by /call): it is not defined and not built in, so it never matches',
    ]);
  });

  test.each(['remind me tomorrow', 'remind me at 5 pm', 'remind me in 10 minutes', 'remind me @duckling.time', 'remind me duckling time'])(
    '"%s": the @duckling.time word never aligns',
    (text) => {
      const e = c.classifySync(text);
      expect(e.intent).toBe('/remind');
      expect(entityPairs(e)).toEqual([]);
      expect(e.explanation!.unmatchedPhrase).toEqual(['@duckling.time']);
    },
  );

  test('with namedEntitiesRequired, its phrases can never match', () => {
    for (const text of ['remind me tomorrow', 'remind me at 5 pm', 'call me at noon please', 'call John']) {
      const e = c.classifySync(text, { namedEntitiesRequired: true });
      expect([text, e.alternatives.map((a) => a.intent)]).toEqual([text, []]);
    }
  });
});

describe('the entities of the request in the event', () => {
  test('lists every entity found, with its value, text and offsets, also on noMatch', () => {
    const c = createClassifier(
      compileJaicp({
        language: 'en',
        entities: [{ name: 'City', records: [{ type: 'synonyms', value: 'New York', words: ['new york', 'nyc'] }] }],
        intents: [{ path: '/weather', phrases: ['weather in @City'] }],
      }).model,
    );
    const text = 'two tickets to NYC';
    const e = c.classifySync(text);
    expect(e.entities).toEqual([
      { entity: 'number', value: 2, text: 'two', start: 0, end: 3 },
      { entity: 'City', value: 'New York', text: 'NYC', start: 15, end: 18 },
    ]);
    for (const found of e.entities!) expect(text.slice(found.start, found.end)).toBe(found.text);
    expect(c.classifySync('hello').entities).toBeUndefined();
  });

  test('lookupEntities: the same entities without classifying; none past the length or word limit; a text that is not a string is refused', async () => {
    const c = createClassifier(
      compileJaicp({
        language: 'en',
        settings: { lengthLimit: 40, wordLimit: 5 },
        entities: [{ name: 'City', records: [{ type: 'synonyms', value: 'New York', words: ['new york', 'nyc'] }] }],
        intents: [{ path: '/weather', phrases: ['weather in @City'] }],
      }).model,
    );
    for (const text of ['two tickets to NYC', 'hello', '']) {
      const expected = { entities: c.classifySync(text).entities ?? [], overLimit: false, timedOut: false };
      expect(await c.lookupEntities(text)).toEqual(expected);
      expect(c.lookupEntitiesSync(text)).toEqual(expected);
    }
    expect(await c.lookupEntities('two tickets to NYC, please, and more tickets')).toEqual({ entities: [], overLimit: true, timedOut: false }); // 44 characters
    expect(c.lookupEntitiesSync('one two three four five six')).toEqual({ entities: [], overLimit: true, timedOut: false }); // 6 words
    expect(await stsErrorOfAsync(() => c.lookupEntities(42 as unknown as string))).toMatchObject({ code: 'invalid_input', message: 'text must be a string, got number' });
    expect(stsErrorOf(() => c.lookupEntitiesSync(42 as unknown as string))).toMatchObject({ code: 'invalid_input' });
  });
});
