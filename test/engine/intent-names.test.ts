import { compile } from '../../src/model/compile-source.js';
import { createClassifier } from '../../src/lexicons.js';
import { nameRows, nameText } from '../../src/engine/probability/name-rows.js';
import { featureSpace } from '../../src/engine/probability/features.js';
import { flatPhrases } from '../../src/engine/probability/model-regression.js';
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

function rowsOf(model: Model) {
  return nameRows(model, featureSpace(model), flatPhrases(model, Int32Array.from(model.termStems)).phraseIntent);
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

test('names split at separators, case changes and digits', () => {
  expect(nameText('pto_request')).toBe('pto request');
  expect(nameText('/Billing/PayInvoice2')).toBe('billing pay invoice 2');
  expect(nameText('AddToPlaylist')).toBe('add to playlist');
  expect(nameText('/Погода/ПрогнозНаЗавтра')).toBe('погода прогноз на завтра');
  expect(nameText('Change Password')).toBe('change password');
  expect(nameText('/faq.opening-hours')).toBe('faq opening hours');
});

test('one row per intent that has phrases and a name in their script, weighing one phrase', () => {
  const model = compile({ intents: [...shop, { path: '/Main/Hours', patterns: ['~hour'] }] }).model;
  expect(rowsOf(model).map((r) => [r.intent, r.weight])).toEqual([[0, 1], [1, 1], [2, 1]]);
  expect(rowsOf(compile({ settings: { intentNames: false }, intents: shop }).model)).toEqual([]);
  // English names over Russian phrases describe nothing the regression could read.
  const russian = compile({ intents: [{ path: '/Refund', phrases: ['верните деньги'] }, { path: '/Track', phrases: ['где моя посылка'] }] }).model;
  expect(rowsOf(russian)).toEqual([]);
  const named = compile({ intents: [{ path: '/Возврат', phrases: ['верните деньги'] }, { path: '/Посылка', phrases: ['где моя посылка'] }] }).model;
  expect(rowsOf(named)).toHaveLength(2);
});

test('words in the names of more than half the intents, and numbers, are dropped', () => {
  const intents = [
    { path: '/Main/Hello', phrases: ['hello there'] },
    { path: '/Main/Bye', phrases: ['see you'] },
    { path: '/Main/Thanks1', phrases: ['thank you'] },
    { path: '/Main', phrases: ['main menu'] },
  ];
  const model = compile({ intents }).model;
  const rows = rowsOf(model);
  // "/Main" keeps no word, so it has no row; "main" (a phrase word) is a stem row nowhere.
  expect(rows.map((r) => r.intent)).toEqual([0, 1, 2]);
  const main = model.stems.indexOf('main');
  expect(main).toBeGreaterThanOrEqual(0);
  for (const r of rows) expect(r.input.stems).not.toContain(main);
});

test("extra rows keep the phrases' training order: at a weight near 0 they leave the regression as it was", () => {
  const model = compile({ settings: { intentNames: false }, intents: shop }).model;
  const space = featureSpace(model);
  const flat = flatPhrases(model, Int32Array.from(model.termStems));
  const docs = model.phrases.map((_, k) => ({ stems: [...new Set(flat.phraseStems.subarray(flat.phraseStart[k], flat.phraseStart[k + 1]))] }));
  const extra = (weight: number) => [0, 1, 2].map((intent) => ({ input: { stems: [intent] }, intent, weight }));
  const plain = trainFeatureRegression(space.rows, 0, docs, flat.phraseIntent, 3);
  const faint = trainFeatureRegression(space.rows, 0, docs, flat.phraseIntent, 3, undefined, 1, extra(1e-12));
  const heavy = trainFeatureRegression(space.rows, 0, docs, flat.phraseIntent, 3, undefined, 1, extra(1));
  expect(faint.passes).toBe(plain.passes);
  for (let k = 0; k < plain.bias.length; k++) expect(faint.bias[k]).toBeCloseTo(plain.bias[k] as number, 9);
  for (let k = 0; k < plain.weights.length; k++) expect(faint.weights[k]).toBeCloseTo(plain.weights[k] as number, 6);
  expect([...heavy.weights].some((w, k) => Math.abs(w - (plain.weights[k] ?? 0)) > 1e-3)).toBe(true);
});
