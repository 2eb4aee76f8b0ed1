import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { createClassifier } from '../../src/lexicons.js';
import type { StsEvent } from '../../src/engine/event/events.js';
import { cailaProjectToSource, isCailaProject } from '../../src/model/caila-project.js';
import { modelToCailaProject } from '../../src/model/caila-export.js';
import { compile } from '../../src/model/compile-source.js';
import type { Model } from '../../src/model/model-schema.js';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import { loadWordNet } from '../../src/model/wordnet.js';
import { compileJaicp, REPO, stsErrorOf } from '../helpers.js';

const readJson = (file: string): unknown => JSON.parse(readFileSync(path.join(REPO, file), 'utf8'));
const fixture = () => readJson('test/fixtures/caila/project.json') as Record<string, unknown>;

/** Sets a value deep inside parsed JSON, to break one field of the fixture. */
function setAt(json: unknown, at: readonly (string | number)[], value: unknown): void {
  const parent = at.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], json);
  (parent as Record<string | number, unknown>)[at[at.length - 1] as string | number] = value;
}

// An imported Caila project is compiled as JAICP would run it (the jaicp preset): these tests
// check the import, not the package's default settings.
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
      patterns: [],
      slots: [],
    });
    // answer: null becomes no answer; customData is dropped silently.
    expect(source.intents?.[2]).toEqual({
      path: '/Pizza/Status',
      description: 'Where is my order',
      phrases: ['where is my pizza', 'how long until my order arrives', 'delivery status'],
      patterns: [],
      slots: [],
    });
  });

  test('keeps patterns it can parse, slots with their entities, and @references in phrases as written', () => {
    const { source } = cailaProjectToSource(fixture());
    expect(source.intents?.[1]).toEqual({
      path: '/Pizza/Order',
      answer: 'Which pizza would you like?',
      // The phrase markup of "one margherita please" is dropped; its text is kept.
      phrases: ['I want to order a pizza', 'order @pizza for delivery', 'one margherita please', 'can I get a pizza delivered'],
      // "* {(order|get) * [a] $pizza} *" uses a named pattern ($pizza): dropped with a warning.
      patterns: ['* pizza *'],
      // The prompts are kept: JAICF's slot filling asks them, reading them from the inference's
      // intent.slots (an empty list is none); array defaults to false.
      slots: [
        { name: 'pizza', entity: 'pizza', required: true, array: false, prompts: ['Which pizza?'] },
        { name: 'time', entity: 'duckling.time', required: false, array: false },
      ],
    });
  });

  test('keeps enabled entities with their synonyms and pattern records, and allowedPatterns', () => {
    const { source } = cailaProjectToSource(fixture());
    expect(source.entities).toEqual([
      {
        name: 'pizza',
        records: [
          { type: 'synonyms', rule: ['margherita', 'margarita'], value: 'margherita' },
          { type: 'synonyms', rule: ['pepperoni'], value: 'pepperoni' },
          { type: 'pattern', rule: ['(four|4) cheese*'], value: 'quattro formaggi' },
        ],
      },
    ]);
    expect(source.allowedPatterns).toEqual(['pizza']);
  });

  test('warns once per dropped part: Sber keys, phrase markup, a pattern we cannot parse, a disabled intent', () => {
    const { warnings } = cailaProjectToSource(fixture());
    expect(warnings).toEqual([
      'settings.extendedSettings.stsSettings.intermediateAlternativesLimit is not supported; ignored',
      'settings.extendedSettings.stsSettings.finalAlternativesLimit is not supported; ignored',
      '/Pizza/Order: not supported yet, dropped entity markup of 1 phrase',
      '/Pizza/Order: pattern dropped: pattern "* {(order|get) * [a] $pizza} *": column 22: ' +
        'unsupported element "$pizza": the only "$" element supported is $regex<…>',
      '/Bye: disabled in the Caila project; skipped',
    ]);
  });

  test('warns about disabled entities, record types other than synonyms/pattern, and slots without an entity', () => {
    const { source, warnings } = cailaProjectToSource({
      project: { id: 'p', name: 'p' },
      settings: { language: 'en' },
      intents: [
        {
          id: 1,
          path: '/Coffee',
          phrases: [{ text: 'a @size coffee' }],
          patterns: ['* coffee *', '(tea'],
          slots: [
            { name: 'size', entity: 'size', required: true, prompts: ['Which size?', null, ' ', 7] },
            { name: 'sugar', entity: null },
            { name: 'milk' },
            { name: 'cups', entity: 'duckling.number', array: true, prompts: 'How many cups?' },
            { name: 'spoons', entity: 'duckling.number', prompts: { en: 'How many spoons?' } },
          ],
        },
      ],
      entities: [
        {
          entity: { id: 1, name: 'size', enabled: true },
          records: [
            { id: 1, type: 'synonyms', rule: ['large', 'big'], value: 'large' },
            { id: 2, type: 'dictionary', rule: ['small'], value: 'small' },
            { id: 3, type: 'pattern', rule: ['\\d+ ?ml'] },
          ],
        },
        { entity: { id: 2, name: 'retired', enabled: false }, records: [{ id: 1, type: 'synonyms', rule: ['old'] }] },
        { entity: { id: 3, name: 'empty', enabled: true }, records: [{ id: 1, type: 'csv', rule: ['x'] }] },
      ],
    });
    expect(warnings).toEqual([
      '/Coffee: not supported yet, dropped slots without an entity sugar, milk',
      '/Coffee: slot size: 2 prompts that are not a text dropped', // null and 7; a blank one is dropped silently
      '/Coffee: slot spoons: prompts that are not a list of texts dropped',
      '/Coffee: pattern dropped: pattern "(tea": column 5: expected ")" to close "(" at column 1',
      'entity size: a record of type "dictionary" is not supported; dropped',
      'entity retired: disabled in the Caila project; skipped',
      'entity empty: a record of type "csv" is not supported; dropped',
    ]);
    expect(source.intents).toEqual([
      {
        path: '/Coffee',
        phrases: ['a @size coffee'],
        patterns: ['* coffee *'],
        slots: [
          { name: 'size', entity: 'size', required: true, array: false, prompts: ['Which size?'] },
          // A prompt written as a text rather than a list of them is that one prompt.
          { name: 'cups', entity: 'duckling.number', required: false, array: true, prompts: ['How many cups?'] },
          { name: 'spoons', entity: 'duckling.number', required: false, array: false },
        ],
      },
    ]);
    // An entity left without records is not kept at all (ours need at least one).
    expect(source.entities).toEqual([
      { name: 'size', records: [{ type: 'synonyms', rule: ['large', 'big'], value: 'large' }, { type: 'pattern', rule: ['\\d+ ?ml'] }] },
    ]);
    const { model, warnings: compiled } = compileJaicp(source);
    expect(compiled).toEqual([]);
    const e = createClassifier(model).classifySync('a big coffee for 2 cups');
    expect(e).toMatchObject({ intent: '/Coffee', rule: 'pattern', pattern: '* coffee *' });
    expect(e.slots?.map(({ name, value }) => [name, value])).toEqual([
      ['size', 'large'],
      ['cups', 2],
    ]);
  });

  test('the converted project compiles and classifies as the Caila bot would', () => {
    const { model, warnings } = compileJaicp(cailaProjectToSource(fixture()).source);
    // The time slot's entity is neither defined nor built in (only duckling.number is).
    expect(warnings).toEqual([
      'unsupported entity @duckling.time (used by /Pizza/Order): it is not defined and not built in, so it never matches',
    ]);
    expect(model.settings.lemmaMatch).toBe(0.9);
    const classifier = createClassifier(model);
    const intentOf = (text: string) => classifier.classifySync(text).intent;
    expect(intentOf('hello')).toBe('/Hello');
    expect(intentOf('i would like to order a pizza')).toBe('/Pizza/Order');
    expect(intentOf('where is my order')).toBe('/Pizza/Status');
    expect(classifier.classifySync('hello there').answer).toBe('Hello! Hungry?');
    expect(intentOf('see you')).toBeNull(); // /Bye was disabled
  });

  test.each([
    // "one margherita please" stands for any pizza (allowedPatterns: [pizza]); margarita is a synonym of margherita.
    ['one pepperoni please', 'phrase', 'pepperoni', 'pepperoni'],
    ['order margarita for delivery', 'phrase', 'margherita', 'margarita'],
    // The pattern record "(four|4) cheese*" of the entity, in words and digits.
    ['order four cheese for delivery', 'phrase', 'quattro formaggi', 'four cheese'],
    ['order 4 cheese for delivery', 'phrase', 'quattro formaggi', '4 cheese'],
  ])('the imported bot: "%s" matches /Pizza/Order by its %s, filling the pizza slot with %s', (text, rule, value, said) => {
    const { model } = compileJaicp(cailaProjectToSource(fixture()).source);
    const e = createClassifier(model).classifySync(text);
    expect(e).toMatchObject({ event: 'match', intent: '/Pizza/Order', rule });
    expect(e.slots).toEqual([{ name: 'pizza', entity: 'pizza', value, text: said, start: text.indexOf(said), end: text.indexOf(said) + said.length }]);
    expect(e.missingSlots).toBeUndefined();
  });

  test('the imported bot: its pattern "* pizza *" decides a request no phrase is close to, and the required pizza slot is missing', () => {
    const { model } = compileJaicp(cailaProjectToSource(fixture()).source);
    const e = createClassifier(model).classifySync('order a pizza now');
    expect(e).toMatchObject({ event: 'match', intent: '/Pizza/Order', score: 1, rule: 'pattern', pattern: '* pizza *', slots: [], missingSlots: ['pizza'] });
    expect(e.explanation).toBeUndefined();
  });

  // Caila runs Java regexes, so exports can hold lookarounds or backreferences, which RE2
  // rejects: such an entity pattern record is dropped with a warning, as an intent pattern we
  // cannot parse is, rather than failing the whole import.
  test('an entity pattern record RE2 cannot run (a Java lookahead) is dropped with a warning, not the whole import', () => {
    const { source, warnings } = cailaProjectToSource({
      project: { id: 'p', name: 'p' },
      settings: { language: 'en' },
      intents: [{ id: 1, path: '/Coffee', phrases: [{ text: 'a @size coffee' }] }],
      entities: [
        {
          entity: { id: 1, name: 'size', enabled: true },
          records: [
            { id: 1, type: 'synonyms', rule: ['large', 'big'], value: 'large' },
            { id: 2, type: 'pattern', rule: ['\\d+(?=ml)'], value: 'volume' },
          ],
        },
      ],
    });
    expect(warnings).toEqual([expect.stringMatching(/^entity size: .*\\d\+\(\?=ml\)/)]);
    // The synonyms record is kept and works.
    const e = createClassifier(compileJaicp(source).model).classifySync('a big coffee');
    expect(e).toMatchObject({ event: 'match', intent: '/Coffee' });
    expect(e.explanation!.aligned.filter((p) => p.type === 'entity').map((p) => p.request)).toEqual(['big']);
  });

  test('reads a minimal export as Caila writes it without extendedSettings', () => {
    const { source, warnings } = cailaProjectToSource({
      project: { id: 'p', name: 'p', folder: '/jaicp' },
      settings: { language: 'ru', spellingCorrection: false, classificationAlgorithm: 'sts', timezone: 'UTC', shared: false },
      intents: [{ id: 1, path: '/Hi', enabled: true, phrases: [{ text: 'привет' }], patterns: [], priority: 0 }],
      entities: [],
    });
    expect(source).toEqual({
      language: 'ru',
      settings: {},
      intents: [{ path: '/Hi', phrases: ['привет'], patterns: [], slots: [] }],
      entities: [],
      allowedPatterns: [],
    });
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
    const { model } = compileJaicp(source);
    const project = modelToCailaProject(model, 'taxi-bot');
    expect(project.project).toEqual({ id: 'taxi-bot', name: 'taxi-bot', folder: '/taxi-bot' });
    expect(project.settings).toMatchObject({ language: 'en', classificationAlgorithm: 'sts', timezone: 'UTC' });
    expect(project.settings.extendedSettings.tokenizerEngine).toBe('spacy');
    expect(project.settings.extendedSettings.stsSettings).toMatchObject({ lemmaMatch: 0.9, exactMatch: 1 });
    expect(Object.keys(project.settings.extendedSettings.stsSettings)).toHaveLength(15);
    expect(project.settings.extendedSettings.stsClassifier).toEqual({
      preset: 'jaicp', idfScope: 'phrases', intentTopK: 1, intentConcentration: 0, probabilityWeight: 0,
      probabilityFloor: 0, charGrams: 0, wordVectors: 0, vectorMatch: 0, vectorMatchThreshold: 0.5, thesaurus: false, spellingCorrection: false, intentNames: false,
      threshold: 0.35, nBest: 5, lengthLimit: 400, wordLimit: 100000, timeLimit: 10000, wordNet: false, stopWords: ['please'], synonyms: [{ words: ['taxi', 'cab'], weight: 0.8 }],
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
    expect(modelToCailaProject(compileJaicp({ ...source, language: 'ru' }).model, 'x').settings.extendedSettings.tokenizerEngine).toBe('udpipe');
    // A model of the default settings says so: the import applies the same preset.
    expect(modelToCailaProject(compile(source).model, 'x').settings.extendedSettings.stsClassifier).toMatchObject({ preset: 'accurate', idfScope: 'both' });
  });

  test('writes entities with their records, intent patterns, slots (with empty prompts) and allowedPatterns', () => {
    const { model } = compile(ENTITY_BOT);
    const project = modelToCailaProject(model, 'city-bot');
    expect(project.settings.extendedSettings.allowedPatterns).toEqual(['City']);
    expect(project.entities).toEqual([
      {
        entity: { id: 1, name: 'City', enabled: true, type: 'annotation' },
        records: [
          { id: 1, type: 'synonyms', rule: ['Moscow', 'Moskva'], value: 'Moscow' },
          { id: 2, type: 'synonyms', rule: ['New York', 'NYC'], value: 'New York' },
        ],
      },
      {
        entity: { id: 2, name: 'Zip', enabled: true, type: 'annotation' },
        records: [
          { id: 1, type: 'pattern', rule: ['\\d{6}'], value: 'zip' },
          { id: 2, type: 'pattern', rule: ['[A-Z]{2}\\d{4}'] },
        ],
      },
    ]);
    expect(project.intents.map(({ path, patterns, slots }) => ({ path, patterns, slots }))).toEqual([
      {
        path: '/Weather',
        patterns: ['* weather * @City *'],
        slots: [
          { name: 'city', entity: 'City', required: true, array: false, prompts: [] },
          { name: 'zips', entity: 'Zip', required: false, array: true, prompts: [] },
        ],
      },
      { path: '/Apples', patterns: [], slots: [{ name: 'n', entity: 'duckling.number', required: false, array: false, prompts: [] }] },
      { path: '/Greeting', patterns: ['(hi|hello) [there] *', '$regex<\\d+> times hello'], slots: [] },
    ]);
  });
});

/** A bot with entities (synonyms and regexes), allowedPatterns, @references, patterns and slots. */
const ENTITY_BOT: IntentsFileInput = {
  language: 'en',
  allowedPatterns: ['City'],
  entities: [
    { name: 'City', records: [{ type: 'synonyms', value: 'Moscow', words: ['Moscow', 'Moskva'] }, { type: 'synonyms', words: ['New York', 'NYC'] }] },
    { name: 'Zip', records: [{ type: 'pattern', pattern: '\\d{6}', value: 'zip' }, { type: 'pattern', pattern: '[A-Z]{2}\\d{4}' }] },
  ],
  intents: [
    {
      path: '/Weather',
      answer: 'Sunny',
      phrases: ['weather in Moscow', 'forecast for @City'],
      patterns: ['* weather * @City *'],
      slots: [{ name: 'city', entity: '@City', required: true }, { name: 'zips', entity: 'Zip', array: true }],
    },
    { path: '/Apples', phrases: ['i need @duckling.number apples'], slots: [{ name: 'n', entity: 'duckling.number' }] },
    { path: '/Greeting', phrases: ['good morning'], patterns: ['(hi|hello) [there] *', '$regex<\\d+> times hello'] },
  ],
};

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

  test.each([
    ['our settings beyond JAICP', { intentConcentration: 0.5, probabilityWeight: 0.3 }],
    ['a preset with one of its values overridden', { preset: 'accurate', probabilityWeight: 0 }],
  ] as const)('%s: the very same model', (_, settings) => {
    const { model } = compile({ language: 'en', settings, intents: [{ path: '/a', phrases: ['order a taxi'] }, { path: '/b', phrases: ['hello'] }] });
    expect(roundTrip(model).model).toEqual(model);
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

  test('entities, allowedPatterns, @references, patterns and slots: the very same model, the same events with slots', () => {
    const { model } = compile(ENTITY_BOT);
    const copy = roundTrip(model).model;
    expect(copy.id).toBe(model.id);
    expect(copy).toEqual(model);
    expectSameClassifications(model, copy, [
      'weather in NYC', 'forecast for Moskva', 'what is the weather like in New York today', 'weather for 123456 and AB1234',
      'i need 7 apples', 'i need seven apples', 'hello there my friend', '12 times hello', 'good morning', 'weather',
    ]);
    // The copy really fills slots and decides by patterns (the comparison above is not of two empty events).
    const b = createClassifier(copy);
    expect(b.classifySync('what is the weather like in New York today')).toMatchObject({
      intent: '/Weather', rule: 'pattern', slots: [{ name: 'city', value: 'New York' }],
    });
    expect(b.classifySync('i need seven apples').slots).toEqual([{ name: 'n', entity: 'duckling.number', value: 7, text: 'seven', start: 7, end: 12 }]);
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
