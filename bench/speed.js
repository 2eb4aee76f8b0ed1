#!/usr/bin/env node
// npm run bench:speed — the latency of the library's default call, `await classifier.classify(text)`
// with no options, next to NLP.js's `await nlp.process(text)`, both trained on CLINC150's full train
// split in this one process (NLP.js takes minutes to train), then timed on every CLINC150 test text.
// For context it also times ours with `classifySync(text)` and with `{ explain: false, nBest: 1 }`.
//
// Each text is classified once by each call, the calls taking turns text by text (the order
// rotating every text), after a warm-up of WARM_UP training texts each; so the machine's drifting
// speed and the garbage one call leaves fall on all of them alike. Each of our calls has its own
// classifier of the same model, so that none finds another's cached work. Prints p50/p90/p99,
// the ratios to NLP.js and the load average at start and end.
//
//   --out FILE     also write the report into FILE's bench:speed section (e.g. --out BENCHMARKS.md)
//   --warm-up N    training texts each call classifies before timing (default 200)
// Env: STS_DATASETS (default <repo>/data). Needs a built dist/ (npm run build).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(path.join(repo, 'dist/index.js'))) {
  console.error('bench:speed: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
const { values } = parseArgs({ args: process.argv.slice(2), options: { out: { type: 'string' }, 'warm-up': { type: 'string' } } });
const warmUp = Number(values['warm-up'] ?? 200);
if (!Number.isInteger(warmUp) || warmUp < 0) {
  console.error(`bench:speed: --warm-up expects a whole number, got "${values['warm-up']}"`);
  process.exit(2);
}
const { createClassifier } = await import('../dist/index.js');
const { parseJsonl, labelToPath } = await import('../dist/model/parse-training-list.js');
const { makeSystem } = await import('./lib/systems.js');
const { writeSection } = await import('./lib/section.js');

const loadAtStart = os.loadavg();
const started = Date.now();
const dir = path.join(path.resolve(process.env.STS_DATASETS ?? path.join(repo, 'data')), 'clinc150');
const load = (split) => parseJsonl(readFileSync(path.join(dir, `${split}.jsonl`), 'utf8'), `${dir}/${split}.jsonl`);
const train = load('train').filter((r) => r.intent !== null);
const test = load('test');

const log = (s) => process.stderr.write(s);
log(`training ours (default settings) on ${train.length} rows … `);
const ours = await makeSystem('ours', {}, 'en');
let t0 = process.hrtime.bigint();
await ours.train(train);
const oursTrainMs = Number(process.hrtime.bigint() - t0) / 1e6;
log(`${(oursTrainMs / 1000).toFixed(1)} s\ntraining NLP.js … `);
const nlpjs = await makeSystem('nlpjs', {}, 'en');
t0 = process.hrtime.bigint();
await nlpjs.train(train);
const nlpTrainMs = Number(process.hrtime.bigint() - t0) / 1e6;
log(`${(nlpTrainMs / 1000).toFixed(1)} s\n`);

const { model } = ours.classifier;
const nlp = nlpjs.nlp;
const own = (event) => (event.event === 'match' ? event.intent : null);
/** The calls timed; `answer` turns a call's result into the intent it answers (null: none), to check that they agree. */
const CALLS = [
  { name: 'ours `await classify(text)` (the default call)', c: ours.classifier, run: (c, t) => c.classify(t), answer: own },
  { name: 'NLP.js `await nlp.process(text)`', run: (_, t) => nlp.process('en', t), answer: (r) => (r.intent === 'None' ? null : labelToPath(r.intent)) },
  { name: 'ours `classifySync(text)`', c: createClassifier(model), run: (c, t) => c.classifySync(t), answer: own },
  { name: 'ours `classifySync(text, { explain: false, nBest: 1 })`', c: createClassifier(model), run: (c, t) => c.classifySync(t, { explain: false, nBest: 1 }), answer: own },
];

for (const call of CALLS) for (let k = 0; k < warmUp; k++) await call.run(call.c, train[k % train.length].text);

log(`timing ${test.length} test texts × ${CALLS.length} calls … `);
const times = CALLS.map(() => new Float64Array(test.length));
const answers = CALLS.map(() => new Array(test.length));
for (let i = 0; i < test.length; i++) {
  for (let k = 0; k < CALLS.length; k++) {
    const j = (i + k) % CALLS.length;
    const call = CALLS[j];
    const start = process.hrtime.bigint();
    const result = await call.run(call.c, test[i].text);
    times[j][i] = Number(process.hrtime.bigint() - start) / 1e3;
    answers[j][i] = call.answer(result);
  }
}
log('done\n');
const loadAtEnd = os.loadavg();

const gold = test.map((r) => (r.intent === null ? null : labelToPath(r.intent)));
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const stats = CALLS.map((call, j) => {
  const sorted = Float64Array.from(times[j]).sort();
  const pct = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const right = answers[j].filter((a, i) => same(a, gold[i])).length;
  return { name: call.name, p50: pct(0.5), p90: pct(0.9), p99: pct(0.99), mean: sorted.reduce((s, x) => s + x, 0) / sorted.length, right };
});
// Our three calls decide alike (same model, same threshold): a disagreement is a bug, not noise.
const disagree = answers[0].filter((a, i) => !same(a, answers[2][i]) || !same(a, answers[3][i])).length;

const us = (x) => Math.round(x).toLocaleString('en-US');
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
const [mine, theirs] = stats;
const report = `## Speed of the default call against NLP.js

- Date: ${new Date().toISOString()}
- Command: \`${process.env.npm_lifecycle_event === 'bench:speed' ? 'npm run bench:speed' : 'node bench/speed.js'}${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\`
- Machine: Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}
- Code: sts-classifier (git ${gitCommit()}, as built in dist/), @nlpjs/basic ${version('@nlpjs/basic')}
- Load average (1, 5, 15 min) at start: ${loadAtStart.map((x) => x.toFixed(2)).join(', ')}; at end: ${loadAtEnd.map((x) => x.toFixed(2)).join(', ')}
- Model: CLINC150 \`train.jsonl\` (${train.length.toLocaleString('en-US')} in-scope rows, from ${path.relative(repo, dir).startsWith('..') ? dir : path.relative(repo, dir)}), ours with default settings (trained in ${us(oursTrainMs)} ms), NLP.js with its defaults (trained in ${us(nlpTrainMs)} ms)
- Texts: the ${test.length.toLocaleString('en-US')} CLINC150 test texts, each classified once by each call, the calls taking turns text by text in one process, after a warm-up of ${warmUp} training texts each
- Total run time: ${((Date.now() - started) / 1000).toFixed(0)} s

| call | p50 µs | p90 µs | p99 µs | mean µs | p50 / NLP.js p50 | right answers (intent and match, or noMatch out of scope) |
| --- | --- | --- | --- | --- | --- | --- |
${stats.map((s) => `| ${s.name} | ${us(s.p50)} | ${us(s.p90)} | ${us(s.p99)} | ${us(s.mean)} | ${ratio(s.p50, theirs.p50)} | ${((100 * s.right) / test.length).toFixed(2)} % |`).join('\n')}

The bar: ours' default call no slower at p50 than NLP.js's \`process()\`: ${ratio(mine.p50, theirs.p50)} (${mine.p50 <= theirs.p50 ? 'met' : 'not met'} in this run;
p90 ${ratio(mine.p90, theirs.p90)}, p99 ${ratio(mine.p99, theirs.p99)}). Our three calls answered differently on ${disagree} of ${test.length} texts (they should never).
Timed with \`process.hrtime.bigint()\` around each call, \`await\` included for the async ones. NLP.js runs its full
default pipeline (NER, sentiment, None threshold 0.5, as in bench:accuracy).
`;
process.stdout.write(report);
if (values.out) {
  writeSection(path.resolve(repo, values.out), 'bench:speed', report);
  log(`wrote ${values.out}\n`);
}
if (disagree > 0) process.exitCode = 1;

function version(pkg) {
  try {
    return JSON.parse(readFileSync(path.join(repo, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

function gitCommit() {
  try {
    let commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    if (execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: repo, encoding: 'utf8' }).trim()) commit += ' + uncommitted changes in src/';
    return commit;
  } catch {
    return 'unknown';
  }
}
