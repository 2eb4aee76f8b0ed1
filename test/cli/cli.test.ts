import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { StsEvent } from '../../src/engine/event/events.js';
import { loadModel } from '../../src/model/io.js';
import { cleanupTempDirs, LEXICAL_ACCURATE, REPO, tempDir, writeFiles } from '../helpers.js';
import { jsonLines, sts } from './run-cli.js';

afterAll(cleanupTempDirs);

const dir = tempDir('sts-cli-');
writeFiles(dir, {
  'bot.yaml': [
    'language: en',
    'intents:',
    '  - path: /hello',
    '    answer: Hi!',
    '    phrases: [hello, hi there]',
    '  - path: /taxi',
    '    phrases: [order a taxi, call me a cab]',
    '  - path: /table',
    '    phrases: [book a table for two]',
  ].join('\n'),
  'broken.yaml': 'intents:\n  - path: /hello\n    phrases: [hello]\n  - path: hello\n    phrases: [hi]\n',
  'dup.yaml': 'intents:\n  - path: /a\n    phrases: [hello]\n  - path: /b\n    phrases: [hello]\n',
  'train.jsonl': '{"text": "hello", "intent": "hello"}\n{"text": "what is 2+2", "intent": null}\n{"text": "order a taxi", "intent": "taxi"}\n',
  'train.csv': 'text,intent\n"hi there, bot",hello\ncall me a cab,taxi\nhow tall is everest,\n',
  'test.jsonl': [
    '{"text": "hello", "intent": "/hello"}',
    '{"text": "order a taxi now", "intent": "taxi"}',
    '{"text": "book a table", "intent": "/table"}',
    '{"text": "order a pizza", "intent": "/food"}',
    '{"text": "a table of contents", "intent": null}',
    '{"text": "the weather today", "intent": null}',
  ].join('\n'),
  'val.jsonl': [
    '{"text": "hi", "intent": "/hello"}',
    '{"text": "call a cab", "intent": "/taxi"}',
    '{"text": "book a table for me", "intent": "/table"}',
    '{"text": "call me maybe", "intent": null}',
    '{"text": "there is a table", "intent": null}',
  ].join('\n'),
  'test.csv': 'text,intent\nhello,hello\nthe weather today,\n',
});
const model = path.join(dir, 'bot.model.json');

// The model the classify and eval tests read: JAICP's scoring (--preset jaicp), whose scores they check.
beforeAll(async () => {
  const { code } = await sts(['train', 'bot.yaml', '--preset', 'jaicp', '--out', 'bot.model.json'], { cwd: dir });
  expect(code).toBe(0);
});

describe('sts train', () => {
  test('writes a model from a YAML file and prints the summary on stderr', async () => {
    const r = await sts(['train', 'bot.yaml', '--out', 'out/../yaml.model.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^compiled 3 intents, 5 phrases, language en → yaml\.model\.json \(sha256:[0-9a-f]{32}\) in \d+ ms\n$/);
    const saved = await loadModel(path.join(dir, 'yaml.model.json'));
    expect(saved.intents.map((i) => i.path)).toEqual(['/hello', '/taxi', '/table']);
    expect(r.stderr).toContain(saved.id);
  });

  test('writes a model from a JSONL and a CSV file, counting the out-of-scope rows', async () => {
    const r = await sts(['train', 'train.jsonl', 'train.csv', '-o', 'list.model.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/compiled 2 intents, 4 phrases \(2 out-of-scope rows not trained\), language en → list\.model\.json/);
    const saved = await loadModel(path.join(dir, 'list.model.json'));
    expect(saved.phrases.map((p) => p.text)).toEqual(['hello', 'hi there, bot', 'order a taxi', 'call me a cab']);
  });

  test('--language sets the language of list sources', async () => {
    const r = await sts(['train', 'train.jsonl', '--language', 'de', '--out', 'de.model.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect((await loadModel(path.join(dir, 'de.model.json'))).language).toBe('de');
  });

  test('with tuneProbabilityWeight, says how probabilityWeight was tuned', async () => {
    // The lexical accurate settings (γ 0.2, tuned), written in a source (JSON is YAML).
    writeFiles(dir, { 'tuned.yaml': `settings: ${JSON.stringify(LEXICAL_ACCURATE)}\n` });
    const r = await sts(['train', 'tuned.yaml', 'bot.yaml', '--out', 'tuned.model.json'], { cwd: dir });
    expect(r.code).toBe(0);
    // /table has one phrase and is never held out. Of the other 4, each /taxi phrase finds the other
    // through "a"; "hello" and "hi there" share nothing: 2 right at every γ, so 0.2 stays.
    expect(r.stderr).toMatch(/^probabilityWeight 0\.2 by 5-fold cross-validation: 2 of 4 held-out phrases right \(no other value did better\)$/m);
    expect((await loadModel(path.join(dir, 'tuned.model.json'))).settings).toMatchObject({ probabilityWeight: 0.2, tuneProbabilityWeight: false });
  });

  test('--preset names the preset of the settings the sources leave out; the default is accurate', async () => {
    const jaicp = await sts(['train', 'bot.yaml', '--preset', 'jaicp', '--out', 'jaicp.model.json'], { cwd: dir });
    expect(jaicp.code).toBe(0);
    expect((await loadModel(path.join(dir, 'jaicp.model.json'))).settings).toMatchObject({ preset: 'jaicp', idfScope: 'phrases', charGrams: 0, wordVectors: 0, vectorMatch: 0 });
    expect((await sts(['train', 'bot.yaml', '--out', 'default.model.json'], { cwd: dir })).code).toBe(0);
    expect((await loadModel(path.join(dir, 'default.model.json'))).settings).toMatchObject({ preset: 'accurate', idfScope: 'both', charGrams: 3, wordVectors: 2, vectorMatch: 0.8 });
    // A source that names the same preset agrees; one that names another is a conflict, and nothing is written.
    writeFiles(dir, { 'says-jaicp.yaml': 'settings:\n  preset: jaicp\n', 'says-accurate.yaml': 'settings:\n  preset: accurate\n' });
    expect((await sts(['train', 'says-jaicp.yaml', 'bot.yaml', '--preset', 'jaicp', '--out', 'agree.model.json'], { cwd: dir })).code).toBe(0);
    const conflict = await sts(['train', 'says-accurate.yaml', 'bot.yaml', '--preset', 'jaicp', '--out', 'conflict.model.json'], { cwd: dir });
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('[source_conflict]');
    expect(conflict.stderr).toMatch(/settings\.preset: --preset says "jaicp", .*says-accurate\.yaml says "accurate"/);
    expect(fs.existsSync(path.join(dir, 'conflict.model.json'))).toBe(false);
  });

  test('prints compile warnings on stderr', async () => {
    const r = await sts(['train', 'dup.yaml', '--out', 'dup.model.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: .*hello.*\/a.*\/b/m);
  });

  test.each([
    ['no source', ['train', '--out', 'x.json'], /at least one source/],
    ['an unknown option', ['train', 'bot.yaml', '--out', 'x.json', '--fast'], /--fast/],
    ['an invalid --language', ['train', 'bot.yaml', '--out', 'x.json', '--language', 'English'], /--language/],
    ['an unknown --preset', ['train', 'bot.yaml', '--out', 'x.json', '--preset', 'fast'], /--preset must be one of accurate, jaicp, got "fast"/],
  ])('exits 2 with a usage message for %s, writing nothing', async (_name, argv, message) => {
    const r = await sts(argv, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('see sts train --help');
    expect(r.stdout).toBe('');
    expect(fs.existsSync(path.join(dir, 'x.json'))).toBe(false);
  });

  test('exits 1 on a broken source with one line naming the file and line, no stack trace', async () => {
    const r = await sts(['train', 'broken.yaml', '--out', 'broken.model.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${path.join(dir, 'broken.yaml')}:4:`);
    expect(r.stderr).toContain('[invalid_source]');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(path.join(dir, 'broken.model.json'))).toBe(false);
  });

  test('with --verbose, a broken source also prints the details and a stack trace', async () => {
    const r = await sts(['train', 'broken.yaml', '--out', 'broken.model.json', '--verbose'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('line 4, at intents.1.path');
    expect(r.stderr).toMatch(/^\s+at /m);
  });

  test('exits 1 naming a source file that does not exist', async () => {
    const r = await sts(['train', 'nope.yaml', '--out', 'x.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[not_found]');
    expect(r.stderr).toContain('nope.yaml');
  });
});

describe('sts classify', () => {
  test('prints one JSON event per text argument, in order', async () => {
    const r = await sts(['classify', '--model', model, 'hello', 'order a taxi', 'the weather today'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    const events = jsonLines(r.stdout);
    expect(events.map((e) => [e.event, e.intent])).toEqual([
      ['match', '/hello'],
      ['match', '/taxi'],
      ['noMatch', null],
    ]);
    expect(events[0]).toMatchObject({ score: 1, phrase: 'hello', answer: 'Hi!' });
    expect(events[0]!.explanation).toBeDefined();
  });

  test('resolves the model path against the working folder', async () => {
    const r = await sts(['classify', '-m', 'bot.model.json', 'hello'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)[0]!.intent).toBe('/hello');
  });

  test('prints JSON Lines for the lines of standard input, in order, skipping blank lines', async () => {
    const stdin = ['call me a cab', '', '   ', 'hi there', 'book a table for two', 'a'.repeat(401)];
    const r = await sts(['classify', '-m', model], { cwd: dir, stdin });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(jsonLines(r.stdout).map((e) => e.intent ?? e.event)).toEqual(['/taxi', '/hello', '/table', 'lengthLimit']);
  });

  test.each([
    ['--no-explain leaves out the explanation', ['--no-explain'], (e: StsEvent) => expect(e.explanation).toBeUndefined()],
    ['--threshold turns a match into noMatch', ['--threshold', '1'], (e: StsEvent) => expect(e.event).toBe('noMatch')],
    ['-n caps the alternatives', ['-n', '1'], (e: StsEvent) => expect(e.alternatives).toHaveLength(1)],
    ['--time-limit 0 still classifies', ['--time-limit', '0'], (e: StsEvent) => expect(e.event).toBe('match')],
  ])('%s', async (_name, flags, check) => {
    const r = await sts(['classify', '-m', model, ...flags, 'order a taxi to the table'], { cwd: dir });
    expect(r.code).toBe(0);
    check(jsonLines(r.stdout)[0]!);
  });

  test('--pretty indents the JSON', async () => {
    const r = await sts(['classify', '-m', model, '--pretty', 'hello'], { cwd: dir });
    expect(r.stdout).toMatch(/^\{\n {2}"event": "match",/);
    expect(JSON.parse(r.stdout).intent).toBe('/hello');
  });

  test.each([
    ['no --model', ['classify', 'hello'], /--model FILE is required/],
    ['a threshold that is not a number', ['classify', '-m', model, '--threshold', 'high', 'hello'], /--threshold must be a number/],
    ['no text and no standard input', ['classify', '-m', model], /give TEXT arguments or pipe lines/],
  ])('exits 2 for %s', async (_name, argv, message) => {
    const r = await sts(argv, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  test('exits 2 for an out-of-range option, naming the flag', async () => {
    const r = await sts(['classify', '-m', model, '--n-best', '0', 'hello'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sts classify: --n-best 0 is out of range (Too small: expected number to be >=1)');
    expect(r.stdout).toBe('');
  });

  test('exits 1 naming a model file that does not exist', async () => {
    const r = await sts(['classify', '-m', 'missing.json', 'hello'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[not_found]');
    expect(r.stderr).toContain('missing.json');
  });
});

describe('sts eval', () => {
  test('prints the metrics as text', async () => {
    const r = await sts(['eval', '-m', model, 'test.jsonl'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rows                 6 (in scope 4, out of scope 2)');
    expect(r.stdout).toContain('threshold            0.2');
    // "order a pizza" is labelled /food, an intent the model does not have
    expect(r.stdout).toContain('top-1 accuracy       75.00%');
    expect(r.stdout).toMatch(/in-scope accuracy +75\.00%/);
    expect(r.stdout).toMatch(/out-of-scope recall +\d+\.\d\d%/);
    expect(r.stdout).toMatch(/macro F1 +\d+\.\d\d% +micro F1 +\d+\.\d\d%/);
    expect(r.stdout).toMatch(/most confused \(gold → predicted\):\n +1 +\/food → /);
  });

  test('--json prints the metrics as one JSON object', async () => {
    const r = await sts(['eval', '-m', model, 'test.jsonl', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m).toMatchObject({ threshold: 0.2, rows: 6, inScope: 4, outOfScope: 2, top1Accuracy: 0.75, inScopeAccuracy: 0.75 });
    for (const key of ['oosRecall', 'oosPrecision', 'overallAccuracy', 'macroF1', 'microF1']) {
      expect(typeof m[key]).toBe('number');
      expect(m[key]).toBeGreaterThanOrEqual(0);
      expect(m[key]).toBeLessThanOrEqual(1);
    }
    // "the weather today" shares no word with any phrase: always noMatch
    expect(m.oosRecall).toBeGreaterThanOrEqual(0.5);
    expect(m.confused).toEqual([expect.objectContaining({ gold: '/food', count: 1 })]);
    expect(m.tuned).toBeUndefined();
  });

  test('--threshold decides at the given threshold', async () => {
    const r = await sts(['eval', '-m', model, 'test.jsonl', '--json', '--threshold', '0.99'], { cwd: dir });
    const m = JSON.parse(r.stdout);
    expect(m.threshold).toBe(0.99);
    expect(m.oosRecall).toBe(1);
    expect(m.inScopeAccuracy).toBe(0.25); // only "hello" scores above 0.99
  });

  test('--tune picks the threshold with the best accuracy on the validation file', async () => {
    const plain = JSON.parse((await sts(['eval', '-m', model, 'test.jsonl', '--json'], { cwd: dir })).stdout);
    const r = await sts(['eval', '-m', model, 'test.jsonl', '--json', '--tune', 'val.jsonl'], { cwd: dir });
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout);
    // val.jsonl is separable: its out-of-scope rows score below its in-scope rows
    expect(m.tuned).toMatchObject({ file: 'val.jsonl', accuracy: 1 });
    expect(m.threshold).toBe(m.tuned.threshold);
    expect(m.threshold).toBeGreaterThan(0.2);
    expect(m.threshold).toBeLessThan(1);
    expect(m.oosRecall).toBeGreaterThanOrEqual(plain.oosRecall);
    const text = await sts(['eval', '-m', model, 'test.jsonl', '--tune', 'val.jsonl'], { cwd: dir });
    expect(text.stdout).toMatch(/threshold +[\d.]+ \(tuned on val\.jsonl: accuracy 100\.00%\)/);
  });

  test('reads a CSV test file', async () => {
    const m = JSON.parse((await sts(['eval', '-m', model, 'test.csv', '--json'], { cwd: dir })).stdout);
    expect(m).toMatchObject({ rows: 2, inScope: 1, outOfScope: 1, inScopeAccuracy: 1, oosRecall: 1 });
  });

  test.each([
    ['no test file', ['eval', '-m', model]],
    ['two test files', ['eval', '-m', model, 'test.jsonl', 'val.jsonl']],
    ['--tune with --threshold', ['eval', '-m', model, 'test.jsonl', '--tune', 'val.jsonl', '--threshold', '0.3']],
    ['no --model', ['eval', 'test.jsonl']],
  ])('exits 2 for %s', async (_name, argv) => {
    const r = await sts(argv, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('see sts eval --help');
  });

  test('exits 1 for an intents file given as test file', async () => {
    const r = await sts(['eval', '-m', model, 'bot.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[unsupported_format]');
  });
});

describe('help and commands', () => {
  test.each([[['--help']], [['-h']], [['help']]])('sts %j prints the help and exits 0', async (argv) => {
    const r = await sts(argv, { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: sts COMMAND/);
    expect(r.stdout).toMatch(/train[\s\S]*classify[\s\S]*eval/);
  });

  test('sts without a command prints the help and exits 2', async () => {
    const r = await sts([], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^Usage: sts COMMAND/);
  });

  test.each(['train', 'classify', 'eval'])('sts %s --help prints the command’s help and exits 0', async (command) => {
    const r = await sts([command, '--help'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: sts ${command} `));
    expect(r.stderr).toBe('');
  });

  test('an unknown command exits 2 naming it and the commands', async () => {
    const r = await sts(['trian', 'bot.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "trian".*train, classify, eval/);
    expect(r.stdout).toBe('');
  });
});

describe('the sts executable', () => {
  const bin = path.join(REPO, 'bin/sts.js');
  const demo = path.join(REPO, 'models/demo.model.json');
  const run = (args: string[], input?: string) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', input, cwd: dir });

  test('sts --help exits 0 with the help on stdout', () => {
    const out = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(out).toMatch(/^Usage: sts COMMAND/);
  });

  test('classifies texts with the demo model, one JSON event per line', () => {
    const r = run(['classify', '-m', demo, '--no-explain', 'hello', 'закажи такси']);
    expect(r.status).toBe(0);
    const events = jsonLines(r.stdout);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ event: 'match', intent: '/Greeting/Hello' });
    expect(events[1]).toMatchObject({ event: 'match', intent: '/ru/Taxi/Order' });
    expect(events[0]!.modelId).toMatch(/^sha256:/);
  });

  test('classifies piped standard input', () => {
    const r = run(['classify', '-m', demo, '--no-explain'], 'hi\n\nthanks\n');
    expect(r.status).toBe(0);
    expect(jsonLines(r.stdout).map((e) => e.intent)).toEqual(['/Greeting/Hello', '/SmallTalk/Thanks']);
  });

  test('exits 2 for an unknown command and 1 for a missing model', () => {
    expect(run(['frobnicate']).status).toBe(2);
    const missing = run(['classify', '-m', 'missing.json', 'hi']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('[not_found]');
    expect(missing.stderr).not.toMatch(/^\s+at /m);
  });
});
