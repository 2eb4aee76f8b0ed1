import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { loadModel } from '../../src/model/io.js';
import { builtFile, cleanupTempDirs, REPO, tempDir, writeFiles } from '../helpers.js';
import { jsonLines, sts } from './run-cli.js';

/** What users of rasa, npm and other CLIs expect: versions, help, folders, defaults, terminals. */

afterAll(cleanupTempDirs);

const dir = tempDir('sts-habits-');
writeFiles(dir, {
  'bot.yaml': 'language: en\nintents:\n  - path: /hello\n    phrases: [hello, hi there]\n  - path: /taxi\n    phrases: [order a taxi, call me a cab]\n',
});
fs.mkdirSync(path.join(dir, 'pizza/data'), { recursive: true });
writeFiles(path.join(dir, 'pizza'), {
  'intents.yaml': 'language: en\nintents:\n  - path: /order\n    phrases: [a large pizza please]\n',
  'extra.jsonl': '{"text": "a margherita", "intent": "/order"}\n{"text": "what time is it", "intent": null}\n',
  'README.md': 'not a source',
  'old.model.json': '{}',
  'config.yml': 'recipe: default.v1\npipeline: []\n',
  'data/nlu.yml': 'version: "3.1"\nnlu:\n  - intent: track\n    examples: |\n      - where is my pizza\n',
});

describe('version and help', () => {
  const version = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

  test.each([['--version'], ['-V'], ['version']])('sts %s prints the package version', async (flag) => {
    const r = await sts([flag], { cwd: dir });
    expect(r).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  test.each(['train', 'classify', 'eval', 'doctor', 'export', 'serve'])('sts help %s prints that command’s help', async (command) => {
    const r = await sts(['help', command], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe((await sts([command, '--help'], { cwd: dir })).stdout);
    expect(r.stdout).toMatch(new RegExp(`^Usage: sts ${command} `));
  });

  test('sts help with an unknown command names it', async () => {
    const r = await sts(['help', 'trian'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "trian"/);
  });
});

describe('sts train', () => {
  test('without --out writes models/NAME.model.json, NAME from the source file', async () => {
    const r = await sts(['train', 'bot.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`→ ${path.join('models', 'bot.model.json')}`);
    expect((await loadModel(path.join(dir, 'models/bot.model.json'))).intents).toHaveLength(2);
  });

  test('reads the sources of a folder, leaving out models, other files and Rasa configuration', async () => {
    const r = await sts(['train', 'pizza'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`skipped ${path.join('pizza', 'config.yml')}: a Rasa project file ("recipe:"), not NLU data`);
    expect(r.stderr).toMatch(/compiled 2 intents, 3 phrases \(1 out-of-scope rows not trained\)/);
    const model = await loadModel(path.join(dir, 'models/pizza.model.json'));
    expect(model.intents.map((i) => i.path).sort()).toEqual(['/order', '/track']);
  });

  test('--json prints the summary on stdout and nothing on stderr', async () => {
    const r = await sts(['train', 'pizza', '--json', '--out', 'p.model.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ out: 'p.model.json', language: 'en', intents: 2, phrases: 3, outOfScopeRows: 1, warnings: [] });
    expect(summary.id).toMatch(/^sha256:/);
    expect(summary.sources.map((s: { file: string; format: string }) => s.format).sort()).toEqual(['intents', 'jsonl', 'rasa']);
    expect(summary.skippedFiles).toEqual([{ file: path.join('pizza', 'config.yml'), reason: expect.stringContaining('Rasa') }]);
  });

  test('a folder without sources is an error naming it', async () => {
    fs.mkdirSync(path.join(dir, 'empty'), { recursive: true });
    const r = await sts(['train', 'empty'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no source files in this folder');
  });

  test('on a terminal, a status line shows while compiling and is erased', async () => {
    const r = await sts(['train', 'bot.yaml', '--out', 'tty.model.json'], { cwd: dir, tty: { stderr: true } });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^compiling 1 source file…\r\x1b\[K/);
  });
});

describe('sts classify on a terminal', () => {
  const model = path.join(dir, 'models/bot.model.json');
  // JAICP's scoring (--preset jaicp), so the lines below show its scores.
  beforeAll(async () => void (await sts(['train', 'bot.yaml', '--preset', 'jaicp'], { cwd: dir })));

  test('prints one readable line per phrase: event, intent, score against the threshold, closest phrase', async () => {
    const r = await sts(['classify', '-m', model], { cwd: dir, stdin: ['hello', 'order a taxi now', 'what is the weather'], tty: { stdin: true, stdout: true } });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('match    /hello  1.000 > 0.2  "hello"');
    expect(lines[1]).toMatch(/^match {4}\/taxi {2}0\.\d{3} > 0\.2 {2}"order a taxi"$/);
    expect(lines[2]).toMatch(/^noMatch {2}(best \/\w+ {2}0\.\d{3} ≤ 0\.2 {2}".*"|no intent shares a word with it)$/);
    // The prompt goes to stderr, so a person sees it and a file of stdout does not.
    expect(r.stderr).toContain('type a phrase, Ctrl-D to quit');
  });

  test('a limit event says which limit', async () => {
    const r = await sts(['classify', '-m', model, 'a'.repeat(401)], { cwd: dir, tty: { stdout: true } });
    expect(r.stdout).toBe('lengthLimit  symbols 401 > 400\n');
  });

  test('--json keeps JSON Lines on a terminal; a pipe gets JSON Lines', async () => {
    const onTty = await sts(['classify', '-m', model, '--json', 'hello'], { cwd: dir, tty: { stdout: true } });
    const piped = await sts(['classify', '-m', model, 'hello'], { cwd: dir, stdin: [], tty: { stdin: true } });
    for (const r of [onTty, piped]) expect(jsonLines(r.stdout)[0]).toMatchObject({ event: 'match', intent: '/hello' });
  });
});

describe('a busy port', () => {
  test('sts serve says in one line that the port is in use, and exits 1', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      builtFile('cli/main.js');
      const child = spawn(process.execPath, [path.join(REPO, 'bin/sts.js'), 'serve', '-m', path.join(REPO, 'models/demo.model.json'), '--port', String(port)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toBe(`sts serve: port ${port} is in use; set PORT or --port\n`);
    } finally {
      blocker.close();
    }
  });

  test('npm start says it too', () => {
    const blocker = spawnSync(process.execPath, ['-e', `
      const net = require('net'); const { spawnSync } = require('child_process');
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const r = spawnSync(process.execPath, [${JSON.stringify(builtFile('server/main.js'))}], { env: { ...process.env, PORT: String(s.address().port) }, encoding: 'utf8' });
        process.stdout.write(JSON.stringify({ status: r.status, stderr: r.stderr, port: s.address().port }));
        s.close();
      });`], { encoding: 'utf8' });
    const r = JSON.parse(blocker.stdout) as { status: number; stderr: string; port: number };
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`port ${r.port} is in use; set PORT\n`);
  });
});
