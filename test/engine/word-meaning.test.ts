import { compile } from '../../src/model/compile-source.js';
import { createClassifier, englishVectors } from '../../src/lexicons.js';
import type { AlignedWords } from '../../src/engine/event/events.js';

/**
 * Word meaning beyond word forms (the default preset): pairs of words close in meaning (English
 * word vectors), of the same stem, of a thesaurus's synonyms (Russian), and typos corrected to
 * the phrases' words. Each pair the explanation lists names the request word, the phrase word
 * and the kind of match, so a user can see why a text matched.
 */

const english = createClassifier(
  compile({
    intents: [
      { path: '/Cash/Withdraw', phrases: ['i want to withdraw money', 'take out some money'] },
      { path: '/Table/Book', phrases: ['book a table for two', 'reserve a table'] },
      { path: '/Weather', phrases: ['what is the weather today', 'will it rain'] },
    ],
  }).model,
);

const russian = createClassifier(
  compile({
    intents: [
      { path: '/Cost', phrases: ['какая стоимость доставки', 'сколько стоит доставка'] },
      { path: '/Cancel', phrases: ['отмените заказ', 'хочу отменить заказ'] },
      { path: '/Balance', phrases: ['проверить баланс', 'какой у меня баланс'] },
    ],
  }).model,
);

function pairs(event: { explanation?: { aligned: AlignedWords[] } }): [string, string, string][] {
  return (event.explanation?.aligned ?? []).map((a) => [a.request, a.phrase, a.type]);
}

test('a word the phrases lack pairs with a phrase word close in meaning: cash ~ money is a vector pair', () => {
  const e = english.classifySync('withdraw some cash');
  expect(e.event).toBe('match');
  expect(e.intent).toBe('/Cash/Withdraw');
  expect(pairs(e)).toContainEqual(['cash', 'money', 'vector']);
  // Its coefficient is vectorMatch scaled by the words' cosine: below an exact pair's.
  const pair = e.explanation!.aligned.find((a) => a.type === 'vector')!;
  expect(pair.coefficient).toBeGreaterThan(0.4);
  expect(pair.coefficient).toBeLessThan(0.8);
});

test('another form of a phrase word is a lemma pair: booking ~ book', () => {
  const e = english.classifySync('booking a table');
  expect(e.intent).toBe('/Table/Book');
  expect(pairs(e)).toContainEqual(['booking', 'book', 'lemma']);
});

test("the regression's explanation says how much the letters and the meaning of the words pulled", () => {
  const probability = english.classifySync('withdraw some cash').explanation?.probability;
  expect(probability?.letters).toEqual(expect.any(Number));
  expect(probability?.meaning).toEqual(expect.any(Number));
  expect(probability?.words.map((w) => w.word)).toEqual(['withdraw', 'some']);
});

test('a Russian word the phrases lack pairs with its thesaurus synonym: цена ~ стоимость', () => {
  const e = russian.classifySync('какая цена доставки');
  expect(e.intent).toBe('/Cost');
  expect(pairs(e)).toContainEqual(['цена', 'стоимость', 'synonym']);
});

test('each thesaurus gives its own links in the stems of each language, whichever was stemmed before (its stems are kept with it)', () => {
  const linksOf = (table: Map<string, string[]>, language: string) => {
    const source = { language, intents: [{ path: '/Cost', phrases: ['какая стоимость доставки'] }, { path: '/Tariff', phrases: ['какой тариф'] }] };
    const { model } = compile(source, { thesaurus: table });
    return Object.values(model.thesaurus ?? {}).flatMap((links) => links.map(([, from, to]) => `${from}→${to}`));
  };
  const toCost = new Map([['цена', ['стоимость']]]);
  const toTariff = new Map([['цена', ['тариф']]]);
  expect(linksOf(toCost, 'ru')).toEqual(['цена→стоимость']);
  expect(linksOf(toTariff, 'ru')).toEqual(['цена→тариф']);
  expect(linksOf(toCost, 'ru')).toEqual(['цена→стоимость']);
  // Ukrainian stems «стоимость» otherwise than Russian: its model's words are not Russian stems.
  expect(linksOf(toCost, 'uk')).toEqual(['цена→стоимость']);
});

test('compile() reads the vectors it is given instead of the shipped ones', () => {
  const words = ['cash', 'money'];
  const table = { id: 'two-words', dims: 2, size: 2, row: (w: string) => words.indexOf(w), data: Int8Array.from([127, 0, 127, 0]) };
  const source = { intents: [{ path: '/Cash', phrases: ['take out some money'] }, { path: '/Table', phrases: ['book a table'] }] };
  expect(compile(source).model.vectors).toBe(englishVectors().id);
  expect(compile(source, { vectors: table }).model.vectors).toBe('two-words');
});

test('a mistyped word pairs with the phrase word it stands for: балланс ~ баланс', () => {
  const e = russian.classifySync('хочу глянуть балланс');
  expect(e.intent).toBe('/Balance');
  expect(pairs(e)).toContainEqual(['балланс', 'баланс', 'jaccard']);
});

test('JAICP defaults pair none of these: the word no phrase holds stays unmatched', () => {
  const jaicp = createClassifier(compile({ settings: { preset: 'jaicp' }, intents: [{ path: '/Cash', phrases: ['take out some money'] }] }).model);
  expect(pairs(jaicp.classifySync('take out some cash')).map(([, , type]) => type)).not.toContain('vector');
});
