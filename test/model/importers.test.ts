import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { createClassifier } from '../../src/lexicons.js';
import { modelToCailaProject } from '../../src/model/caila-export.js';
import { compile } from '../../src/model/compile-source.js';
import {
  detectSourceFormat,
  importSource,
  importValue,
  isJaicpIntentsExport,
  isNlpjsCorpus,
  isRasaNlu,
  jaicpIntentsToSource,
  nlpjsCorpusToSource,
  rasaNluToSource,
} from '../../src/model/importers/index.js';
import { readSource, trainFromFiles } from '../../src/model/io.js';
import { cleanupTempDirs, REPO, stsErrorOf, stsErrorOfAsync, tempDir, writeFiles } from '../helpers.js';

afterAll(cleanupTempDirs);

const FIXTURES = path.join(REPO, 'test/fixtures/importers');
const fixturePath = (name: string) => path.join(FIXTURES, name);
const fixtureText = (name: string) => readFileSync(fixturePath(name), 'utf8');
const readYaml = (name: string): unknown => parseYaml(fixtureText(name));
const JAICP = 'jaicp-intents.json';
const RASA = 'rasa-nlu.yml';
const NLPJS = 'nlpjs-corpus.json';
const CAILA = path.join(REPO, 'test/fixtures/caila/project.json');

/** What compile says about an @reference to an entity the import did not bring along. */
const unsupported = (entity: string, path: string) =>
  `unsupported entity @${entity} (used by ${path}): it is not defined and not built in, so it never matches`;

/**
 * Imports a fixture through the dispatch, compiles it (checking compile's warnings exactly) and
 * returns a function: text → intent.
 */
function classifierOf(name: string, compileWarnings: string[] = []) {
  const imported = importSource(fixtureText(name), fixturePath(name));
  const { model, warnings } = compile(imported.data);
  expect(warnings).toEqual(compileWarnings);
  const classifier = createClassifier(model);
  return { model, classifier, intentOf: (text: string) => classifier.classifySync(text).intent };
}

describe('detectSourceFormat', () => {
  const ours = 'language: en\nintents:\n  - path: /a\n    phrases: [hi]\n';
  const { model } = compile({ intents: [{ path: '/a', phrases: ['hello'] }] });
  test.each([
    ['a .jsonl list, by extension', 'train.jsonl', '{"text": "hi", "intent": "a"}\n', 'jsonl'],
    ['an .ndjson list, by extension', 'train.NDJSON', '', 'jsonl'],
    ['a .csv list, by extension', 'Train.CSV', 'text,intent\n', 'csv'],
    ['our intents file in YAML', 'bot.yaml', ours, 'intents'],
    ['our intents file in JSON', 'bot.json', '{"intents": [{"path": "/a", "phrases": [{"text": "hi"}]}]}', 'intents'],
    ['an empty object', 'bot.json', '{}', 'intents'],
    ['our file with an unknown key beside known ones (the schema names it)', 'bot.yml', 'intents: []\ncolour: red\n', 'intents'],
    ['the Caila fixture', 'project.json', readFileSync(CAILA, 'utf8'), 'caila'],
    ['our own Caila export', 'export.json', JSON.stringify(modelToCailaProject(model, 'a')), 'caila'],
    ['a damaged Caila export (its schema says what is wrong)', 'p.json', '{"project": {"id": "p"}, "intents": [{"path": "/a", "phrases": ["hi"]}]}', 'caila'],
    ['the JAICP intents export', 'intents.json', fixtureText(JAICP), 'jaicp'],
    ['an empty JAICP export', 'intents.json', '[]', 'jaicp'],
    ['a JAICP export written as YAML', 'intents.yaml', '- path: /a\n  phrases:\n    - text: hi\n', 'jaicp'],
    ['the Rasa NLU file', 'nlu.yml', fixtureText(RASA), 'rasa'],
    ['Rasa NLU without a version', 'nlu.yaml', 'nlu:\n- intent: greet\n  examples: |\n    - hi\n', 'rasa'],
    ['a Rasa domain file', 'domain.yml', 'version: "3.1"\nintents:\n  - greet\nresponses:\n  utter_greet:\n  - text: hi\n', 'rasa'],
    ['the NLP.js corpus', 'corpus.json', fixtureText(NLPJS), 'nlpjs'],
    ['an NLP.js corpus in YAML', 'corpus.yaml', 'locale: en\ndata:\n  - intent: greet\n    utterances: [hi]\n', 'nlpjs'],
    ['a JSON file with a BOM', 'corpus.json', '\uFEFF' + fixtureText(NLPJS), 'nlpjs'],
  ])('%s', (_name, file, text, format) => {
    expect(detectSourceFormat(text, file)).toBe(format);
  });

  test.each([
    ['an object of unknown keys', 'x.json', '{"foo": 1, "bar": []}', /top-level keys foo, bar/],
    ['a misspelt intents key alone', 'x.yaml', 'intens:\n  - path: /a\n', /top-level keys intens/],
    ['a list of strings', 'x.json', '["hi", "hello"]', /a list, but not of intents/],
    ['a list of objects without paths', 'x.json', '[{"text": "hi"}]', /a list, but not of intents/],
    ['an empty file', 'x.yaml', '', /the file is empty/],
    ['a single string', 'x.yaml', 'hello\n', /a single string/],
  ])('rejects %s with unsupported_format naming the file and what was expected', (_name, file, text, what) => {
    const e = stsErrorOf(() => detectSourceFormat(text, file));
    expect(e.code).toBe('unsupported_format');
    expect(e.message).toMatch(new RegExp(`^${file}: cannot tell the source format: `));
    expect(e.message).toMatch(what);
    expect(e.message).toMatch(/expected our intents file .*Caila.*JAICP.*NLP\.js.*Rasa.*--format/);
    expect(e.details[0]?.file).toBe(file);
  });

  test("names Rasa's legacy JSON format and how to convert it", () => {
    const e = stsErrorOf(() => detectSourceFormat('{"rasa_nlu_data": {"common_examples": []}}', 'nlu.json'));
    expect(e.code).toBe('unsupported_format');
    expect(e.message).toMatch(/legacy JSON.*rasa data convert nlu -f yaml/);
  });

  test('rejects an unknown extension, pointing at --format', () => {
    const e = stsErrorOf(() => detectSourceFormat('nlu: []', 'nlu.txt'));
    expect(e.code).toBe('unsupported_format');
    expect(e.message).toMatch(/"\.txt".*--format/);
  });

  test('names the line of a syntax error, in JSON and in YAML', () => {
    const json = stsErrorOf(() => detectSourceFormat('[\n  {"path": "/a"}\n  {"path": "/b"}\n]\n', 'x.json'));
    expect(json.code).toBe('invalid_source');
    expect(json.message).toMatch(/^x\.json:3: not valid YAML\/JSON/);
    const yaml = stsErrorOf(() => detectSourceFormat('nlu:\n- intent: greet\n  examples: [hi\n', 'nlu.yml'));
    expect(yaml.code).toBe('invalid_source');
    expect(yaml.message).toMatch(/^nlu\.yml:\d+: not valid YAML\/JSON/);
  });

  test('the shape checks', () => {
    expect(isJaicpIntentsExport([{ path: '/a' }, { id: 1 }])).toBe(true);
    expect(isJaicpIntentsExport({ intents: [] })).toBe(false);
    expect(isRasaNlu({ version: '3.1' })).toBe(false); // a version alone says nothing
    expect(isRasaNlu({ version: '3.1', stories: [] })).toBe(true);
    expect(isNlpjsCorpus({ data: [{ intent: 'a' }], intents: [] })).toBe(false);
    expect(isNlpjsCorpus({ data: [1, 2] })).toBe(false);
  });
});

describe('JAICP intents export', () => {
  test('keeps paths, answers, descriptions and phrases of enabled intents', () => {
    const { source } = jaicpIntentsToSource(JSON.parse(fixtureText(JAICP)));
    expect(source.intents?.map((i) => i.path)).toEqual(['/Greeting', '/Order/Coffee', '/Order/Status', '/Info/OpeningHours']);
    expect(source.intents?.[0]).toEqual({
      path: '/Greeting',
      description: 'The customer says hello',
      answer: 'Hi! Welcome to Bean There. What can I get you?',
      phrases: ['hello', 'hi there', 'good morning', 'hey, anyone here?'],
      patterns: [],
      slots: [],
    });
    expect(source.intents?.[2]).toEqual({
      path: '/Order/Status',
      answer: 'Your order is being prepared.',
      phrases: ['is my order ready', 'how long will my drink take', 'where is my coffee'],
      patterns: [],
      slots: [],
    });
  });

  test('keeps patterns, slots (with their prompts) and @references in phrases', () => {
    const { source } = jaicpIntentsToSource(JSON.parse(fixtureText(JAICP)));
    expect(source.intents?.[1]).toEqual({
      path: '/Order/Coffee',
      description: 'Orders a drink, maybe with a size',
      answer: 'Coming right up!',
      phrases: ["I'd like a coffee", 'can I get a @size latte', 'one cappuccino to go please', 'make me an espresso', 'a large flat white'],
      patterns: ['* {(order|get|want) * (coffee|latte|cappuccino)} *'],
      slots: [
        { name: 'drink', entity: 'drink', required: true, array: false, prompts: ['What would you like to drink?'] },
        { name: 'size', entity: 'size', required: false, array: false },
      ],
    });
  });

  test('warns only about the disabled intent: patterns, slots and @references are kept', () => {
    expect(jaicpIntentsToSource(JSON.parse(fixtureText(JAICP))).warnings).toEqual([
      '/Promo/SummerDeal: disabled in the JAICP export; skipped',
    ]);
  });

  test('compiles and classifies; @drink and @size, entities the export does not carry, are reported by compile', () => {
    const { intentOf, classifier } = classifierOf(JAICP, [unsupported('drink', '/Order/Coffee'), unsupported('size', '/Order/Coffee')]);
    expect(intentOf('hello there')).toBe('/Greeting');
    expect(intentOf('can I get a cappuccino')).toBe('/Order/Coffee');
    expect(intentOf('is my coffee ready yet')).toBe('/Order/Status');
    expect(intentOf('what time do you open on sunday')).toBe('/Info/OpeningHours');
    expect(intentOf('tell me about the summer deal')).not.toBe('/Promo/SummerDeal');
    expect(classifier.classifySync('good morning').answer).toBe('Hi! Welcome to Bean There. What can I get you?');
  });

  test('its pattern decides a request no phrase is close to; the drink slot has no entity to fill it', () => {
    const { classifier } = classifierOf(JAICP, [unsupported('drink', '/Order/Coffee'), unsupported('size', '/Order/Coffee')]);
    const e = classifier.classifySync('could you get me a really hot latte');
    expect(e).toMatchObject({
      event: 'match',
      intent: '/Order/Coffee',
      score: 1,
      rule: 'pattern',
      pattern: '* {(order|get|want) * (coffee|latte|cappuccino)} *',
      slots: [],
      missingSlots: ['drink'],
    });
  });

  test.each([
    ['a phrase that is a string', '[\n  {"path": "/a",\n   "phrases": [\n     "hi"\n   ]}\n]\n', '0.phrases.0', 4],
    ['a path without a slash', '[\n  {"path": "/a", "phrases": []},\n  {"path": "b", "phrases": []}\n]\n', '1.path', 3],
    ['enabled that is a string', '[\n  {"path": "/a",\n   "enabled": "yes"}\n]\n', '0.enabled', 3],
  ])('rejects %s with invalid_source naming the path and line', (_name, text, where, line) => {
    const e = stsErrorOf(() => importSource(text, 'intents.json'));
    expect(e.code).toBe('invalid_source');
    expect(e.message).toMatch(new RegExp(`^intents\\.json:${line}: invalid JAICP intents export at ${where.replace(/\./g, '\\.')}: `));
    expect(e.details[0]).toMatchObject({ file: 'intents.json', line, path: where });
  });
});

describe('Rasa NLU YAML', () => {
  test('imports intents with annotations stripped, retrieval intents as paths, synonyms as groups', () => {
    const { source } = rasaNluToSource(readYaml(RASA));
    expect(source.intents?.map((i) => i.path)).toEqual(['/greet', '/goodbye', '/check_balance', '/transfer_money', '/chitchat/ask_name']);
    expect(source.intents?.[2]?.phrases).toEqual([
      'how much money is on my savings account',
      "what's my checking balance",
      'show me my balance',
      'what is left on my card',
    ]);
    expect(source.intents?.[3]?.phrases).toEqual([
      'send 50 dollars to Anna',
      'transfer money to my landlord',
      'I need to pay Tom back',
      'move money between my accounts',
    ]);
    expect(source.synonyms).toEqual([{ words: ['savings', 'piggy bank', 'rainy day fund'] }]);
    expect(source.language).toBeUndefined();
  });

  test('turns lookup tables, regexes and entity annotations into entities, and annotated entities into slots', () => {
    const { source } = rasaNluToSource(readYaml(RASA));
    expect(source.entities).toEqual([
      {
        name: 'bank',
        records: [
          { type: 'synonyms', value: 'Northbank', words: ['Northbank'] },
          { type: 'synonyms', value: 'First Harbor', words: ['First Harbor'] },
          { type: 'synonyms', value: 'Midland Trust', words: ['Midland Trust'] },
        ],
      },
      { name: 'account_number', records: [{ type: 'pattern', pattern: '\\d{10,12}' }] },
      {
        name: 'account_type',
        records: [
          // "savings" is a Rasa synonym: its examples mean the same value.
          { type: 'synonyms', value: 'savings', words: ['savings', 'piggy bank', 'rainy day fund'] },
          // {"entity": "account_type", "value": "current"}: the value given.
          { type: 'synonyms', value: 'current', words: ['checking'] },
        ],
      },
      { name: 'amount', records: [{ type: 'synonyms', value: '50', words: ['50'] }] },
      {
        name: 'person',
        records: [
          { type: 'synonyms', value: 'Anna', words: ['Anna'] },
          { type: 'synonyms', value: 'my landlord', words: ['my landlord'] },
          { type: 'synonyms', value: 'Tom', words: ['Tom'] },
        ],
      },
    ]);
    expect(source.intents?.map((i) => [i.path, i.slots])).toEqual([
      ['/greet', undefined],
      ['/goodbye', undefined],
      ['/check_balance', [{ name: 'account_type', entity: 'account_type' }]],
      [
        '/transfer_money',
        [
          { name: 'amount', entity: 'amount' },
          { name: 'person', entity: 'person' },
        ],
      ],
      ['/chitchat/ask_name', undefined],
    ]);
  });

  test('warns about other sections only: annotations are imported', () => {
    expect(rasaNluToSource(readYaml(RASA)).warnings).toEqual(['responses: only the nlu section is imported; ignored']);
  });

  test('an imported bot fills the slots of its annotated entities, lookups and synonyms included', () => {
    const { classifier } = classifierOf(RASA);
    const slots = (text: string) => {
      const e = classifier.classifySync(text);
      return [e.intent, e.slots?.map((x) => [x.name, x.value, x.text])];
    };
    expect(slots('please send 50 dollars to Anna')).toEqual(['/transfer_money', [['amount', '50', '50'], ['person', 'Anna', 'Anna']]]);
    expect(slots('how much money is in my piggy bank account')).toEqual(['/check_balance', [['account_type', 'savings', 'piggy bank']]]);
    expect(slots("what's my checking balance")).toEqual(['/check_balance', [['account_type', 'current', 'checking']]]);
  });

  test('compiles and classifies, the synonym group included', () => {
    const { intentOf, model } = classifierOf(RASA);
    expect(model.synonyms.filter((g) => g.source === 'user').map((g) => g.words)).toEqual([['savings', 'piggy bank', 'rainy day fund']]);
    expect(intentOf('hello')).toBe('/greet');
    expect(intentOf('see you tomorrow')).toBe('/goodbye');
    expect(intentOf('send money to my brother')).toBe('/transfer_money');
    expect(intentOf('what is your name')).toBe('/chitchat/ask_name');
    expect(intentOf('how much money is in my piggy bank account')).toBe('/check_balance');
  });

  test('reads every annotation form, examples as a list of {text}, and merges an intent given twice', () => {
    const { source, warnings } = rasaNluToSource({
      version: '3.1',
      nlu: [
        {
          intent: 'fly',
          examples: [
            '- fly from [Berlin]{"entity": "city", "role": "from"} to [Rome]{"entity": "city", "role": "to"}',
            '- fly to [NYC](city:New York)',
            '- book [Paris][{"entity": "city"}, {"entity": "place"}] please',
            '- [just brackets] stay',
          ].join('\n'),
        },
        { intent: 'fly', examples: [{ text: 'a [flight](thing) to Oslo', metadata: { sentiment: 'neutral' } }] },
        { intent: 'noop', examples: '  \n- \n' },
      ],
    });
    expect(source.intents).toEqual([
      {
        path: '/fly',
        phrases: ['fly from Berlin to Rome', 'fly to NYC', 'book Paris please', '[just brackets] stay', 'a flight to Oslo'],
        // Two cities in one example: the slot collects every value.
        slots: [
          { name: 'city', entity: 'city', array: true },
          { name: 'place', entity: 'place' },
          { name: 'thing', entity: 'thing' },
        ],
      },
      { path: '/noop', phrases: [] },
    ]);
    expect(source.entities).toEqual([
      {
        name: 'city',
        records: [
          { type: 'synonyms', value: 'Berlin', words: ['Berlin'] },
          { type: 'synonyms', value: 'Rome', words: ['Rome'] },
          { type: 'synonyms', value: 'New York', words: ['NYC'] },
          { type: 'synonyms', value: 'Paris', words: ['Paris'] },
        ],
      },
      { name: 'place', records: [{ type: 'synonyms', value: 'Paris', words: ['Paris'] }] },
      { name: 'thing', records: [{ type: 'synonyms', value: 'flight', words: ['flight'] }] },
    ]);
    expect(warnings).toEqual(["/fly: the roles and groups of 2 entity annotations are not imported; their values fill the entity's slot"]);
  });

  test('annotations naming no entity or holding no text are dropped with a warning; their text stays; what Rasa does not read stays as written', () => {
    const { source, warnings } = rasaNluToSource({
      nlu: [
        {
          intent: 'buy',
          examples: [
            '- buy [two]{"value": 2} [apples](fruit)',
            '- buy [5](number) pears', // our built-in number fills the slot
            '- buy [kiwis]{oops} now',
            '- buy [ ](fruit) and [figs][{"entity": "fruit"} {"entity": "food"}]', // blank text; a list without commas, as Rasa reads it
            '- [x]() and [y](:v) are no annotations',
          ].join('\n'),
        },
      ],
    });
    expect(source.intents).toEqual([
      {
        path: '/buy',
        phrases: ['buy two apples', 'buy 5 pears', 'buy kiwis now', 'buy   and figs', '[x]() and [y](:v) are no annotations'],
        slots: [
          { name: 'fruit', entity: 'fruit' },
          { name: 'number', entity: 'number' },
          { name: 'food', entity: 'food' },
        ],
      },
    ]);
    expect(source.entities).toEqual([
      { name: 'fruit', records: [{ type: 'synonyms', value: 'apples', words: ['apples'] }, { type: 'synonyms', value: 'figs', words: ['figs'] }] },
      { name: 'food', records: [{ type: 'synonyms', value: 'figs', words: ['figs'] }] },
    ]);
    expect(warnings).toEqual(['/buy: 3 entity annotations naming no entity or holding no text dropped (the text is kept)']);
    expect(rasaNluToSource({ nlu: [{ intent: 'a', examples: '- [x](pizza.size!) here' }] }).warnings).toEqual([
      'entity annotations of pizza.size!: not a name we can give an entity; dropped (the text is kept)',
    ]);
  });

  test('a synonym in another file of the project gives annotations their value, as Rasa merges its training files', async () => {
    const dir = tempDir('sts-rasa-synonyms-');
    const files = writeFiles(dir, {
      'nlu.yml': 'nlu:\n- intent: balance\n  examples: |\n    - what is on my [pink pig](account_type) account\n    - show my [credit](account_type) account\n',
      'synonyms.yml': 'nlu:\n- synonym: savings\n  examples: |\n    - pink pig\n    - rainy day fund\n',
    });
    const { model, warnings } = await trainFromFiles([files['nlu.yml']!, files['synonyms.yml']!], { language: 'en' });
    expect(warnings).toEqual([]);
    expect(model.entities.entities).toEqual([
      {
        name: 'account_type',
        records: [
          { type: 'synonyms', value: 'savings', words: ['pink pig', 'savings', 'rainy day fund'] },
          { type: 'synonyms', value: 'credit', words: ['credit'] },
        ],
      },
    ]);
    const e = createClassifier(model).classifySync('what is on my rainy day fund account');
    expect(e.slots?.map((x) => [x.value, x.text])).toEqual([['savings', 'rainy day fund']]);
  });

  test('a value an annotation gives maps the text wherever it is found, as Rasa does; two values for one text keep the first, with a warning', () => {
    // [berlin](city:BER) maps "Berlin" (any case) to BER, the bare annotation and the lookup entry included.
    const mapped = rasaNluToSource({ nlu: [{ intent: 'fly', examples: '- to [Berlin](city)\n- to [berlin](city:BER)\n' }, { lookup: 'city', examples: '- BERLIN\n- Oslo\n' }] });
    expect(mapped.source.entities).toEqual([
      {
        name: 'city',
        records: [
          { type: 'synonyms', value: 'BER', words: ['BERLIN', 'Berlin', 'berlin'] },
          { type: 'synonyms', value: 'Oslo', words: ['Oslo'] },
        ],
      },
    ]);
    expect(mapped.warnings).toEqual([]);
    const twice = rasaNluToSource({ nlu: [{ intent: 'fly', examples: '- to [Berlin](city:BER)\n- to [berlin](city:BRL)\n' }] });
    expect(twice.source.entities).toEqual([{ name: 'city', records: [{ type: 'synonyms', value: 'BER', words: ['Berlin', 'berlin'] }] }]);
    expect(twice.warnings).toEqual(['"berlin" is given the values "BER" and "BRL"; the first is kept']);
  });

  test('files of one project: values given in one file map annotations and lookups of the others; no false conflicts', async () => {
    const dir = tempDir('sts-rasa-values-');
    const files = writeFiles(dir, {
      'synonyms.yml': 'nlu:\n- synonym: savings\n  examples: |\n    - pink pig\n',
      'lookup.yml': 'nlu:\n- lookup: account_type\n  examples: |\n    - pink pig\n    - credit\n',
      'values.yml': 'nlu:\n- intent: open\n  examples: |\n    - open a [Checking](account_type:current) account\n',
      'nlu.yml': 'nlu:\n- intent: balance\n  examples: |\n    - what is on my [pink pig](account_type) account\n    - how much is on my [checking](account_type) account\n    - show my [Credit](account_type) card\n',
    });
    const { model, warnings } = await trainFromFiles(Object.values(files), { language: 'en' });
    expect(warnings).toEqual([]);
    const values = (text: string) => createClassifier(model).classifySync(text).slots?.map((x) => x.value);
    expect(values('what is on my pink pig account')).toEqual(['savings']);
    expect(values('how much is on my checking account')).toEqual(['current']);
    expect(values('show my credit card')).toEqual(['credit']);
  });

  test("a synonym's name defers to a value an annotation gives it; lookup records keep their place before a regex", () => {
    const { source, warnings } = rasaNluToSource({
      nlu: [
        { synonym: 'savings', examples: '- pink pig\n' },
        { intent: 'open', examples: '- open a [savings](acct:sav) account\n- fill my [pink pig](acct)\n' },
        { lookup: 'code', examples: '- alpha\n' },
        { regex: 'code', examples: '- \\d{4}\n' },
      ],
    });
    expect(warnings).toEqual([]);
    expect(source.entities).toEqual([
      { name: 'code', records: [{ type: 'synonyms', value: 'alpha', words: ['alpha'] }, { type: 'pattern', pattern: '\\d{4}' }] },
      {
        name: 'acct',
        records: [
          { type: 'synonyms', value: 'sav', words: ['savings'] },
          // "savings" itself means "sav" here: it is not a word of the value "savings".
          { type: 'synonyms', value: 'savings', words: ['pink pig'] },
        ],
      },
    ]);
    expect(compile({ ...source, language: 'en' }).warnings).toEqual([]);
  });

  test('across files, an annotated value maps the text only, not its words into other entities; an unknown file kind is named before any read', async () => {
    const dir = tempDir('sts-rasa-pairs-');
    const files = writeFiles(dir, {
      'a.yml': 'nlu:\n- intent: open\n  examples: |\n    - open a [checking](account_type:current) account\n',
      'b.yml': 'nlu:\n- intent: when\n  examples: |\n    - in the [current](period) month\n- lookup: period\n  examples: |\n    - current\n',
    });
    const { model } = await trainFromFiles([files['a.yml']!, files['b.yml']!], { language: 'en' });
    expect(model.entities.entities.find((e) => e.name === 'period')!.records).toEqual([{ type: 'synonyms', value: 'current', words: ['current'] }]);
    const e = await stsErrorOfAsync(() => trainFromFiles([path.join(dir, 'missing.yml'), path.join(dir, 'notes.txt')]));
    expect(e.code).toBe('unsupported_format');
    // A value given a synonym's name in one file holds in every file, whatever their order.
    const more = writeFiles(dir, {
      'c.yml': 'nlu:\n- intent: open\n  examples: |\n    - open a [savings](acct:sav) account\n',
      'd.yml': 'nlu:\n- synonym: savings\n  examples: |\n    - pink pig\n- intent: fill\n  examples: |\n    - fill my [savings](acct) now\n',
    });
    for (const order of [['c.yml', 'd.yml'], ['d.yml', 'c.yml']]) {
      const trained = await trainFromFiles(order.map((f) => more[f]!), { language: 'en' });
      expect(trained.warnings).toEqual([]);
      expect(createClassifier(trained.model).classifySync('fill my savings now').slots?.map((x) => x.value)).toEqual(['sav']);
    }
  });

  test('two files of one Rasa project annotating the same entity train together: records and slots merge', async () => {
    const dir = tempDir('sts-rasa-split-');
    const files = writeFiles(dir, {
      'nlu1.yml': 'nlu:\n- intent: fly\n  examples: |\n    - fly to [Berlin](city)\n- lookup: city\n  examples: |\n    - Oslo\n',
      'nlu2.yml': 'nlu:\n- intent: fly\n  examples: |\n    - a flight from [Rome](city) to [Berlin](city)\n    - fly to [Berlin]{"entity": "city", "value": "Berlin"}\n',
    });
    const { model, warnings } = await trainFromFiles([files['nlu1.yml']!, files['nlu2.yml']!], { language: 'en' });
    expect(warnings).toEqual([]);
    expect(model.intents[0]!.slots).toEqual([{ name: 'city', entity: 'city', required: false, array: true }]);
    const e = createClassifier(model).classifySync('a flight from Oslo to Rome');
    expect(e.slots?.map((x) => x.value)).toEqual(['Oslo', 'Rome']);
  });

  test('skips example lines that do not start with "-", with a warning, as Rasa does', () => {
    const { source, warnings } = rasaNluToSource({ nlu: [{ intent: 'greet', examples: '- hi\nhello\n- hey\n' }] });
    expect(source.intents?.[0]?.phrases).toEqual(['hi', 'hey']);
    expect(warnings).toEqual(['/greet: skipped 1 example line not starting with "-" ("hello")']);
  });

  test('warns about a synonym without examples, an unknown version, and a file without nlu', () => {
    expect(rasaNluToSource({ version: '1.0', nlu: [{ synonym: 'x' }] }).warnings).toEqual([
      'version "1.0": not a Rasa 2 or 3 training data format; read as Rasa 3',
      'synonym x: no examples besides itself; skipped',
    ]);
    expect(rasaNluToSource({ version: '3.1', stories: [] }).warnings).toEqual([
      'stories: only the nlu section is imported; ignored',
      'no nlu section: no intents imported',
    ]);
  });

  const base = ['version: "3.1"', 'nlu:', '- intent: greet', '  examples: |', '    - hi'];
  test.each([
    ['nlu that is not a list', ['version: "3.1"', 'nlu:', '  greet: hi'], 'nlu', 3],
    ['an item of no known kind', [...base, '- intnet: bye', '  examples: |', '    - bye'], 'nlu.1', 6],
    ['an item of two kinds', [...base, '- intent: bye', '  synonym: bye', '  examples: ""'], 'nlu.1', 6],
    ['examples that are a number', [...base, '- intent: bye', '  examples: 42'], 'nlu.1.examples', 7],
    ['an empty intent name', [...base, '- intent: ""', '  examples: |', '    - bye'], 'nlu.1.intent', 6],
    ['an intent name with an empty segment', [...base, '- intent: chitchat//ask', '  examples: |', '    - who'], 'nlu.1.intent', 6],
  ])('rejects %s with invalid_source naming the path and line', (_name, lines, where, line) => {
    const e = stsErrorOf(() => importSource(lines.join('\n') + '\n', 'nlu.yml'));
    expect(e.code).toBe('invalid_source');
    expect(e.message).toContain(`nlu.yml:${line}: invalid Rasa NLU data at ${where}: `);
    expect(e.details[0]).toMatchObject({ file: 'nlu.yml', line, path: where });
  });
});

describe('NLP.js corpus', () => {
  test('imports intents with the first answer, the language of the locale, labels as paths', () => {
    const { source } = nlpjsCorpusToSource(JSON.parse(fixtureText(NLPJS)));
    expect(source.language).toBe('en');
    expect(source.intents?.map((i) => i.path)).toEqual([
      '/agent.acquaintance',
      '/greetings.hello',
      '/greetings.bye',
      '/shop.food',
      '/shop.grooming',
    ]);
    expect(source.intents?.[0]).toEqual({
      path: '/agent.acquaintance',
      answer: "I'm the pet shop's virtual assistant.",
      phrases: ['who are you', 'tell me about yourself', 'what are you', 'are you a bot'],
    });
    expect(source.intents?.[3]?.phrases).toContain('do you sell food for @pet');
    expect(source.intents?.[4]).toEqual({
      path: '/shop.grooming',
      phrases: ['can I book a grooming appointment', 'do you trim dog nails', 'my dog needs a haircut'],
    });
  });

  test('warns about extra answers; entities are imported, and the intents that reference one get its slot', () => {
    const { source, warnings } = nlpjsCorpusToSource(JSON.parse(fixtureText(NLPJS)));
    expect(warnings).toEqual(['/agent.acquaintance: kept the first of 2 answers']);
    expect(source.entities).toEqual([
      {
        name: 'pet',
        records: [
          { type: 'synonyms', value: 'dog', words: ['dog', 'puppy', 'doggy'] },
          { type: 'synonyms', value: 'cat', words: ['cat', 'kitten', 'kitty'] },
          { type: 'synonyms', value: 'rabbit', words: ['rabbit', 'bunny'] },
        ],
      },
      // "/…/gi": case-insensitive, as ours are by default.
      { name: 'email', records: [{ type: 'pattern', pattern: '\\b(\\w[-._\\w]*\\w@\\w[-._\\w]*\\w\\.\\w{2,3})\\b' }] },
    ]);
    expect(source.intents?.find((i) => i.path === '/shop.food')?.slots).toEqual([{ name: 'pet', entity: 'pet' }]);
  });

  test('compiles and classifies; @pet stands for any pet, and fills the slot', () => {
    const { intentOf, classifier, model } = classifierOf(NLPJS);
    expect(model.language).toBe('en');
    expect(intentOf('who are you exactly')).toBe('/agent.acquaintance');
    expect(intentOf('hi')).toBe('/greetings.hello');
    expect(intentOf('goodbye then')).toBe('/greetings.bye');
    expect(intentOf('where can I find cat food')).toBe('/shop.food');
    expect(intentOf('can I book an appointment for grooming')).toBe('/shop.grooming');
    expect(classifier.classifySync('see you soon').answer).toBe('Bye, give your pet a cuddle from us!');
    const e = classifier.classifySync('do you sell food for my kitten');
    expect(e).toMatchObject({ intent: '/shop.food', phrase: 'do you sell food for @pet', slots: [{ name: 'pet', value: 'cat', text: 'kitten' }] });
    expect(e.explanation!.aligned).toContainEqual(expect.objectContaining({ request: 'kitten', phrase: '@pet', type: 'entity' }));
  });

  test('reads answers as {answer}, locales in other spellings, slot filling and an intent listed twice', () => {
    const { source, warnings } = nlpjsCorpusToSource({
      locale: 'pt_BR',
      contextData: { shop: 'Loja' },
      data: [
        { intent: 'travel', utterances: ['quero viajar'], answers: [{ answer: 'Para onde?', opts: 'x > 1' }], slotFilling: { toCity: 'Para onde?' } },
        { intent: 'travel', utterances: ['  ', 'vou viajar'], answers: ['Outra'] },
        { intent: 'None', utterances: [] },
        { intent: 'redeem', utterances: ['usar o código @code', 'tenho um cupom'], slotFilling: { code: 'Qual código?' } },
      ],
      entities: { city: { trim: [{ position: 'afterLast', words: ['para'] }] }, code: { regex: '/\\d+/' }, misc: {}, 'not a name': { options: {} } },
    });
    expect(source).toEqual({
      language: 'pt',
      intents: [
        { path: '/travel', answer: 'Para onde?', phrases: ['quero viajar', 'vou viajar'] },
        { path: '/None', phrases: [] },
        // Slot filling makes the slot required; its question is the slot's prompt.
        { path: '/redeem', phrases: ['usar o código @code', 'tenho um cupom'], slots: [{ name: 'code', entity: 'code', required: true, prompts: ['Qual código?'] }] },
      ],
      // "/\\d+/" without i: case-sensitive, which ours say with (?-i).
      entities: [{ name: 'code', records: [{ type: 'pattern', pattern: '(?-i)\\d+' }] }],
    });
    expect(warnings).toEqual([
      'contextData: not supported; ignored',
      'entity city: its trim rules are not supported; dropped',
      'entity misc: not an entity NLP.js defines (options, regex or trim); dropped',
      'entity not a name: not a name we can give an entity; dropped (0 options)',
      '/travel: slot filling of toCity: no entity toCity is imported; dropped',
    ]);
  });

  test('entities of several kinds at once, regex flags, numbered references, e-mail addresses and slot filling objects', () => {
    const { source, warnings } = nlpjsCorpusToSource({
      data: [
        {
          intent: 'hero',
          utterances: ['@hero_0 against @hero_1', 'is @hero strong', 'write to me@hero.com'],
          slotFilling: { hero: { mandatory: false, question: 'Who?' }, code: { mandatory: true, question: 'Which code?' } },
        },
        { intent: 'mail', utterances: ['mail bob@code.com'] },
      ],
      entities: {
        hero: { options: { spiderman: ['spiderman', 'spider-man'], ironman: 'iron man', '': ['nobody'] }, regex: ['/\\bbat\\w+/gim', '/(a/'], trim: [] },
        code: { regex: '/^x.y$/s' },
      },
    });
    expect(source.intents).toEqual([
      {
        path: '/hero',
        // Numbered references are ours; an e-mail address is not a reference.
        phrases: ['@hero against @hero', 'is @hero strong', 'write to me@hero.com'],
        slots: [
          // Two in one utterance; {mandatory: false}: not required, its question kept all the same.
          { name: 'hero', entity: 'hero', array: true, prompts: ['Who?'] },
          { name: 'code', entity: 'code', required: true, prompts: ['Which code?'] },
        ],
      },
      { path: '/mail', phrases: ['mail bob@code.com'] },
    ]);
    expect(source.entities).toEqual([
      {
        name: 'hero',
        records: [
          { type: 'pattern', pattern: '(?m)\\bbat\\w+' },
          { type: 'synonyms', value: 'spiderman', words: ['spiderman', 'spider-man'] },
          { type: 'synonyms', value: 'ironman', words: ['ironman', 'iron man'] },
        ],
      },
      { name: 'code', records: [{ type: 'pattern', pattern: '(?s-i)^x.y$' }] },
    ]);
    expect(warnings).toEqual([
      expect.stringMatching(/^entity hero: regex "\/\(a\/" dropped: /),
      'entity hero: an option without a name dropped',
      'entity hero: its trim rules are not supported; dropped',
    ]);
    // A question that is blank or not a text is not imported, and the warning says which and where.
    const questions = nlpjsCorpusToSource({
      data: [{ intent: 'q', utterances: ['code @code'], slotFilling: { code: { mandatory: true, question: { en: 'Which?' } } } }, { intent: 'r', utterances: ['hi'], slotFilling: { code: ' ' } }],
      entities: { code: { regex: '/\\d+/' } },
    });
    expect(questions.warnings).toEqual([
      '/q: slot filling of code: a question that is not a text (data.0.slotFilling.code.question); not imported',
      '/r: slot filling of code: an empty question (data.1.slotFilling.code); not imported',
    ]);
    expect(questions.source.intents!.map((i) => i.slots)).toEqual([[{ name: 'code', entity: 'code', required: true }], [{ name: 'code', entity: 'code', required: true }]]);
    // An entity whose only option has no name: that one warning, not a second one.
    expect(nlpjsCorpusToSource({ data: [], entities: { x: { options: { ' ': ['a'] } } } }).warnings).toEqual(['entity x: an option without a name dropped']);
    // The translated flags mean what they meant: case-insensitive with i, . across lines with s.
    const classifier = createClassifier(compile({ ...source, language: 'en' }).model);
    expect(classifier.classifySync('is BATMAN strong').slots).toEqual([expect.objectContaining({ name: 'hero', value: 'BATMAN' })]);
  });

  test.each([
    ['a bad locale', '{\n  "locale": "English!",\n  "data": []\n}\n', 'locale', 2],
    ['utterances that are not a list', '{\n  "data": [\n    {"intent": "a", "utterances": []},\n    {"intent": "b",\n     "utterances": "hi"}\n  ]\n}\n', 'data.1.utterances', 5],
    ['an item without an intent', '{\n  "data": [\n    {"utterances": ["hi"]}\n  ]\n}\n', 'data.0.intent', 3],
    ['an intent name that makes no path', '{\n  "data": [\n    {"intent": "a/"}\n  ]\n}\n', 'data.0.intent', 3],
  ])('rejects %s with invalid_source naming the path and line', (_name, text, where, line) => {
    const e = stsErrorOf(() => importSource(text, 'corpus.json'));
    expect(e.code).toBe('invalid_source');
    expect(e.message).toContain(`corpus.json:${line}: invalid NLP.js corpus at ${where}: `);
    expect(e.details[0]).toMatchObject({ file: 'corpus.json', line, path: where });
  });
});

describe('importSource dispatch', () => {
  test('a Caila export goes through the Caila importer, with its warnings', () => {
    const imported = importSource(readFileSync(CAILA, 'utf8'), CAILA);
    expect(imported).toMatchObject({ format: 'caila', kind: 'intents', data: { language: 'en' } });
    expect(imported.data.intents.map((i) => i.path)).toEqual(['/Hello', '/Pizza/Order', '/Pizza/Status']);
    expect(imported.warnings).toContain('/Bye: disabled in the Caila project; skipped');
  });

  test('a damaged Caila export is named with the line of the bad value', () => {
    const text = '{\n  "project": {"id": "p"},\n  "intents": [\n    {"path": "/a",\n     "phrases": [{"txt": "hi"}]}\n  ]\n}\n';
    const e = stsErrorOf(() => importSource(text, 'p.json'));
    expect(e.code).toBe('invalid_source');
    expect(e.message).toMatch(/^p\.json:5: invalid Caila project at intents\.0\.phrases\.0\.text: /);
  });

  test('our intents file keeps its validation: the line of a misspelt key, duplicate keys in JSON', () => {
    const typo = stsErrorOf(() => importSource('intents: []\nsettings:\n  threshhold: 0.3\n', 'bot.yaml'));
    expect(typo.message).toMatch(/^bot\.yaml:3: settings\.threshhold: /);
    const dup = stsErrorOf(() => importSource('{\n "intents": [],\n "intents": []\n}\n', 'bot.json'));
    expect(dup.message).toMatch(/^bot\.json:3: not valid YAML\/JSON: Map keys must be unique/);
  });

  test('a format given overrides the extension and the shape', () => {
    const rows = importSource('{"text": "hi", "intent": "greet"}\n', 'rows.txt', 'jsonl');
    expect(rows).toMatchObject({ format: 'jsonl', kind: 'list', data: { intents: [{ path: '/greet', phrases: ['hi'] }] } });
    const rasa = importSource(fixtureText(RASA), 'nlu.txt', 'rasa');
    expect(rasa.format).toBe('rasa');
    // Our intents file read as an NLP.js corpus: the corpus schema says what is missing.
    const e = stsErrorOf(() => importSource('intents:\n  - path: /a\n', 'bot.yaml', 'nlpjs'));
    expect(e.message).toMatch(/^bot\.yaml: invalid NLP\.js corpus at data: /);
  });

  test('a large Caila export is read with JSON.parse: several times faster than the YAML parser', () => {
    const intents = Array.from({ length: 1000 }, (_, i) => ({
      id: i, path: `/I${i}`, enabled: true, phrases: Array.from({ length: 20 }, (_, k) => ({ text: `phrase ${k} of intent ${i}` })),
    }));
    const text = JSON.stringify({ project: { id: 'big' }, intents }, null, 2);
    const time = (fn: () => unknown) => {
      const started = performance.now();
      fn();
      return performance.now() - started;
    };
    let imported: ReturnType<typeof importSource> | undefined;
    const importMs = time(() => (imported = importSource(text, 'big.json')));
    expect(imported?.data.intents).toHaveLength(1000);
    expect(importMs).toBeLessThan(time(() => parseYaml(text)) / 2);
  });
});

describe('reading and training imported files', () => {
  const dir = tempDir();
  const files = writeFiles(dir, {
    'nlu.txt': fixtureText(RASA),
    'corpus.yaml': toYaml(JSON.parse(fixtureText(NLPJS))),
    'ru.json': JSON.stringify({ locale: 'ru-RU', data: [{ intent: 'greet', utterances: ['привет'] }] }),
  });

  test('readSource detects the format and carries the warnings', async () => {
    const source = await readSource(fixturePath(JAICP));
    expect(source).toMatchObject({ format: 'jaicp', kind: 'intents' });
    expect(source.warnings).toEqual(['/Promo/SummerDeal: disabled in the JAICP export; skipped']);
    expect((await readSource(files['corpus.yaml']!)).format).toBe('nlpjs');
  });

  test('readSource with a format reads a file of any extension; without one, an unknown extension is an error', async () => {
    expect((await readSource(files['nlu.txt']!, { format: 'rasa' })).data.intents).toHaveLength(5);
    const e = await stsErrorOfAsync(() => readSource(files['nlu.txt']!));
    expect(e.code).toBe('unsupported_format');
  });

  test('trains from three formats at once, the import warnings first and prefixed with their file', async () => {
    const sources = [fixturePath(JAICP), fixturePath(RASA), fixturePath(NLPJS)];
    const { model, warnings } = await trainFromFiles(sources);
    expect(model.language).toBe('en');
    expect(model.intents).toHaveLength(4 + 5 + 5);
    expect(warnings[0]).toBe(`${fixturePath(JAICP)}: /Promo/SummerDeal: disabled in the JAICP export; skipped`);
    expect(warnings.filter((w) => w.startsWith(fixturePath(JAICP)))).toHaveLength(1);
    expect(warnings.filter((w) => w.startsWith(fixturePath(RASA)))).toHaveLength(1);
    expect(warnings.filter((w) => w.startsWith(fixturePath(NLPJS)))).toHaveLength(1);
    // compile's own, last: the slot entities and @references no file defines.
    // (The NLP.js corpus defines its @pet.)
    expect(warnings.filter((w) => w.startsWith('unsupported entity'))).toEqual([unsupported('drink', '/Order/Coffee'), unsupported('size', '/Order/Coffee')]);
    expect(warnings.slice(-2)).toEqual([unsupported('drink', '/Order/Coffee'), unsupported('size', '/Order/Coffee')]);
  });

  test('the language of a corpus conflicts with another one, naming both', async () => {
    const e = await stsErrorOfAsync(() => trainFromFiles([fixturePath(NLPJS), files['ru.json']!]));
    expect(e.code).toBe('source_conflict');
    expect(e.message).toContain(files['ru.json']);
  });

  test('--format applies to every file', async () => {
    const e = await stsErrorOfAsync(() => trainFromFiles([fixturePath(NLPJS), fixturePath(RASA)], { format: 'nlpjs' }));
    expect(e.code).toBe('invalid_source');
    expect(e.message).toContain(fixturePath(RASA));
  });
});

describe('importValue', () => {
  test('imports a parsed value by its shape, or in the format given', () => {
    const corpus = JSON.parse(fixtureText(NLPJS));
    expect(importValue(corpus)).toMatchObject({ format: 'nlpjs', source: { language: 'en' } });
    expect(importValue({ intents: [] })).toEqual({ format: 'intents', source: { intents: [] }, warnings: [] });
    expect(importValue(readYaml(RASA), 'rasa').source.intents).toHaveLength(5);
    const e = stsErrorOf(() => importValue({ foo: 1 }, 'auto', 'request body'));
    expect(e.code).toBe('unsupported_format');
    expect(e.message).toMatch(/^request body: cannot tell the source format/);
  });
});
