import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { modelName } from '../../src/cli/export.js';
import { isCailaProject } from '../../src/model/caila-project.js';
import { loadModel } from '../../src/model/io.js';
import { cleanupTempDirs, REPO, tempDir, writeFiles } from '../helpers.js';

afterAll(cleanupTempDirs);

/** Runs `sts ARGV` in-process: stdout and stderr collected, cwd a folder. */
async function sts(argv: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    stdinLines: () => undefined,
    stderrIsTTY: false,
    stdinIsTTY: false,
    cwd,
  };
  const code = await runCli(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const FIXTURES = path.join(REPO, 'test/fixtures/importers');
const dir = tempDir('sts-export-');
writeFiles(dir, {
  'bot.yaml': [
    'language: en',
    'settings:',
    '  threshold: 0.3',
    '  lemmaMatch: 0.9',
    'stopWords: [please]',
    'synonyms:',
    '  - words: [cab, taxi]',
    '    weight: 0.8',
    'intents:',
    '  - path: /hello',
    '    answer: Hi!',
    '    description: a greeting',
    '    phrases: [hello, hi there]',
    '  - path: /taxi',
    '    phrases: [order a taxi, call me a cab please]',
  ].join('\n'),
  'nlu.txt': fs.readFileSync(path.join(FIXTURES, 'rasa-nlu.yml'), 'utf8'),
});

beforeAll(async () => {
  expect((await sts(['train', 'bot.yaml', '--out', 'bot.model.json'], dir)).code).toBe(0);
});

describe('sts export', () => {
  test('writes a Caila project named after the model file to standard output', async () => {
    const r = await sts(['export', '--model', 'bot.model.json', '--format', 'caila'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const project = JSON.parse(r.stdout);
    expect(isCailaProject(project)).toBe(true);
    expect(project.project).toEqual({ id: 'bot', name: 'bot', folder: '/bot' });
    expect(project.intents.map((i: { path: string }) => i.path)).toEqual(['/hello', '/taxi']);
    expect(project.intents[0]).toMatchObject({ answer: 'Hi!', description: 'a greeting', phrases: [{ text: 'hello' }, { text: 'hi there' }] });
    expect(project.settings.extendedSettings.stsClassifier).toMatchObject({ threshold: 0.3, stopWords: ['please'] });
  });

  test('export --out → train the export → the very same model (same id)', async () => {
    const r = await sts(['export', '-m', 'bot.model.json', '-f', 'caila', '-o', 'exported.json'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const original = await loadModel(path.join(dir, 'bot.model.json'));
    expect(r.stderr).toBe(`exported 2 intents, 4 phrases (${original.id}) as a Caila project → exported.json\n`);
    const t = await sts(['train', 'exported.json', '--out', 'm2.json'], dir);
    expect(t.code).toBe(0);
    expect(t.stderr).not.toMatch(/warning/);
    const copy = await loadModel(path.join(dir, 'm2.json'));
    expect(copy.id).toBe(original.id);
    expect(copy).toEqual(original);
  });

  test('the demo model survives export and training back unchanged', async () => {
    const demo = path.join(REPO, 'models/demo.model.json');
    expect((await sts(['export', '-m', demo, '-f', 'caila', '-o', 'demo.caila.json'], dir)).code).toBe(0);
    expect((await sts(['train', 'demo.caila.json', '-o', 'demo2.json'], dir)).code).toBe(0);
    expect((await loadModel(path.join(dir, 'demo2.json'))).id).toBe((await loadModel(demo)).id);
  });

  // Rasa annotations and NLP.js entities come in as entities and slots: they survive the trip too.
  test.each([['rasa-nlu.yml'], ['nlpjs-corpus.json']])('a model trained from %s survives export and training back unchanged', async (fixture) => {
    expect((await sts(['train', path.join(FIXTURES, fixture), '-o', 'imported.json'], dir)).code).toBe(0);
    const original = await loadModel(path.join(dir, 'imported.json'));
    expect(original.entities.entities.length).toBeGreaterThan(0);
    expect(original.intents.some((i) => (i.slots ?? []).length > 0)).toBe(true);
    expect((await sts(['export', '-m', 'imported.json', '-f', 'caila', '-o', 'imported.caila.json'], dir)).code).toBe(0);
    expect((await sts(['train', 'imported.caila.json', '-o', 'back.json'], dir)).code).toBe(0);
    expect((await loadModel(path.join(dir, 'back.json'))).id).toBe(original.id);
  });

  test.each([
    ['no --model', ['export', '--format', 'caila'], /--model FILE is required/],
    ['no --format', ['export', '--model', 'bot.model.json'], /--format is required \(caila\)/],
    ['an unknown format', ['export', '-m', 'bot.model.json', '-f', 'rasa'], /--format must be one of caila, got "rasa"/],
    ['a stray argument', ['export', '-m', 'bot.model.json', '-f', 'caila', 'out.json'], /unexpected argument "out\.json"/],
    ['an unknown option', ['export', '-m', 'bot.model.json', '-f', 'caila', '--pretty'], /--pretty/],
  ])('exits 2 with a usage message for %s', async (_name, argv, message) => {
    const r = await sts(argv, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('see sts export --help');
    expect(r.stdout).toBe('');
  });

  test('exits 1 naming a model that does not exist, and a folder it cannot write to', async () => {
    const missing = await sts(['export', '-m', 'nope.json', '-f', 'caila'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/\[not_found\].*nope\.json/);
    const unwritable = await sts(['export', '-m', 'bot.model.json', '-f', 'caila', '-o', 'no/such/dir/x.json'], dir);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toContain('[io_error]');
    expect(fs.existsSync(path.join(dir, 'no'))).toBe(false);
  });

  test('--help prints the command’s help; sts --help lists export', async () => {
    const r = await sts(['export', '--help'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: sts export --model MODEL\.json --format caila \[--out FILE\]/);
    expect((await sts(['--help'], dir)).stdout).toMatch(/^ {2}export {5}write a model as a Caila/m);
  });

  test.each([
    ['bot.model.json', 'bot'],
    ['/a/b/Pizza.JSON', 'Pizza'],
    ['model.json', 'model'],
    ['.model.json', 'model'],
    ['weird', 'weird'],
  ])('names the project of %s "%s"', (file, name) => {
    expect(modelName(file)).toBe(name);
  });
});

describe('sts train with other tools’ files', () => {
  test('detects each format, prints what was dropped as warnings naming the file', async () => {
    const files = ['jaicp-intents.json', 'rasa-nlu.yml', 'nlpjs-corpus.json'].map((f) => path.join(FIXTURES, f));
    const r = await sts(['train', ...files, '--out', 'three.model.json'], dir);
    expect(r.code).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    // What the imports dropped, file by file (the JAICP export keeps its patterns, slots and
    // @references; Rasa's annotations and NLP.js's entities are imported); then compile's own:
    // phrases shared by the bots, slot entities and @references no file defines.
    expect(warnings.slice(0, 3)).toEqual([
      `warning: ${files[0]}: /Promo/SummerDeal: disabled in the JAICP export; skipped`,
      `warning: ${files[1]}: responses: only the nlu section is imported; ignored`,
      `warning: ${files[2]}: /agent.acquaintance: kept the first of 2 answers`,
    ]);
    expect(warnings.slice(3)).toEqual([
      'warning: phrase "hello" is in both /Greeting and /greet',
      'warning: phrase "hi there" is in both /Greeting and /greet',
      'warning: phrase "hello" is in both /greet and /greetings.hello',
      'warning: phrase "bye" is in both /goodbye and /greetings.bye',
      'warning: unsupported entity @drink (used by /Order/Coffee): it is not defined and not built in, so it never matches',
      'warning: unsupported entity @size (used by /Order/Coffee): it is not defined and not built in, so it never matches',
    ]);
    expect(r.stderr).toMatch(/compiled 14 intents, \d+ phrases, language en → three\.model\.json/);
  });

  test('--format reads a file whatever its extension', async () => {
    const r = await sts(['train', 'nlu.txt', '--format', 'rasa', '--out', 'rasa.model.json'], dir);
    expect(r.code).toBe(0);
    expect((await loadModel(path.join(dir, 'rasa.model.json'))).intents).toHaveLength(5);
    const auto = await sts(['train', 'nlu.txt', '--out', 'rasa.model.json'], dir);
    expect(auto.code).toBe(1);
    expect(auto.stderr).toMatch(/\[unsupported_format\].*--format/);
  });

  test('an unknown --format is a usage error listing the formats', async () => {
    const r = await sts(['train', 'bot.yaml', '--format', 'dialogflow', '--out', 'x.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format must be one of auto, intents, jsonl, csv, caila, jaicp, rasa, nlpjs, got "dialogflow"/);
    expect(fs.existsSync(path.join(dir, 'x.json'))).toBe(false);
  });

  test('a file of no known shape exits 1 naming it and the formats expected', async () => {
    writeFiles(dir, { 'mystery.json': '{"utterances": {"hi": "greet"}}' });
    const r = await sts(['train', 'mystery.json', '--out', 'x.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path.join(dir, 'mystery.json')}: cannot tell the source format`);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
