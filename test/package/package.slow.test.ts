import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { cleanupTempDirs, REPO, tempDir, writeFiles } from '../helpers.js';

/**
 * The package as a user gets it: `npm pack`, then the tarball installed in a fresh project,
 * used from an ES module, from CommonJS (plain JavaScript and a type-checked TypeScript
 * project), and through its `sts` binary.
 */

afterAll(cleanupTempDirs);

const npm = (args: string[], cwd: string) => {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
};
const node = (args: string[], cwd: string) => execFileSync(process.execPath, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const SOURCE = JSON.stringify({ intents: [{ path: '/greeting', phrases: ['hello there', 'good morning'] }, { path: '/taxi', phrases: ['order a taxi'] }] });

let project: string;
let installLog: string;
let packed: string[];

beforeAll(() => {
  const packDir = tempDir('sts-pack-');
  // The build test/global-setup.js made, packed as it is: `prepare` would rebuild dist/ from an
  // empty folder while suites beside this one run it.
  const out = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], REPO).stdout;
  const info = JSON.parse(out.slice(out.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  packed = info[0]!.files.map((f) => f.path);
  project = tempDir('sts-consumer-');
  writeFiles(project, { 'package.json': JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }) });
  const install = npm(['install', '--prefer-offline', path.join(packDir, info[0]!.filename)], project);
  installLog = install.stdout + install.stderr;
}, 300_000);

test('the tarball holds the licence, the build, its sources and the demo model, and no tests', () => {
  for (const f of ['LICENSE', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'src/index.ts', 'bin/sts.js', 'models/demo.model.json']) {
    expect(packed).toContain(f);
  }
  expect(packed.some((f) => f.startsWith('test/'))).toBe(false);
});

test('installing prints no engine warning', () => {
  expect(installLog).not.toMatch(/EBADENGINE/);
});

test('every source map points to a file the package ships', () => {
  const root = path.join(project, 'node_modules/sts-classifier');
  const maps = packed.filter((f) => f.endsWith('.map'));
  expect(maps.length).toBeGreaterThan(0);
  for (const map of maps) {
    const { sources } = JSON.parse(readFileSync(path.join(root, map), 'utf8')) as { sources: string[] };
    for (const s of sources) expect(existsSync(path.resolve(path.dirname(path.join(root, map)), s))).toBe(true);
  }
});

test('an ES module imports it and classifies', () => {
  writeFiles(project, {
    'esm.mjs': `import { compile, createClassifier } from 'sts-classifier';
const { model } = compile(${SOURCE});
const event = await createClassifier(model).classify('hello there!');
console.log(event.event, event.intent);`,
  });
  expect(node(['esm.mjs'], project).trim()).toBe('match /greeting');
});

test('CommonJS requires it and classifies, with no warning on stderr', () => {
  writeFiles(project, {
    'cjs.cjs': `const { compile, createClassifier } = require('sts-classifier');
const { model } = compile(${SOURCE});
createClassifier(model).classify('order a taxi please').then((e) => console.log(e.event, e.intent));`,
  });
  const r = spawnSync(process.execPath, ['cjs.cjs'], { cwd: project, encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout.trim()).toBe('match /taxi');
  expect(r.stderr).toBe('');
});

test('a CommonJS TypeScript project type-checks against it and runs', () => {
  const tsDir = path.join(project, 'ts');
  execFileSync('mkdir', ['-p', tsDir]);
  writeFiles(tsDir, {
    'package.json': JSON.stringify({ name: 'ts-consumer', private: true, type: 'commonjs' }),
    'tsconfig.json': JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2022', strict: true, outDir: 'out', types: [], typeRoots: [path.join(REPO, 'node_modules/@types')] },
      files: ['main.ts'],
    }),
    'main.ts': `import { compile, createClassifier, type StsEvent } from 'sts-classifier';
const { model } = compile(${SOURCE});
createClassifier(model).classify('good morning').then((e: StsEvent) => {
  const intent: string | null = e.intent;
  console.log(e.event, intent);
});`,
  });
  const tsc = spawnSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', '.'], { cwd: tsDir, encoding: 'utf8' });
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(readFileSync(path.join(tsDir, 'out/main.js'), 'utf8')).toContain('require("sts-classifier")');
  expect(node(['out/main.js'], tsDir).trim()).toBe('match /greeting');
});

test('the installed sts binary prints its version', () => {
  const version = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
  const bin = path.join(project, 'node_modules/.bin/sts');
  expect(execFileSync(bin, ['--version'], { cwd: project, encoding: 'utf8' }).trim()).toBe(version);
});

test('the library does not install database clients', () => {
  const installed = readdirSync(path.join(project, 'node_modules'));
  for (const client of ['mongoose', 'mongodb', 'pg', 'redis', 'memjs']) expect(installed).not.toContain(client);
});
