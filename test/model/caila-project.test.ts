import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { createClassifier } from '../../src/engine/classifier.js';
import type { StsEvent } from '../../src/engine/events.js';
import {
  cailaProjectToSource,
  isCailaProject,
  modelToCailaProject,
} from '../../src/model/caila-project.js';
import { compile } from '../../src/model/compile-source.js';
import type { Model } from '../../src/model/model-schema.js';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import { loadWordNet } from '../../src/model/wordnet.js';
import { REPO, stsErrorOf } from '../helpers.js';

const readJson = (file: string): unknown => JSON.parse(readFileSync(path.join(REPO, file), 'utf8'));
const fixture = () => readJson('test/fixtures/caila/project.json') as Record<string, unknown>;

/** Sets a value deep inside parsed JSON, to break one field of the fixture. */
function setAt(json: unknown, at: readonly (string | number)[], value: unknown): void {
  const parent = at.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], json);
  (parent as Record<string | number, unknown>)[at[at.length - 1] as string | number] = value;
}

describe('cailaProjectToSource', () => {
  test('converts a Caila export: settings, enabled intents, phrases as strings, answers', () => {
    const { source } = cailaProjectToSource(fixture());
    expect(source.language).toBe('en');
    expect(source.settings).toEqual({
      exactMatch: 1, lemmaMatch: 0.9, jaccardMatch: 0.4, jaccardMatchThreshold: 0.85, acronymMatch: 1,
      synonymMatch: 0.6, synonymContextWeight: 0, patternMatch: 1, throughPatternMatch: 0.8,
      wordSequence1: 0.7, wordSequence2: 0.9, wordSequence3: 1, idfShift: 0, idfMultiplier: 1,
      namedEntitiesRequired: false,
    });
    expect(source.intents?.map((i) => i.path)).toEqual(['/Hello', '/Pizza/Order', '/Pizza/Status']);
    expect(source.intents?.[0]).toEqual({
      path: '/Hello',
      description: 'The user greets the bot',
      answer: 'Hello! Hungry?',
      phrases: ['hi', 'hello there', 'good morning', 'hey bot'],
    });
    // answer: null becomes no answer; customData is dropped silently.
    expect(source.intents?.[2]).toEqual({
      path: '/Pizza/Status',
      description: 'Where is my order',
      phrases: ['where is my pizza', 'how long until my order arrives', 'delivery status'],
    });
    expect(source.intents?.[1]?.phrases).toContain('order @pizza for delivery');
  });

  test('warns once per dropped part: disabled intent, patterns and slots, entity references, entities, Sber keys', () => {
    const { warnings } = cailaProjectToSource(fixture());
    expect(warnings).toEqual([
      'settings.extendedSettings.stsSettings.intermediateAlternativesLimit is not supported; ignored',
      'settings.extendedSettings.stsSettings.finalAlternativesLimit is not supported; ignored',
      '/Pizza/Order: not supported yet, dropped 2 patterns; slots pizza, time; ' +
        'entity references @pizza (their phrases are kept, as plain words); entity markup of 1 phrase',
      '/Bye: disabled in the Caila project; skipped',
      'entity pizza: not supported yet, dropped (3 records)',
    ]);
  });

  test('the converted project compiles and classifies as the Caila bot would', () => {
    const { model, warnings } = compile(cailaProjectToSource(fixture()).source);
    expect(warnings).toEqual([]);
    expect(model.settings.lemmaMatch).toBe(0.9);
    const classifier = createClassifier(model);
    const intentOf = (text: string) => classifier.classifySync(text).intent;
    expect(intentOf('hello')).toBe('/Hello');
    expect(intentOf('i would like to order a pizza')).toBe('/Pizza/Order');
    expect(intentOf('where is my order')).toBe('/Pizza/Status');
    expect(classifier.classifySync('hello there').answer).toBe('Hello! Hungry?');
    expect(intentOf('see you')).toBeNull(); // /Bye was disabled
  });

  test('reads a minimal export as Caila writes it without extendedSettings', () => {
    const { source, warnings } = cailaProjectToSource({
      project: { id: 'p', name: 'p', folder: '/jaicp' },
      settings: { language: 'ru', spellingCorrection: false, classificationAlgorithm: 'sts', timezone: 'UTC', shared: false },
      intents: [{ id: 1, path: '/Hi', enabled: true, phrases: [{ text: 'привет' }], patterns: [], priority: 0 }],
      entities: [],
    });
    expect(source).toEqual({ language: 'ru', settings: {}, intents: [{ path: '/Hi', phrases: ['привет'] }] });
    expect(warnings).toEqual([]);
  });

  test.each([
    ['intents not an array', ['intents'], { a: 1 }, 'intents'],
    ['a path that is not a string', ['intents', 2, 'path'], 42, 'intents.2.path'],
    [
      'stsSettings.exactMatch a string',
      ['settings', 'extendedSettings', 'stsSettings', 'exactMatch'],
      '1.0',
      'settings.extendedSettings.stsSettings.exactMatch',
    ],
    ['a phrase without text', ['intents', 0, 'phrases', 1], { txt: 'hi' }, 'intents.0.phrases.1.text'],
  ])('rejects %s with invalid_source naming the path', (_name, at, value, where) => {
    const project = fixture();
    setAt(project, at, value);
    const error = stsErrorOf(() => cailaProjectToSource(project));
    expect(error.code).toBe('invalid_source');
    expect(error.message).toContain(where);
    expect(error.details[0]?.path).toBe(where);
  });

  test('rejects something that is not an object', () => {
    const error = stsErrorOf(() => cailaProjectToSource([1, 2]));
    expect(error.code).toBe('invalid_source');
    expect(error.details[0]?.path).toBe('(root)');
  });
});

describe('isCailaProject', () => {
  test('true for a Caila export and for our own export', () => {
    expect(isCailaProject(fixture())).toBe(true);
    const { model } = compile({ intents: [{ path: '/a', phrases: ['hello'] }] });
    expect(isCailaProject(modelToCailaProject(model, 'a'))).toBe(true);
    expect(isCailaProject(JSON.parse(JSON.stringify(modelToCailaProject(model, 'a'))))).toBe(true);
  });

  test('false for our intents files, YAML or JSON, with phrases as strings or {text}', () => {
    const demo = parseYaml(readFileSync(path.join(REPO, 'models/demo/intents.yaml'), 'utf8'));
    expect(isCailaProject(demo)).toBe(false);
    expect(isCailaProject({ language: 'en', settings: { threshold: 0.3 }, intents: [{ path: '/a', phrases: [{ text: 'hi' }] }] })).toBe(false);
    expect(isCailaProject({ project: {}, intents: [{ path: '/a', phrases: ['hi'] }] })).toBe(false);
    expect(isCailaProject([{ path: '/a', phrases: [{ text: 'hi' }] }])).toBe(false);
    expect(isCailaProject(null)).toBe(false);
  });
});

describe('modelToCailaProject', () => {
  const source: IntentsFileInput = {
    language: 'en',
    settings: { threshold: 0.35, lemmaMatch: 0.9 },
    stopWords: ['please'],
    synonyms: [{ words: ['taxi', 'cab'], weight: 0.8 }],
    intents: [
      { path: '/Taxi', answer: 'On my way', phrases: ['order a taxi', 'call a taxi please'] },
      { path: '/Hello', description: 'greeting', phrases: ['hello'] },
    ],
  };

  test('writes a Caila project with our settings and one intent per model intent', () => {
    const { model } = compile(source);
    const project = modelToCailaProject(model, 'taxi-bot');
    expect(project.project).toEqual({ id: 'taxi-bot', name: 'taxi-bot', folder: '/taxi-bot' });
    expect(project.settings).toMatchObject({ language: 'en', classificationAlgorithm: 'sts', timezone: 'UTC' });
    expect(project.settings.extendedSettings.tokenizerEngine).toBe('spacy');
    expect(project.settings.extendedSettings.stsSettings).toMatchObject({ lemmaMatch: 0.9, exactMatch: 1 });
    expect(Object.keys(project.settings.extendedSettings.stsSettings)).toHaveLength(15);
    expect(project.settings.extendedSettings.stsClassifier).toEqual({
      preset: 'jaicp', idfScope: 'phrases', intentTopK: 1, threshold: 0.35, nBest: 5, lengthLimit: 400, wordLimit: 100000, timeLimit: 10000,
      wordNet: false, stopWords: ['please'], synonyms: [{ words: ['taxi', 'cab'], weight: 0.8 }],
    });
    expect(project.intents).toEqual([
      {
        id: 1, path: '/Taxi', enabled: true, shared: false, patterns: [], priority: 0, customData: null, slots: [],
        answer: 'On my way', phrases: [{ text: 'order a taxi' }, { text: 'call a taxi please' }],
      },
      {
        id: 2, path: '/Hello', enabled: true, shared: false, patterns: [], priority: 0, customData: null, slots: [],
        description: 'greeting', phrases: [{ text: 'hello' }],
      },
    ]);
    expect(modelToCailaProject(compile({ ...source, language: 'ru' }).model, 'x').settings.extendedSettings.tokenizerEngine).toBe('udpipe');
  });
});

/** What a classification decides and explains; the timing and the model id may differ. */
const decision = ({ elapsedMs: _e, modelId: _m, ...rest }: StsEvent) => rest;

/** export → import → compile, with WordNet when the model uses it. */
function roundTrip(model: Model): { model: Model; warnings: string[] } {
  const json = JSON.parse(JSON.stringify(modelToCailaProject(model, 'bot')));
  expect(isCailaProject(json)).toBe(true);
  const imported = cailaProjectToSource(json);
  expect(imported.warnings).toEqual([]);
  return { model: compile(imported.source, model.wordNet ? { wordNet: wordNet() } : {}).model, warnings: imported.warnings };
}
let lookup: ReturnType<typeof loadWordNet> | undefined;
const wordNet = () => (lookup ??= loadWordNet());

function expectSameClassifications(original: Model, copy: Model, texts: string[]) {
  const a = createClassifier(original);
  const b = createClassifier(copy);
  for (const text of texts) expect([text, decision(b.classifySync(text))]).toEqual([text, decision(a.classifySync(text))]);
}

describe('export → import round trip', () => {
  test('English: synonyms (compounds, words whose stems do not stem to themselves), stop words, settings, WordNet', () => {
    const { model } = compile(
      {
        language: 'en',
        wordNet: true,
        settings: { threshold: 0.35, lemmaMatch: 0.9, nBest: 3, synonymContextWeight: 0.5 },
        stopWords: ['please', 'kindly'],
        synonyms: [
          { words: ['cancel', 'call off', 'scrap'], weight: 0.9 },
          // goodbye → goodby → goodbi and agreed → agre → agr: safe only because the phrases have these words.
          { words: ['bye', 'goodbye', 'see you later'] },
          { words: ['ok', 'agreed'], weight: 0.7 },
          { words: ['book', 'books'] }, // one stem
        ],
        intents: [
          { path: '/Order/Cancel', answer: 'Cancelled', phrases: ['cancel my order', 'please call off the order'] },
          { path: '/Bye', phrases: ['goodbye', 'bye bye'] },
          { path: '/Agree', description: 'consent', phrases: ['agreed', 'sounds good'] },
          { path: '/Book', phrases: ['book a table for two', 'reserve a table'] },
          { path: '/Empty', phrases: [] },
        ],
      },
      { wordNet: wordNet() },
    );
    expect(model.synonyms.some((g) => g.source === 'wordnet')).toBe(true); // re-derived on import, not exported
    const copy = roundTrip(model).model;
    expect(copy).toEqual(model); // same stems, same ids: the very same model
    expectSameClassifications(model, copy, [
      'cancel my order', 'scrap the order please', 'call off my order', 'goodbye', 'see you later', 'ok',
      'agreed then', 'book a table', 'books for tables', 'reserve a table kindly', 'what is the weather', '',
    ]);
  });

  test('Russian: synonyms with compounds and non-idempotent stems found in phrases, stop words, settings', () => {
    const { model } = compile({
      language: 'ru',
      settings: { threshold: 0.35, lemmaMatch: 0.9, wordSequence1: 0.7 },
      stopWords: ['пожалуйста'],
      synonyms: [
        { words: ['такси', 'машина'], weight: 0.8 },
        { words: ['пока', 'до свидания'] },
        // забронирова → заброниров, заказа → заказ: safe only because the phrases have these words.
        { words: ['забронировать', 'заказать'] },
      ],
      intents: [
        { path: '/Taxi', answer: 'Еду', phrases: ['вызови такси', 'закажи такси пожалуйста'] },
        { path: '/Bye', phrases: ['до свидания', 'всего хорошего'] },
        { path: '/Table', phrases: ['забронировать столик', 'хочу заказать столик на двоих'] },
      ],
    });
    const copy = roundTrip(model).model;
    expect(copy).toEqual(model);
    expectSameClassifications(model, copy, [
      'вызови машину', 'закажи такси', 'до свидания', 'пока', 'заказать столик', 'забронировать столик пожалуйста', 'погода',
    ]);
  });

  test('the demo model: every training phrase classifies the same after the round trip', () => {
    const demo = readJson('models/demo.model.json') as Model;
    const copy = roundTrip(demo).model;
    expect(copy.id).toBe(demo.id);
    expectSameClassifications(demo, copy, [...demo.phrases.map((p) => p.text), 'прощай', 'бывай', 'зарезервировать столик']);
  });

  test('synonyms round-trip as written, also words in no phrase whose stem is not a word (purchase → purchas)', () => {
    const { model } = compile({
      language: 'en',
      synonyms: [{ words: ['buy', 'purchase'] }],
      intents: [{ path: '/Buy', phrases: ['buy a ticket'] }, { path: '/Hi', phrases: ['hello'] }],
    });
    const copy = roundTrip(model).model;
    expect(copy.id).toBe(model.id);
    expect(createClassifier(copy).classifySync('purchase a ticket')).toMatchObject({ intent: '/Buy' });
  });

  test('Russian synonyms whose stems change when stemmed twice round-trip too', () => {
    const { model } = compile({
      language: 'ru',
      synonyms: [{ words: ['пока', 'прощай', 'бывай'] }, { words: ['заказать', 'забронировать'] }],
      intents: [{ path: '/Bye', phrases: ['пока'] }, { path: '/Table', phrases: ['забронировать столик'] }],
    });
    const copy = roundTrip(model).model;
    expect(copy.id).toBe(model.id);
    expect(createClassifier(copy).classifySync('прощай').intent).toBe('/Bye');
  });
});
