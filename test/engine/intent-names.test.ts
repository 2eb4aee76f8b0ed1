import { compile } from '../../src/model/compile-source.js';
import { createClassifier, englishVectors } from '../../src/lexicons.js';
import { nameRows, nameText } from '../../src/engine/probability/name-rows.js';
import { featureSpace } from '../../src/engine/probability/features.js';
import { flatPhrases, phraseInputs } from '../../src/engine/probability/model-regression.js';
import { trainFeatureRegression } from '../../src/engine/probability/intent-probability.js';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import type { Model } from '../../src/model/model-schema.js';

/**
 * intentNames (the default preset): each intent's name is one more training row of the
 * regression, where it can describe the intent.
 */

const shop: IntentsFileInput['intents'] = [
  { path: '/Billing/Refund', phrases: ['give my cash back', 'i was charged twice'] },
  { path: '/Delivery/Track', phrases: ['where is my parcel', 'when will it arrive'] },
  { path: '/Account/Close', phrases: ['delete my profile', 'i am leaving for good'] },
];

/** The model's name rows, read with the word vectors as a compiled English model reads them. */
function rowsOf(model: Model) {
  return nameRows(model, featureSpace(model, model.vectors === undefined ? undefined : englishVectors()));
}

test("a request in the words of an intent's name ranks that intent first, which the phrases alone did not", () => {
  const withNames = createClassifier(compile({ intents: shop }).model);
  const without = createClassifier(compile({ settings: { intentNames: false }, intents: shop }).model);
  for (const [text, intent] of [['track my delivery', '/Delivery/Track'], ['close account', '/Account/Close']] as const) {
    expect(without.classifySync(text, { threshold: 0 }).alternatives[0]?.intent).not.toBe(intent);
    const e = withNames.classifySync(text);
    expect(e.event).toBe('match');
    expect(e.intent).toBe(intent);
  }
});

test('it acts when the model is compiled: a call cannot set it', () => {
  const classifier = createClassifier(compile({ intents: shop }).model);
  expect(() => classifier.classifySync('refund', { intentNames: true } as never)).toThrow(/intentNames/);
});

test('names split at separators, changes of case and between letters and digits', () => {
  expect(nameText('pto_request')).toBe('pto request');
  expect(nameText('/Billing/PayInvoice2')).toBe('billing pay invoice 2');
  expect(nameText('AddToPlaylist')).toBe('add to playlist');
  expect(nameText('HTTPError')).toBe('http error');
  expect(nameText('mp3player')).toBe('mp 3 player');
  expect(nameText('/B2B/Sales')).toBe('b 2 b sales');
  expect(nameText('/Погода/ПрогнозНаЗавтра')).toBe('погода прогноз на завтра');
  expect(nameText('Change Password')).toBe('change password');
  expect(nameText('/faq.opening-hours/')).toBe('faq opening hours');
  expect(nameText('/')).toBe('');
});

test('one row for each intent with phrases and a name in their script; none when off', () => {
  const model = compile({ intents: [...shop, { path: '/Main/Hours', patterns: ['~hour'] }] }).model;
  expect(rowsOf(model).map((r) => r.intent)).toEqual([0, 1, 2]);
  expect(rowsOf(compile({ settings: { intentNames: false }, intents: shop }).model)).toEqual([]);
  const russian = compile({ intents: [{ path: '/Возврат', phrases: ['хочу возврат денег'] }, { path: '/Посылка', phrases: ['где моя посылка'] }] }).model;
  expect(rowsOf(russian).map((r) => r.intent)).toEqual([0, 1]);
});

test("a name not in the script of its own intent's phrases makes no row, entity references aside", () => {
  // English paths over Russian phrases, beside English ones: only the English intents are named.
  const mixed = compile({
    intents: [...shop, { path: '/ru/Billing/Refund', phrases: ['верните деньги'] }, { path: '/ru/Delivery/Track', phrases: ['где моя посылка'] }],
  }).model;
  expect(rowsOf(mixed).map((r) => r.intent)).toEqual([0, 1, 2]);
  // Latin entity names do not make Russian phrases Latin: counted, they would outnumber the
  // Cyrillic letters here, and "taxi" would give the English names a stem to read.
  const city = { name: 'CityName', records: [{ type: 'synonyms' as const, value: 'Moscow', words: ['Москва'] }] };
  const time = { name: 'TimeOfDay', records: [{ type: 'synonyms' as const, value: 'morning', words: ['утро'] }] };
  const intents = [
    { path: '/Taxi/Order', phrases: ['закажи taxi в @CityName', 'закажите такси'] },
    { path: '/Taxi/Cancel', phrases: ['отмени taxi на @TimeOfDay'] },
  ];
  expect(rowsOf(compile({ language: 'ru', entities: [city, time], intents }).model)).toEqual([]);
  // The same intents with phrases in English are named.
  const english = [
    { path: '/Taxi/Order', phrases: ['order a taxi to @CityName'] },
    { path: '/Taxi/Cancel', phrases: ['cancel the taxi for @TimeOfDay'] },
  ];
  expect(rowsOf(compile({ language: 'en', entities: [city, time], intents: english }).model).map((r) => r.intent)).toEqual([0, 1]);
});

test('words in more than half of the names, and numbers, are dropped', () => {
  const intents = [
    { path: '/Main/Hello', phrases: ['hello there'] },
    { path: '/Main/Bye', phrases: ['see you'] },
    { path: '/Main/Option2', phrases: ['option 2 please'] },
    { path: '/Main', phrases: ['main menu'] },
  ];
  const model = compile({ intents }).model;
  const rows = rowsOf(model);
  // "/Main" keeps no word, so it makes no row.
  expect(rows.map((r) => r.intent)).toEqual([0, 1, 2]);
  for (const word of ['main', '2']) {
    const stem = model.stems.indexOf(word);
    expect(stem).toBeGreaterThanOrEqual(0);
    for (const r of rows) expect(r.input.stems).not.toContain(stem);
  }
  expect(rows[2]?.input.stems).toContain(model.stems.indexOf('option'));
});

test('a name with nothing the regression reads makes no row', () => {
  // JAICP's defaults read stems only: a name whose words are in no phrase gives it nothing.
  const model = compile({ settings: { preset: 'jaicp', probabilityWeight: 0.5, intentNames: true }, intents: shop }).model;
  expect(rowsOf(model)).toEqual([]);
  const shared = compile({ settings: { preset: 'jaicp', probabilityWeight: 0.5, intentNames: true }, intents: [...shop, { path: '/Profile', phrases: ['show my profile'] }] }).model;
  expect(rowsOf(shared).map((r) => r.intent)).toEqual([3]);
});

test("extra rows keep the phrases' training order: at a weight near 0 they leave the regression as it was", () => {
  // Trigrams make every gradient count (none is skipped with few phrases), as in the default preset.
  const model = compile({ settings: { intentNames: false, wordVectors: 0 }, intents: shop }).model;
  const space = featureSpace(model);
  expect(space.gramLength).toBe(3);
  const docs = phraseInputs(model, space, flatPhrases(model, Int32Array.from(model.termStems)));
  const { phraseIntent } = flatPhrases(model, Int32Array.from(model.termStems));
  const extra = (weight: number) => [0, 1, 2].map((intent) => ({ input: { stems: [intent], grams: [space.stems + intent], gramValue: 1 }, intent, weight }));
  const plain = trainFeatureRegression(space.rows, 0, docs, phraseIntent, 3);
  const faint = trainFeatureRegression(space.rows, 0, docs, phraseIntent, 3, undefined, 1, extra(1e-12));
  const heavy = trainFeatureRegression(space.rows, 0, docs, phraseIntent, 3, undefined, 1, extra(1));
  expect(faint.passes).toBe(plain.passes);
  expect(faint.weights.length).toBe(plain.weights.length);
  for (let k = 0; k < plain.bias.length; k++) expect(faint.bias[k]).toBeCloseTo(plain.bias[k] as number, 9);
  for (let k = 0; k < plain.weights.length; k++) expect(faint.weights[k]).toBeCloseTo(plain.weights[k] as number, 6);
  expect([...heavy.weights].some((w, k) => Math.abs(w - (plain.weights[k] ?? 0)) > 1e-3)).toBe(true);
});
