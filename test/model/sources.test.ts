import path from 'node:path';
import { createClassifier } from '../../src/lexicons.js';
import { compileIntentSet } from '../../src/model/compile.js';
import { readSource, trainFromFiles } from '../../src/model/io.js';
import { mergeSources, type ParsedSource } from '../../src/model/merge-sources.js';
import { importSource } from '../../src/model/importers/index.js';
import type { IntentsFile } from '../../src/model/source-schema.js';
import { labelToPath, parseCsv, parseJsonl, rowsToIntents } from '../../src/model/parse-training-list.js';
import { cleanupTempDirs, stsErrorOf, stsErrorOfAsync, tempDir, writeFiles } from '../helpers.js';

afterAll(cleanupTempDirs);

/** Our intents file (YAML or JSON) as `sts train` reads it: errors name the file, the line and the field path. */
const readIntentsFile = (text: string, file: string) => importSource(text, file, 'intents').data as IntentsFile;

describe('reading an intents file', () => {
  test('reads a YAML intents file, phrases as strings or {text}', () => {
    const data = readIntentsFile(
      [
        'language: en',
        'settings:',
        '  threshold: 0.3',
        'synonyms:',
        '  - words: [cab, taxi]',
        'stopWords: [please]',
        'intents:',
        '  - path: /Taxi/Order',
        '    answer: On my way',
        '    phrases:',
        '      - order a taxi',
        '      - text: call me a cab',
      ].join('\n'),
      'bot.yaml',
    );
    expect(data).toEqual({
      language: 'en',
      settings: { threshold: 0.3 },
      synonyms: [{ words: ['cab', 'taxi'], weight: 1 }],
      stopWords: ['please'],
      intents: [{ path: '/Taxi/Order', answer: 'On my way', phrases: ['order a taxi', 'call me a cab'], patterns: [], slots: [] }],
      entities: [],
      allowedPatterns: [],
    });
  });

  test('reads entities, allowedPatterns, patterns and slots (slot entities with or without "@")', () => {
    const data = readIntentsFile(
      [
        'language: en',
        'allowedPatterns: [City]',
        'entities:',
        '  - name: City',
        '    records:',
        '      - { type: synonyms, value: Moscow, words: [Moscow, Moskva] }',
        '      - { type: synonyms, rule: [Paris] }',
        '      - { type: pattern, pattern: "\\\\d{6}", value: zip }',
        'intents:',
        '  - path: /Weather',
        '    phrases: [weather in @City]',
        '    patterns: ["* weather * @City *"]',
        '    slots:',
        '      - { name: city, entity: "@City", required: true }',
        '      - { name: n, entity: duckling.number, array: true }',
      ].join('\n'),
      'bot.yaml',
    );
    expect(data).toEqual({
      language: 'en',
      synonyms: [],
      stopWords: [],
      allowedPatterns: ['City'],
      entities: [
        {
          name: 'City',
          records: [
            { type: 'synonyms', value: 'Moscow', words: ['Moscow', 'Moskva'] },
            { type: 'synonyms', value: 'Paris', words: ['Paris'] },
            { type: 'pattern', pattern: '\\d{6}', value: 'zip' },
          ],
        },
      ],
      intents: [
        {
          path: '/Weather',
          phrases: ['weather in @City'],
          patterns: ['* weather * @City *'],
          slots: [
            { name: 'city', entity: 'City', required: true, array: false },
            { name: 'n', entity: 'duckling.number', required: false, array: true },
          ],
        },
      ],
    });
  });

  test('a slot\'s prompts: kept as written; an empty list is none; a blank prompt is an error naming where', () => {
    const slotOf = (prompts: string) => readIntentsFile(`intents:\n  - path: /a\n    phrases: [hi]\n    slots:\n      - { name: n, entity: duckling.number, required: true, prompts: ${prompts} }\n`, 'a.yaml').intents[0]!.slots![0];
    expect(slotOf('["How many?", "  And how many?  "]')).toEqual({ name: 'n', entity: 'duckling.number', required: true, array: false, prompts: ['How many?', 'And how many?'] });
    expect(slotOf('[]')).toEqual({ name: 'n', entity: 'duckling.number', required: true, array: false });
    expect(JSON.stringify(slotOf('[]'))).not.toContain('prompts'); // so the model id is that of a slot without the key
    const e = stsErrorOf(() => slotOf('["How many?", " "]'));
    expect(e.details).toEqual([expect.objectContaining({ path: 'intents.0.slots.0.prompts.1' })]);
  });

  test('reads the same file written as JSON', () => {
    const yaml = readIntentsFile('intents:\n  - path: /a\n    phrases: [hi, {text: yo}]\n', 'a.yaml');
    const json = readIntentsFile('{"intents": [{"path": "/a", "phrases": ["hi", {"text": "yo"}]}]}', 'a.json');
    expect(json).toEqual(yaml);
  });

  test('fills defaults for a minimal file', () => {
    expect(readIntentsFile('intents: []\n', 'a.yaml')).toEqual({ synonyms: [], stopWords: [], intents: [], entities: [], allowedPatterns: [] });
  });

  test.each([
    ['a YAML flow sequence left open', 'x.yaml', 'intents:\n  - path: /a\n    phrases: [hi\n  - path: /b\n'],
    ['a JSON list without a comma', 'x.json', '{\n "intents": [\n  {"path": "/a", "phrases": ["hi"]}\n  {"path": "/b"}\n ]\n}\n'],
    ['a duplicate key', 'x.yaml', 'language: en\nintents: []\nlanguage: ru\n'],
  ])('rejects %s with code invalid_source naming the file', (_name, file, text) => {
    const e = stsErrorOf(() => readIntentsFile(text, file));
    expect(e.code).toBe('invalid_source');
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/not valid YAML\/JSON/);
    expect(e.details[0]?.file).toBe(file);
  });

  // parse-intents-file.ts reads `e.linePos`, which the yaml package only fills in when
  // prettyErrors is on; the parser is called with prettyErrors: false, so the line is always lost.
  test.each([
    ['a YAML flow sequence left open', 'x.yaml', 'intents:\n  - path: /a\n    phrases: [hi\n  - path: /b\n', 4],
    ['a JSON list without a comma', 'x.json', '{\n "intents": [\n  {"path": "/a", "phrases": ["hi"]}\n  {"path": "/b"}\n ]\n}\n', 4],
    ['a duplicate key', 'x.yaml', 'language: en\nintents: []\nlanguage: ru\n', 3],
  ])('names the line of a syntax error: %s', (_name, file, text, line) => {
    const e = stsErrorOf(() => readIntentsFile(text, file));
    expect(e.details[0]?.line).toBe(line);
    expect(e.message).toMatch(new RegExp(`(:${line}\\b|line ${line}\\b)`));
  });

  const base = ['language: en', 'intents:', '  - path: /a', '    phrases: [hi]'];
  test.each([
    ['a path without a leading slash', [...base, '  - path: b', '    phrases: [yo]'], 5, 'intents.1.path'],
    ['a path with a trailing slash', [...base, '  - path: /b/', '    phrases: [yo]'], 5, 'intents.1.path'],
    ['a path with an empty segment', [...base, '  - path: /b//c', '    phrases: [yo]'], 5, 'intents.1.path'],
    ['phrases that are not a list', [...base, '  - path: /b', '    phrases: yo'], 6, 'intents.1.phrases'],
    ['an empty phrase', [...base, '  - path: /b', '    phrases: ["  "]'], 6, 'intents.1.phrases.0'],
    ['a setting out of range', ['settings:', '  threshold: -1', ...base], 2, 'settings.threshold'],
    ['a setting of the wrong type', ['settings:', '  nBest: many', ...base], 2, 'settings.nBest'],
    ['a synonym group of one word', ['synonyms:', '  - words: [cab]', ...base], 2, 'synonyms.0.words'],
    ['an invalid language code', ['language: English', 'intents: []'], 1, 'language'],
  ])('rejects %s with code invalid_source naming the file, line and field', (_name, lines, line, field) => {
    const e = stsErrorOf(() => readIntentsFile(lines.join('\n') + '\n', 'bot.yaml'));
    expect(e.code).toBe('invalid_source');
    expect(e.message).toContain(`bot.yaml:${line}: ${field}`);
    expect(e.details[0]).toMatchObject({ file: 'bot.yaml', line, path: field });
  });

  test('rejects a misspelled setting naming the file, the line of the key and its path', () => {
    const text = ['settings:', '  threshold: 0.3', '  exactMatc: 1', 'intents: []'].join('\n');
    const e = stsErrorOf(() => readIntentsFile(text, 'bot.yaml'));
    expect(e.code).toBe('invalid_source');
    expect(e.message).toMatch(/^bot\.yaml:3: settings\.exactMatc\b/);
    expect(e.details[0]).toMatchObject({ file: 'bot.yaml', path: 'settings.exactMatc', line: 3 });
  });

  test('rejects an unknown top-level key', () => {
    const e = stsErrorOf(() => readIntentsFile('intent:\n  - path: /a\n', 'bot.yaml'));
    expect(e.code).toBe('invalid_source');
    expect(e.message).toContain('intent');
  });

  test('lists several schema problems in the details', () => {
    const text = ['intents:', '  - path: a', '    phrases: [hi]', '  - path: b', '    phrases: [yo]'].join('\n');
    const e = stsErrorOf(() => readIntentsFile(text, 'bot.yaml'));
    expect(e.details.map((d) => [d.path, d.line])).toEqual([
      ['intents.0.path', 2],
      ['intents.1.path', 4],
    ]);
  });
});

describe('parseJsonl', () => {
  test('reads rows with their line numbers, skipping blank lines', () => {
    const text = '{"text": "hi", "intent": "greet"}\n\n{"text": "what is 2+2", "intent": null}\n{"text": "bye", "intent": "/bye"}\n';
    expect(parseJsonl(text, 'f.jsonl')).toEqual([
      { text: 'hi', intent: 'greet', line: 1 },
      { text: 'what is 2+2', intent: null, line: 3 },
      { text: 'bye', intent: '/bye', line: 4 },
    ]);
  });

  test('accepts CRLF line ends and no final newline', () => {
    expect(parseJsonl('{"text":"a","intent":"x"}\r\n{"text":"b","intent":"y"}', 'f.jsonl')).toHaveLength(2);
  });

  test.each([
    ['a line that is not JSON', '{"text": "hi", "intent": "a"}\n{"text": "yo"\n', 2, /not valid JSON/],
    ['a row without text', '{"text": "hi", "intent": "a"}\n{"intent": "a"}\n', 2, /expected/],
    ['a row with empty text', '{"text": "  ", "intent": "a"}\n', 1, /expected/],
    ['a row whose intent is a number', '\n\n{"text": "hi", "intent": 3}\n', 3, /expected/],
    ['a row without intent', '{"text": "hi"}\n', 1, /expected/],
    ['a row with an empty intent', '{"text": "hi", "intent": " "}\n', 1, /empty intent/],
    ['a JSON array row', '["hi", "a"]\n', 1, /expected/],
  ])('rejects %s with code invalid_source naming the line', (_name, text, line, message) => {
    const e = stsErrorOf(() => parseJsonl(text, 'data.jsonl'));
    expect(e.code).toBe('invalid_source');
    expect(e.message).toContain(`data.jsonl:${line}:`);
    expect(e.message).toMatch(message);
    expect(e.details[0]).toMatchObject({ file: 'data.jsonl', line });
  });
});

describe('parseCsv', () => {
  test('reads quoted fields with commas, doubled quotes and line breaks', () => {
    const text = ['text,intent', '"hello, world",greet', '"say ""hi""",greet', '"two', 'lines",multi', 'plain,after'].join('\n') + '\n';
    expect(parseCsv(text, 'f.csv')).toEqual([
      { text: 'hello, world', intent: 'greet', line: 2 },
      { text: 'say "hi"', intent: 'greet', line: 3 },
      { text: 'two\nlines', intent: 'multi', line: 4 },
      { text: 'plain', intent: 'after', line: 6 },
    ]);
  });

  test('reads an empty intent as out of scope (null)', () => {
    expect(parseCsv('text,intent\nwhat is 2+2,\nhi, \n', 'f.csv')).toEqual([
      { text: 'what is 2+2', intent: null, line: 2 },
      { text: 'hi', intent: null, line: 3 },
    ]);
  });

  test('reads columns in any order, extra columns, CRLF, a BOM and a header in any case', () => {
    const text = '\uFEFFid,Intent,TEXT\r\n1,greet,hello\r\n2,bye,"see you"\r\n';
    expect(parseCsv(text, 'f.csv')).toEqual([
      { text: 'hello', intent: 'greet', line: 2 },
      { text: 'see you', intent: 'bye', line: 3 },
    ]);
  });

  test('skips blank lines', () => {
    expect(parseCsv('text,intent\n\nhi,greet\n\n', 'f.csv')).toEqual([{ text: 'hi', intent: 'greet', line: 3 }]);
  });

  test.each([
    ['a header without the intent column', 'text,label\nhi,greet\n', 1, /header/],
    ['a header without the text column', 'phrase,intent\nhi,greet\n', 1, /header/],
    ['a row with too many fields', 'text,intent\nhi,greet\nhello, world,greet\n', 3, /expected 2 fields, got 3/],
    ['a row with too few fields', 'text,intent\nhi\n', 2, /expected 2 fields, got 1/],
    ['an unterminated quoted field', 'text,intent\nhi,greet\n"open,greet\n', 3, /unterminated/],
    ['an empty text', 'text,intent\n ,greet\n', 2, /empty text/],
  ])('rejects %s with code invalid_source naming the line', (_name, text, line, message) => {
    const e = stsErrorOf(() => parseCsv(text, 'data.csv'));
    expect(e.code).toBe('invalid_source');
    expect(e.message).toContain(`data.csv:${line}:`);
    expect(e.message).toMatch(message);
  });

  test('rejects an empty file asking for a header', () => {
    const e = stsErrorOf(() => parseCsv('', 'data.csv'));
    expect(e.code).toBe('invalid_source');
    expect(e.message).toMatch(/data\.csv: empty file.*text,intent/);
  });
});

describe('labels and rows', () => {
  test.each([
    ['translate', '/translate'],
    ['/translate', '/translate'],
    ['/a/b', '/a/b'],
    ['a/b', '/a/b'],
    ['  spaced  ', '/spaced'],
  ])('turns the label %j into the path %j', (label, expected) => {
    expect(labelToPath(label)).toBe(expected);
  });

  test('groups rows into intents in order of first appearance and counts out-of-scope rows', () => {
    const rows = [
      { text: 'hi', intent: 'greet', line: 1 },
      { text: 'what is 2+2', intent: null, line: 2 },
      { text: 'bye', intent: 'bye', line: 3 },
      { text: 'hello', intent: '/greet', line: 4 },
      { text: 'how tall is everest', intent: null, line: 5 },
    ];
    expect(rowsToIntents(rows)).toEqual({
      intents: [
        { path: '/greet', phrases: ['hi', 'hello'] },
        { path: '/bye', phrases: ['bye'] },
      ],
      outOfScope: 2,
    });
  });
});

describe('mergeSources', () => {
  const intents = (file: string, data: Partial<ParsedSource['data']>): ParsedSource => ({
    file,
    kind: 'intents',
    data: { intents: [], ...data },
  });

  test('rejects two files with different settings.threshold with code source_conflict naming both', () => {
    const e = stsErrorOf(() =>
      mergeSources([intents('a.yaml', { settings: { threshold: 0.3 } }), intents('b.yaml', { settings: { threshold: 0.4 } })]),
    );
    expect(e.code).toBe('source_conflict');
    expect(e.message).toContain('settings.threshold');
    expect(e.message).toContain('a.yaml');
    expect(e.message).toContain('b.yaml');
    expect(e.details.map((d) => d.file)).toEqual(['a.yaml', 'b.yaml']);
  });

  test('accepts files that give the same setting the same value, or different settings', () => {
    const set = mergeSources([
      intents('a.yaml', { settings: { threshold: 0.3, nBest: 3 } }),
      intents('b.yaml', { settings: { threshold: 0.3, lemmaMatch: 0.9 } }),
    ]);
    expect(set.settings).toEqual({ threshold: 0.3, nBest: 3, lemmaMatch: 0.9 });
  });

  test('names the file that set a value first even when a file in between is silent', () => {
    const e = stsErrorOf(() =>
      mergeSources([
        intents('a.yaml', { settings: { threshold: 0.3 } }),
        intents('b.yaml', {}),
        intents('c.yaml', { settings: { threshold: 0.5 } }),
      ]),
    );
    expect(e.message).toMatch(/a\.yaml says 0\.3, c\.yaml says 0\.5/);
  });

  test('merges intents with the same path, phrases appended in order', () => {
    const set = mergeSources([
      intents('a.yaml', { intents: [{ path: '/a', answer: 'Hi', phrases: ['hello'] }] }),
      { file: 'b.jsonl', kind: 'list', data: { intents: [{ path: '/a', phrases: ['hi there'] }, { path: '/b', phrases: ['bye'] }] } },
    ]);
    expect(set.intents).toEqual([
      { path: '/a', answer: 'Hi', phrases: ['hello', 'hi there'], patterns: [], slots: [] },
      { path: '/b', phrases: ['bye'], patterns: [], slots: [] },
    ]);
  });

  test('merges patterns (appended) and slots (by name) of intents with the same path', () => {
    const city = { name: 'city', entity: 'City', required: true, array: false };
    const n = { name: 'n', entity: 'number', required: false, array: false };
    const set = mergeSources([
      intents('a.yaml', { intents: [{ path: '/a', phrases: ['hello'], patterns: ['hi *'], slots: [city] }] }),
      intents('b.yaml', { intents: [{ path: '/a', phrases: [], patterns: ['hey *', 'hi *'], slots: [city, n] }] }),
    ]);
    expect(set.intents).toEqual([{ path: '/a', phrases: ['hello'], patterns: ['hi *', 'hey *', 'hi *'], slots: [city, n] }]);
  });

  test('collects the entities of all files and allowedPatterns without repeats', () => {
    const City = { name: 'City', records: [{ type: 'synonyms' as const, value: 'Moscow', words: ['Moscow'] }] };
    const Zip = { name: 'Zip', records: [{ type: 'pattern' as const, pattern: '\\d{6}' }] };
    const set = mergeSources([
      intents('a.yaml', { entities: [City], allowedPatterns: ['City'] }),
      intents('b.yaml', { entities: [Zip], allowedPatterns: ['Zip', 'City'] }),
    ]);
    expect(set.entities).toEqual([City, Zip]);
    expect(set.allowedPatterns).toEqual(['City', 'Zip']);
  });

  // A Rasa project's NLU is often split over files that annotate the same entities: entities
  // merge as intents do.
  test('merges an entity defined by two files: records appended, the words of one value joined, a record given twice kept once', () => {
    const a = { name: 'City', records: [{ type: 'synonyms' as const, value: 'Moscow', words: ['Moscow'] }, { type: 'pattern' as const, pattern: '\\d{6}' }] };
    const b = {
      name: 'City',
      records: [
        { type: 'synonyms' as const, value: 'Moscow', words: ['Moskva', 'Moscow'] },
        { type: 'synonyms' as const, value: 'Paris', words: ['Paris'] },
        { type: 'pattern' as const, pattern: '\\d{6}' },
      ],
    };
    const first = intents('a.yaml', { entities: [a] });
    const set = mergeSources([first, intents('b.yaml', { entities: [b] })]);
    expect(set.entities).toEqual([
      {
        name: 'City',
        records: [
          { type: 'synonyms', value: 'Moscow', words: ['Moscow', 'Moskva'] },
          { type: 'pattern', pattern: '\\d{6}' },
          { type: 'synonyms', value: 'Paris', words: ['Paris'] },
        ],
      },
    ]);
    expect(first.data.entities![0]!.records[0]).toEqual({ type: 'synonyms', value: 'Moscow', words: ['Moscow'] }); // the source is unchanged
  });

  test('one slot given by two files naming the same entity: required or an array if either says so', () => {
    const set = mergeSources([
      intents('a.yaml', { intents: [{ path: '/a', phrases: ['hi'], slots: [{ name: 'city', entity: 'City', required: true, array: false }] }] }),
      intents('b.yaml', { intents: [{ path: '/a', phrases: [], slots: [{ name: 'city', entity: 'City', required: false, array: true }] }] }),
    ]);
    expect(set.intents[0]!.slots).toEqual([{ name: 'city', entity: 'City', required: true, array: true }]);
  });

  test('one slot given by two files: its prompts are both files\', each once, in file order', () => {
    const slot = (prompts?: string[]) => [{ name: 'city', entity: 'City', required: true, array: false, ...(prompts && { prompts }) }];
    const set = mergeSources([
      intents('a.yaml', { intents: [{ path: '/a', phrases: ['hi'], slots: slot(['Which city?']) }] }),
      intents('b.yaml', { intents: [{ path: '/a', phrases: [], slots: slot() }] }),
      intents('c.yaml', { intents: [{ path: '/a', phrases: [], slots: slot(['Where to?', 'Which city?']) }] }),
    ]);
    expect(set.intents[0]!.slots).toEqual(slot(['Which city?', 'Where to?']));
  });

  // A slot name given twice for other entities was once dropped silently; like different answers
  // of one intent, it is a source_conflict naming both files (required and array merge).
  test('rejects one slot naming different entities in two files, naming both', () => {
    const e = stsErrorOf(() =>
      mergeSources([
        intents('a.yaml', { intents: [{ path: '/a', phrases: ['hi'], slots: [{ name: 'city', entity: 'City', required: true, array: false }] }] }),
        intents('b.yaml', { intents: [{ path: '/a', phrases: [], slots: [{ name: 'city', entity: 'Town', required: false, array: false }] }] }),
      ]),
    );
    expect(e.code).toBe('source_conflict');
    expect(e.message).toMatch(/city.*a\.yaml.*b\.yaml/);
  });

  test('the file named for a slot conflict is the one that gave the slot, also when it was not the first to give the intent', () => {
    const slot = (entity: string) => [{ name: 'town', entity, required: false, array: false }];
    const e = stsErrorOf(() =>
      mergeSources([
        intents('a.yaml', { intents: [{ path: '/fly', phrases: ['fly'] }] }),
        intents('c.yaml', { intents: [{ path: '/fly', phrases: [], slots: slot('City') }] }),
        intents('d.yaml', { intents: [{ path: '/fly', phrases: [], slots: slot('Town') }] }),
      ]),
    );
    expect(e.message).toBe('conflicting entity of slot town of /fly: c.yaml says "City", d.yaml says "Town"');
  });

  test('a word two files (or one) give different values of one entity: merged as given; compile keeps the first and warns', () => {
    const city = (value: string, word: string) => ({ name: 'City', records: [{ type: 'synonyms' as const, value, words: [word] }] });
    const set = mergeSources([
      intents('a.yaml', { entities: [city('Moscow', 'Moscow')], intents: [{ path: '/go', phrases: ['go to @City'], slots: [{ name: 'city', entity: 'City', required: false, array: false }] }] }),
      intents('e.yaml', { entities: [city('MSK', 'moscow'), city('Moscow', 'Moscow')] }),
    ]);
    expect(set.entities![0]!.records).toEqual([...city('Moscow', 'Moscow').records, ...city('MSK', 'moscow').records]);
    const { model, warnings } = compileIntentSet({ ...set, language: 'en' });
    expect(warnings).toEqual(['entity City: "moscow" means "Moscow" and "MSK"; it matches as "Moscow"']);
    expect(createClassifier(model).classifySync('go to moscow').slots).toEqual([expect.objectContaining({ name: 'city', value: 'Moscow', text: 'moscow' })]);
  });

  test('does not change the parsed sources it merges', () => {
    const a = intents('a.yaml', { intents: [{ path: '/a', phrases: ['hello'] }] });
    mergeSources([a, intents('b.yaml', { intents: [{ path: '/a', phrases: ['hi'] }] })]);
    expect(a.data.intents[0]!.phrases).toEqual(['hello']);
  });

  test('rejects different answers of one intent naming both files', () => {
    const e = stsErrorOf(() =>
      mergeSources([
        intents('a.yaml', { intents: [{ path: '/a', answer: 'Hi', phrases: ['hello'] }] }),
        intents('b.yaml', { intents: [{ path: '/a', answer: 'Hey', phrases: ['hi'] }] }),
      ]),
    );
    expect(e.code).toBe('source_conflict');
    expect(e.message).toMatch(/answer of \/a.*a\.yaml.*b\.yaml/);
  });

  test('concatenates synonyms and stop words of all files', () => {
    const set = mergeSources([
      intents('a.yaml', { synonyms: [{ words: ['cab', 'taxi'], weight: 1 }], stopWords: ['please'] }),
      intents('b.yaml', { synonyms: [{ words: ['car', 'auto'], weight: 0.5 }], stopWords: ['pls'] }),
    ]);
    expect(set.synonyms).toHaveLength(2);
    expect(set.stopWords).toEqual(['please', 'pls']);
  });

  test.each([
    ['language', { language: 'en' }, { language: 'ru' }],
    ['wordNet', { wordNet: true }, { wordNet: false }],
  ])('rejects files that disagree on %s', (key, a, b) => {
    const e = stsErrorOf(() => mergeSources([intents('a.yaml', a), intents('b.yaml', b)]));
    expect(e.code).toBe('source_conflict');
    expect(e.message).toContain(key);
  });

  test('--language sets the language; a file declaring another one conflicts with it', () => {
    expect(mergeSources([intents('a.yaml', {})], { language: 'uk' }).language).toBe('uk');
    expect(mergeSources([intents('a.yaml', { language: 'uk' })], { language: 'uk' }).language).toBe('uk');
    const e = stsErrorOf(() => mergeSources([intents('a.yaml', { language: 'en' })], { language: 'ru' }));
    expect(e.code).toBe('source_conflict');
    expect(e.message).toMatch(/--language.*a\.yaml/);
  });
});

describe('reading source files', () => {
  const dir = tempDir();
  const files = writeFiles(dir, {
    'bot.yaml': 'language: en\nintents:\n  - path: /hello\n    phrases: [hello, hi there]\n',
    'bot.json': '{"intents": [{"path": "/hello", "phrases": ["hello", "hi there"]}]}',
    'bom.yaml': '\uFEFFintents:\n  - path: /hello\n    phrases: [hello]\n',
    'crlf.yaml': 'intents:\r\n  - path: /hello\r\n    phrases: [hello]\r\n',
    'train.jsonl': '{"text": "hello", "intent": "hello"}\n{"text": "what is 2+2", "intent": null}\n{"text": "bye", "intent": "bye"}\n',
    'train.csv': 'text,intent\n"good morning, bot",hello\nsee you,bye\nhow tall is everest,\n',
    'ru.jsonl': '{"text": "привет", "intent": "hello"}\n{"text": "пока", "intent": "bye"}\n',
    'binary.yaml': Buffer.from([0x69, 0x6e, 0x74, 0x00, 0x65, 0x6e, 0x74]),
    'latin1.jsonl': Buffer.concat([Buffer.from('{"text": "hi", "intent": "a"}\n{"text": "caf'), Buffer.from([0xe9]), Buffer.from('", "intent": "a"}\n')]),
    'notes.txt': 'hello',
    'a.yaml': 'settings:\n  threshold: 0.3\nintents:\n  - path: /a\n    phrases: [hello]\n',
    'b.yaml': 'settings:\n  threshold: 0.4\nintents:\n  - path: /b\n    phrases: [bye]\n',
    'c.yaml': 'settings:\n  threshold: 0.3\nintents:\n  - path: /a\n    phrases: [hi there]\n',
    'en.yaml': 'language: en\nintents:\n  - path: /a\n    phrases: [hello]\n',
    'broken.yaml': 'intents:\n  - path: /a\n    phrases: [hi]\n  - path: b\n',
  });

  test.each(['bot.yaml', 'bot.json', 'bom.yaml', 'crlf.yaml'])('reads the intents file %s', async (name) => {
    const source = await readSource(files[name]!);
    expect(source.kind).toBe('intents');
    expect(source.data.intents[0]!.path).toBe('/hello');
  });

  test('reads a JSONL list, counting out-of-scope rows', async () => {
    const source = await readSource(files['train.jsonl']!);
    expect(source).toMatchObject({
      kind: 'list',
      outOfScope: 1,
      data: { intents: [{ path: '/hello', phrases: ['hello'] }, { path: '/bye', phrases: ['bye'] }] },
    });
  });

  test('reads a CSV list, counting out-of-scope rows', async () => {
    const source = await readSource(files['train.csv']!);
    expect(source).toMatchObject({
      kind: 'list',
      outOfScope: 1,
      data: { intents: [{ path: '/hello', phrases: ['good morning, bot'] }, { path: '/bye', phrases: ['see you'] }] },
    });
  });

  test('trains from a JSONL and a CSV list together, merging their intents, without the out-of-scope rows', async () => {
    const { model, sources } = await trainFromFiles([files['train.jsonl']!, files['train.csv']!]);
    expect(model.intents.map((i) => i.path)).toEqual(['/hello', '/bye']);
    expect(model.phrases.map((p) => p.text)).toEqual(['hello', 'good morning, bot', 'bye', 'see you']);
    expect(sources.map((s) => s.outOfScope)).toEqual([1, 1]);
  });

  test('rejects a binary file (a NUL byte) with code invalid_source naming it', async () => {
    const e = await stsErrorOfAsync(() => readSource(files['binary.yaml']!));
    expect(e.code).toBe('invalid_source');
    expect(e.message).toContain(files['binary.yaml']);
    expect(e.message).toMatch(/binary/);
  });

  test('rejects invalid UTF-8 with code invalid_source naming the file and line', async () => {
    const e = await stsErrorOfAsync(() => readSource(files['latin1.jsonl']!));
    expect(e.code).toBe('invalid_source');
    expect(e.message).toContain(`${files['latin1.jsonl']}:2:`);
    expect(e.message).toMatch(/UTF-8/);
    expect(e.details[0]).toMatchObject({ file: files['latin1.jsonl'], line: 2 });
  });

  test('rejects a missing file with code not_found naming it', async () => {
    const missing = path.join(dir, 'missing.yaml');
    const e = await stsErrorOfAsync(() => readSource(missing));
    expect(e.code).toBe('not_found');
    expect(e.message).toContain(missing);
  });

  test('rejects an unknown extension with code unsupported_format', async () => {
    const e = await stsErrorOfAsync(() => readSource(files['notes.txt']!));
    expect(e.code).toBe('unsupported_format');
    expect(e.message).toContain('.txt');
  });

  test('names the file and the line of a schema error', async () => {
    const e = await stsErrorOfAsync(() => trainFromFiles([files['broken.yaml']!]));
    expect(e.code).toBe('invalid_source');
    expect(e.message).toContain(`${files['broken.yaml']}:4: intents.1.path`);
  });

  test('rejects training from no files', async () => {
    expect((await stsErrorOfAsync(() => trainFromFiles([]))).code).toBe('invalid_source');
  });

  test('rejects two files with different settings.threshold naming both files', async () => {
    const e = await stsErrorOfAsync(() => trainFromFiles([files['a.yaml']!, files['b.yaml']!]));
    expect(e.code).toBe('source_conflict');
    expect(e.message).toContain(files['a.yaml']);
    expect(e.message).toContain(files['b.yaml']);
  });

  test('trains from two files that agree, merging intents with the same path', async () => {
    const { model } = await trainFromFiles([files['a.yaml']!, files['c.yaml']!]);
    expect(model.settings.threshold).toBe(0.3);
    expect(model.intents).toEqual([{ path: '/a' }]);
    expect(model.phrases.map((p) => [p.text, p.intent])).toEqual([
      ['hello', 0],
      ['hi there', 0],
    ]);
  });

  test.each([
    ['Latin phrases', 'train.jsonl', undefined, 'en'],
    ['Cyrillic phrases', 'ru.jsonl', undefined, 'ru'],
    ['--language over the script', 'ru.jsonl', 'uk', 'uk'],
    ['--language over the script (Latin)', 'train.jsonl', 'de', 'de'],
    ['the language of an intents file', 'en.yaml', undefined, 'en'],
  ])('takes the model language from %s', async (_name, file, language, expected) => {
    const { model } = await trainFromFiles([files[file]!], language ? { language } : {});
    expect(model.language).toBe(expected);
  });

  test('rejects --language that contradicts the language of an intents file', async () => {
    const e = await stsErrorOfAsync(() => trainFromFiles([files['en.yaml']!], { language: 'ru' }));
    expect(e.code).toBe('source_conflict');
    expect(e.message).toContain('--language');
    expect(e.message).toContain(files['en.yaml']);
  });
});
