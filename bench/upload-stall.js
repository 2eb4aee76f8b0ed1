#!/usr/bin/env node
// npm run bench:upload — how long classification stalls while a model is uploaded.
// Starts `node dist/server/main.js` (a temp models folder holding the demo model) on a free
// loopback port, PUTs CLINC150's training rows as one model (15,000 phrases, 150 intents; the
// settings: BENCH_SETTINGS, default {"preset":"accurate"}, without the regression for copies), and meanwhile classifies on the demo
// model one request after another: the longest of those waits is the stall an upload causes.
// Then writes the uploaded file into the folder again under another name, as another process
// sharing the folder would, and reports the longest wait while the server takes it in.
// Runs the built dist/ (`npm run build` first after editing src/).
// Env: STS_DATASETS (default <repo>/data), BENCH_SETTINGS, BENCH_COPIES.
import { copyFileSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rowsToIntents } from '../dist/model/parse-training-list.js';
import { copiedRows, readRows } from './lib/copies.js';
import { startServer } from './lib/server.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataRoot = path.resolve(process.env.STS_DATASETS ?? path.join(repo, 'data'));

// BENCH_COPIES=N uploads bench:scale's N copies of CLINC150 + SNIPS instead (10: 280,840 phrases in
// the source, 278,280 once duplicates are dropped).
const copies = Number(process.env.BENCH_COPIES || 0);
if (!(Number.isInteger(copies) && copies >= 0 && copies <= 676)) {
  console.error(`bench:upload: BENCH_COPIES must be a whole number from 0 to 676, not "${process.env.BENCH_COPIES}"`);
  process.exit(2);
}
// Copies by default without the probabilityWeight regression: at 10 copies its training is past
// what the engine allows, and the upload would be refused.
const settings = JSON.parse(process.env.BENCH_SETTINGS ?? (copies > 0 ? '{"preset":"accurate","probabilityWeight":0}' : '{"preset":"accurate"}'));
const { intents } = rowsToIntents(copies > 0 ? copiedRows(dataRoot, copies).rows : readRows(dataRoot, 'clinc150', 'train.jsonl', ''));
const body = JSON.stringify({ language: 'en', settings, intents });

const models = mkdtempSync(path.join(os.tmpdir(), 'sts-bench-upload-'));
copyFileSync(path.join(repo, 'models', 'demo.model.json'), path.join(models, 'demo.model.json'));
// The body limit (and for copies the model memory budget) raised to fit the upload, as a server taking such uploads must.
const server = await startServer({
  defaults: copies > 0 ? { STS_MODEL_MEMORY_MB: '4096' } : {},
  env: { STS_MODELS: models, STS_ADMIN_TOKEN: '', STS_BODY_LIMIT: `${Math.ceil(body.length / 1e6) + 1}mb` },
});
const { base } = server;
try {
  const classify = () =>
    fetch(`${base}/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'book a table for two' }) }).then((r) => {
      if (!r.ok) throw new Error(`status ${r.status}`);
      return r.json();
    });
  for (let i = 0; i < 200; i++) await classify(); // warm-up

  let uploading = true;
  const t0 = performance.now();
  const upload = fetch(`${base}/v1/models/clinc`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body })
    .then(async (res) => ({ status: res.status, ms: performance.now() - t0, json: await res.json() }))
    .finally(() => (uploading = false));
  const waits = [];
  // A request that fails (a connection the server dropped, or an error status) is counted, its
  // wait included, and the next one goes on.
  const failures = new Map();
  while (uploading) {
    const start = performance.now();
    await classify().catch((e) => {
      const why = e?.cause?.code ?? e?.message ?? String(e);
      failures.set(why, (failures.get(why) ?? 0) + 1);
    });
    waits.push(performance.now() - start);
  }
  const put = await upload;
  if (put.status !== 201) throw new Error(`the upload answered ${put.status}: ${JSON.stringify(put.json)}`);
  if (waits.length === 0) throw new Error('the upload finished before a classification did: nothing to measure');
  waits.sort((a, b) => a - b);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const phrases = intents.reduce((n, i) => n + i.phrases.length, 0);
  console.log(`Upload stall: Node ${process.version}, ${os.cpus().length} × ${cpu}; settings ${JSON.stringify(settings)}; ${intents.length} intents, ${phrases} phrases, body ${(body.length / 1e6).toFixed(2)} MB`);
  console.log('| upload ms | classifications during it | their p50 ms | longest wait ms | failed |');
  console.log('|---|---|---|---|---|');
  const failed = [...failures].map(([why, n]) => `${n} (${why})`).join(', ') || '0';
  console.log(`| ${Math.round(put.ms)} | ${waits.length} | ${waits[Math.floor(waits.length / 2)].toFixed(1)} | ${Math.round(waits[waits.length - 1])} | ${failed} |`);

  // The same model written into the folder by another process sharing it (a worker of --workers,
  // a replica, a deploy script), five times: this server hears of it and reads its summary.
  const waitsAfterWrites = [];
  const uploaded = path.join(models, 'clinc.model.json');
  for (let i = 0; i < 5; i++) {
    copyFileSync(uploaded, path.join(models, `.other-${i}.tmp`));
    renameSync(path.join(models, `.other-${i}.tmp`), path.join(models, 'other.model.json'));
    const until = performance.now() + 300;
    while (performance.now() < until) {
      const start = performance.now();
      await classify().catch((e) => {
        const why = e?.cause?.code ?? e?.message ?? String(e);
        failures.set(why, (failures.get(why) ?? 0) + 1);
      });
      waitsAfterWrites.push(performance.now() - start);
    }
  }
  const listing = (await (await fetch(`${base}/v1/models`)).json()).models;
  const listed = listing.find((m) => m.name === 'other');
  if (listed?.id !== listing.find((m) => m.name === 'clinc')?.id) throw new Error(`the model written by another process is not listed: ${JSON.stringify(listed)}`);
  waitsAfterWrites.sort((a, b) => a - b);
  console.log();
  console.log(`The uploaded file (${(statSync(uploaded).size / 1e6).toFixed(1)} MB) written into the folder by another process, 5 times, 300 ms of classifications after each:`);
  console.log('| classifications | their p50 ms | longest wait ms |');
  console.log('|---|---|---|');
  console.log(`| ${waitsAfterWrites.length} | ${waitsAfterWrites[Math.floor(waitsAfterWrites.length / 2)].toFixed(1)} | ${Math.round(waitsAfterWrites[waitsAfterWrites.length - 1])} |`);
  if (failures.size > 0) process.exitCode = 1;
} finally {
  await server.stop();
  rmSync(models, { recursive: true, force: true });
}
