#!/usr/bin/env node
// npm run bench:scale — how the engine grows from 28,000 to 280,000 phrases: compile time
// (compileIntentSet, which trains `accurate`'s regression: the work of its one pass, and the
// weights it keeps), model file size, load time (readModel and createClassifier from the file, as
// a server start or `sts classify` does), peak RSS, latency p50/p90/p99 and top-1 accuracy, for
// JAICP's defaults and the `accurate` preset. Peak RSS is the whole child's: reading the data,
// compiling, writing the model file, loading it and classifying.
//
// No public intent set has hundreds of thousands of phrases, so the big models are copies of
// CLINC150's and SNIPS's training rows (bench/lib/copies.js: common words shared by every copy,
// the others renamed per copy). The requests are CLINC150's in-scope test rows (4,500), row i
// written in copy i mod N and scored against that copy's intent.
//
//   --copies 1,4,10          model sizes (default 1,4,10)
//   --presets jaicp,accurate settings (default both)
// Each size × preset runs in its own child process, so its peak RSS is its own.
// Env: STS_DATASETS (default <repo>/data). Needs a built dist/ (npm run build).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { copiedRows, readRows } from './lib/copies.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PRESETS = { jaicp: {}, accurate: { preset: 'accurate' } };
const WARM_UP = 500;

if (process.env.BENCH_SCALE_CHILD) {
  process.on('message', (job) => {
    run(job).then(
      (result) => process.send({ ok: true, result }, () => process.exit(0)),
      (e) => process.send({ ok: false, error: e?.stack ?? String(e) }, () => process.exit(1)),
    );
  });
} else {
  const { values } = parseArgs({ options: { copies: { type: 'string' }, presets: { type: 'string' } } });
  const copies = (values.copies ?? '1,4,10').split(',').map(Number);
  const presets = (values.presets ?? 'jaicp,accurate').split(',');
  const bad = [...copies.filter((c) => !(Number.isInteger(c) && c >= 1 && c <= 26 * 26)), ...presets.filter((p) => !(p in PRESETS))];
  if (bad.length) {
    console.error(`bench:scale: not a copy count (1..676) or a preset (${Object.keys(PRESETS).join(', ')}): ${bad.join(', ')}`);
    process.exit(2);
  }
  console.log(`Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${new Date().toISOString().slice(0, 10)}`);
  console.log('| copies | intents | phrases | preset | compile s | load s | regression: one pass, multiply-adds | regression weights kept | model MB | peak RSS MB | p50 µs | p90 µs | p99 µs | top-1 % |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const n of copies) {
    for (const preset of presets) {
      const r = await child({ copies: n, preset });
      const row = r.ok
        ? [n, r.result.intents, r.result.phrases.toLocaleString('en'), preset, r.result.compileS, r.result.loadS, r.result.passWork, r.result.kept, r.result.modelMB, r.result.rssMB, r.result.p50, r.result.p90, r.result.p99, r.result.top1]
        : [n, '', '', preset, `failed: ${r.error.split('\n')[0]}`, '', '', '', '', '', '', '', '', ''];
      console.log(`| ${row.join(' | ')} |`);
      if (!r.ok) process.exitCode = 1;
    }
  }
  console.log('\n(command: npm run bench:scale)');
}

function child(job) {
  return new Promise((resolve) => {
    const worker = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, BENCH_SCALE_CHILD: '1' }, execArgv: ['--max-old-space-size=16384'] });
    let reply;
    worker.on('message', (m) => (reply = m));
    worker.on('exit', (code, signal) => resolve(reply ?? { ok: false, error: `the child exited with ${signal ?? code} and no result` }));
    worker.send(job);
  });
}

async function run({ copies, preset }) {
  const { compileIntentSet, createClassifier, readModel, saveModel } = await import('../dist/index.js');
  const { labelToPath, rowsToIntents } = await import('../dist/model/parse-training-list.js');
  const { phraseFeatures } = await import('../dist/engine/probability/intent-probability.js');
  const root = path.resolve(process.env.STS_DATASETS ?? path.join(repo, 'data'));
  const { rows, inCopy, base } = copiedRows(root, copies);
  const requests = readRows(root, 'clinc150', 'test.jsonl', 'clinc_');
  let t0 = performance.now();
  let compiled = compileIntentSet({ settings: PRESETS[preset], synonyms: [], stopWords: [], intents: rowsToIntents(rows).intents, language: 'en' });
  const compileS = (performance.now() - t0) / 1000;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sts-scale-'));
  const file = path.join(dir, 'model.json');
  let classifier, modelMB, loadS;
  try {
    await saveModel(file, compiled.model);
    compiled = undefined; // only the loaded model stays, as in a server that loads it
    modelMB = statSync(file).size / 1e6;
    t0 = performance.now();
    const { model: loaded, regression } = await readModel(file);
    classifier = createClassifier(loaded, { regression });
    loadS = (performance.now() - t0) / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const { model } = classifier;
  const cells = model.stems.length * model.intents.length;
  const regression = model.settings.probabilityWeight > 0;
  const kept = regression ? `${classifier.trainedRegression().weights.length.toLocaleString('en')} of ${cells.toLocaleString('en')}` : '–';
  // What the engine's refusal limit counts (intent-probability.ts): the phrases' distinct stems × intents.
  const passWork = regression ? `${((phraseFeatures(model.phrases, model.termStems) * model.intents.length) / 1e9).toFixed(2)} × 10⁹` : '–';
  const asked = requests.map((r, i) => ({ text: inCopy(r.text, i % copies), intent: labelToPath(`${r.intent}_${i % copies}`) }));
  const options = { threshold: 0, nBest: 1, explain: false };
  for (let i = 0; i < WARM_UP; i++) classifier.classifySync(base[(i * 37) % base.length].text, options);
  const times = [];
  let right = 0;
  for (const r of asked) {
    const t = process.hrtime.bigint();
    const event = classifier.classifySync(r.text, options);
    times.push(Number(process.hrtime.bigint() - t) / 1000);
    if (event.alternatives[0]?.intent === r.intent) right++;
  }
  times.sort((a, b) => a - b);
  const at = (q) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]);
  return {
    intents: model.intents.length,
    phrases: model.phrases.length,
    compileS: compileS.toFixed(1),
    loadS: loadS.toFixed(1),
    kept,
    passWork,
    modelMB: modelMB.toFixed(0),
    rssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    top1: ((100 * right) / asked.length).toFixed(2),
  };
}
