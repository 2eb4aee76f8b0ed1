#!/usr/bin/env node
// npm run bench:cold — how long a stored model's first request takes (the model loads on it).
// Compiles CLINC150's training rows with the default settings but the threshold BENCH_MODELS
// times (0.2, 0.201, …: so each has its own id, and no classify thread holds it already), into a temp
// models folder with the demo model; starts `node dist/server/main.js` on it (the server's
// environment passes through: STS_CLASSIFY_THREADS=0 loads on the event loop), and sends each
// model its first request, one after another, each followed by AFTER more. Prints each first
// request's time and their median, and the median of the requests after them (the first few
// after a load still meet the thread's collection of the load's garbage). Repeats BENCH_RUNS
// times with a new server each time (the files stay). Runs the built dist/ (`npm run build` first after editing src/).
// Env: STS_DATASETS (default <repo>/data), BENCH_MODELS (default 4), BENCH_RUNS (default 3).
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../dist/model/compile-source.js';
import { saveModel } from '../dist/model/io.js';
import { rowsToIntents } from '../dist/model/parse-training-list.js';
import { readRows } from './lib/copies.js';
import { startServer } from './lib/server.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataRoot = path.resolve(process.env.STS_DATASETS ?? path.join(repo, 'data'));
const count = Number(process.env.BENCH_MODELS || 4);
const runs = Number(process.env.BENCH_RUNS || 3);
/** Requests sent to each model after its first. */
const AFTER = 7;
for (const [name, value] of [['BENCH_MODELS', count], ['BENCH_RUNS', runs]]) {
  if (!(Number.isInteger(value) && value >= 1 && value <= 100)) {
    console.error(`bench:cold: ${name} must be a whole number from 1 to 100`);
    process.exit(2);
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const models = mkdtempSync(path.join(os.tmpdir(), 'sts-bench-cold-'));
try {
  copyFileSync(path.join(repo, 'models', 'demo.model.json'), path.join(models, 'demo.model.json'));
  const { intents } = rowsToIntents(readRows(dataRoot, 'clinc150', 'train.jsonl', ''));
  for (let k = 0; k < count; k++) {
    await saveModel(path.join(models, `clinc${k}.model.json`), compile({ language: 'en', settings: { threshold: 0.2 + k / 1000 }, intents }).model);
  }
  const firsts = [];
  const after = [];
  console.log(`bench:cold — ${count} CLINC150 models (default settings but the threshold, 15,000 phrases each), ${runs} servers; Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}; STS_CLASSIFY_THREADS=${process.env.STS_CLASSIFY_THREADS ?? '1 (default)'}`);
  console.log(`| server | first requests ms | their median | the ${AFTER} after each, median ms |`);
  console.log('|---|---|---|---|');
  for (let run = 1; run <= runs; run++) {
    const { first, next } = await coldRun(models, count);
    firsts.push(...first);
    after.push(...next);
    console.log(`| ${run} | ${first.map((t) => t.toFixed(0)).join(', ')} | ${median(first).toFixed(0)} | ${median(next).toFixed(1)} |`);
  }
  console.log(`\nfirst request median ${median(firsts).toFixed(0)} ms over ${firsts.length}; the requests after them, median ${median(after).toFixed(1)} ms — command: npm run bench:cold`);
} finally {
  rmSync(models, { recursive: true, force: true });
}

async function coldRun(dir, n) {
  const { base, stop } = await startServer({ defaults: { STS_MODEL_MEMORY_MB: '4096' }, env: { STS_MODELS: dir, STS_ADMIN_TOKEN: '' } });
  try {
    const ask = async (model) => {
      const started = performance.now();
      const res = await fetch(`${base}/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, text: 'what is my account balance', timeLimit: 0 }) });
      const event = await res.json();
      if (res.status !== 200 || event.event !== 'match') throw new Error(`${model}: ${res.status} ${JSON.stringify(event).slice(0, 200)}`);
      return performance.now() - started;
    };
    const first = [];
    const next = [];
    for (let k = 0; k < n; k++) {
      first.push(await ask(`clinc${k}`));
      for (let i = 0; i < AFTER; i++) next.push(await ask(`clinc${k}`));
    }
    return { first, next };
  } finally {
    await stop();
  }
}
