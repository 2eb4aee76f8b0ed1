#!/usr/bin/env node
// npm run bench:hostile — does timeLimit hold at p100, and does one tenant stall the others?
// Builds the hostile families (bench/lib/hostile-models.js) into a models folder, starts
// `node dist/server/main.js` on it with STS_MAX_TIME_LIMIT_MS set to each time limit in turn, and
// sends BENCH_REQUESTS adversarial requests per limit from BENCH_CONCURRENCY connections:
//   clinc     CLINC150 (15,000 phrases, acronyms on), 400 characters of short unknown words
//   patterns  200 JAICP patterns with entities, 400 characters of the patterns' own words
//   regex     24 entity regexes as slow as a model may hold, texts made to keep them busy
//   batch     10 texts of the clinc family in one /v1/classify/batch
// Each request asks for the limit, or for none (timeLimit 0 or 1e308: the server's cap holds).
// Meanwhile a GET /healthz is sent every 10 ms on a connection of its own. Printed: per limit and
// family, the worst lateness (response time at the client minus the limit; a batch has the limit
// for all its texts), how many answers came more than 5 ms late, and the worst /healthz wait; the
// server's own event-loop stalls over the run, from its /metrics (garbage-collection pauses, and
// ticks of its 10 ms timer that fired late, over 5 and over 20 ms); and the machine's load
// average, since other work on the machine delays answers too. Beside the client's figures, the
// server's own: each request's time from its first middleware to the response's 'finish', read
// from the server's request log (its "ms"), so that a late answer can be told apart as late by the
// server's clock or on time by it (the time in the socket before that clock starts is not in it).
// It also uploads the regex record that froze the server before (a{0,1000}…z|): it must be
// refused with a 422 that names it.
//
// The server's environment passes through: STS_CLASSIFY_THREADS=0 measures classification on the
// event loop (in turns) rather than in the classify thread, the two designs docs/limits.md compares.
// Env: BENCH_LIMITS (default 20,50,100), BENCH_REQUESTS (10000 per limit), BENCH_CONCURRENCY (8),
// STS_DATASETS (default <repo>/data). Needs a built dist/ (npm run build).
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventLoop, eventLoopDuring } from './lib/event-loop.js';
import { clincSource, frozenRegexSource, patternsSource, patternWords, regexSource, regexTexts, seeded, shortUnknownWords } from './lib/hostile-models.js';
import { startServer as startBenchServer } from './lib/server.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const limits = (process.env.BENCH_LIMITS ?? '20,50,100').split(',').map(Number);
const total = Number(process.env.BENCH_REQUESTS ?? 10_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const dataDir = process.env.STS_DATASETS ?? path.join(repo, 'data');
const HEALTH_EVERY_MS = 10;
const ON_TIME_MS = 5;
/** Copies of each hostile model loaded cold, one after another, while /healthz is probed. */
const COLD_COPIES = 3;

const { compile, saveModel } = await import(path.join(repo, 'dist/index.js'));
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sts-hostile-'));
const models = path.join(tmp, 'models');
mkdirSync(models);
try {
  console.log(`building the hostile models in ${models} …`);
  await saveModel(path.join(models, 'clinc.model.json'), compile(clincSource(dataDir)).model);
  await saveModel(path.join(models, 'patterns.model.json'), compile(patternsSource()).model);
  await saveModel(path.join(models, 'regex.model.json'), compile(regexSource()).model);
  // Copies that nothing asks for until the cold-load phase: each first request loads one.
  const cold = [];
  for (let copy = 1; copy <= COLD_COPIES; copy++) {
    for (const name of ['clinc', 'patterns', 'regex']) {
      copyFileSync(path.join(models, `${name}.model.json`), path.join(models, `${name}-cold${copy}.model.json`));
      cold.push(`${name}-cold${copy}`);
    }
  }

  const families = {
    clinc: (r) => ({ path: '/v1/classify', body: { model: 'clinc', text: shortUnknownWords(r) } }),
    patterns: (r) => ({ path: '/v1/classify', body: { model: 'patterns', text: patternWords(r) } }),
    regex: (r) => ({ path: '/v1/classify', body: { model: 'regex', text: regexTexts(r) } }),
    batch: (r) => ({ path: '/v1/classify/batch', body: { model: 'clinc', texts: Array.from({ length: 10 }, () => shortUnknownWords(r)) } }),
  };
  const load = [os.loadavg()];
  const rows = [];
  let health = [];
  let coldRun;
  for (const [k, limit] of limits.entries()) {
    const server = await startServer(limit);
    try {
      if (k === 0) {
        await tryFrozenUpload(server.url);
        coldRun = await coldLoads(server.url, cold);
      }
      await warmUp(server.url, families);
      const run = await hammer(server.url, families, limit, server.serverMs);
      rows.push(...run.rows);
      health.push({ limit, ...run.health });
    } finally {
      await server.stop();
    }
  }
  load.push(os.loadavg());

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const threads = process.env.STS_CLASSIFY_THREADS ?? '1 (default)';
  console.log(`\nbench:hostile — ${total} requests per limit from ${concurrency} connections, GET /healthz every ${HEALTH_EVERY_MS} ms, STS_CLASSIFY_THREADS=${threads}; Node ${process.version}, ${os.cpus().length} × ${cpu}`);
  console.log(`load average (1, 5, 15 min) before ${load[0].map((x) => x.toFixed(2)).join(' ')}, after ${load[1].map((x) => x.toFixed(2)).join(' ')}`);
  console.log('\n| limit | family | requests | events | late > 5 ms | worst lateness ms | p99 ms | at the server: logged | late > 5 ms | worst lateness ms |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.limit} | ${r.family} | ${r.n} | ${Object.entries(r.events).map(([e, c]) => `${e} ${c}`).join(', ')} | ${r.late} | ${r.worst.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.server.n} | ${r.server.late} | ${r.server.worst.toFixed(1)} |`);
  }
  console.log('\n| limit | /healthz probes | worst wait ms | p99 ms | client timer lag, worst ms | p99 ms | server GC pauses > 5 ms | > 20 ms | server timer ticks > 5 ms late | > 20 ms |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const h of health) {
    const s = h.server;
    console.log(`| ${h.limit} | ${h.n} | ${h.worst.toFixed(1)} | ${h.p99.toFixed(1)} | ${h.clientLag.worst.toFixed(1)} | ${h.clientLag.p99.toFixed(1)} | ${s.gc5} | ${s.gc20} | ${s.late5} | ${s.late20} |`);
  }
  console.log(`\ncold loads: ${cold.length} stored models (CLINC150, 200 patterns, 24 regexes; ${COLD_COPIES} copies of each) loaded by their first request, one after another: first request ${coldRun.loads.map((t) => t.toFixed(0)).join(', ')} ms; /healthz every ${HEALTH_EVERY_MS} ms meanwhile: ${coldRun.health.n} probes, worst wait ${coldRun.health.worst.toFixed(1)} ms, p99 ${coldRun.health.p99.toFixed(1)} ms`);
  const worstLate = Math.max(...rows.map((r) => r.worst));
  const worstHealth = Math.max(...health.map((h) => h.worst));
  const worstAtServer = Math.max(...rows.map((r) => r.server.worst));
  console.log(`\nworst lateness ${worstLate.toFixed(1)} ms (bar: ${ON_TIME_MS}; at the server ${worstAtServer.toFixed(1)} ms); worst /healthz wait ${worstHealth.toFixed(1)} ms (bar: 20) — command: npm run bench:hostile`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

async function startServer(limit) {
  const env = { STS_MODELS: models, STS_DEFAULT_MODEL: 'clinc', STS_MAX_TIME_LIMIT_MS: String(limit), STS_ADMIN_TOKEN: '' };
  // The request log goes to a file, read after the run: written as to /dev/null before, with no reader to wake.
  const log = path.join(tmp, `server-${limit}.log`);
  const out = openSync(log, 'w');
  const { base: url, stop } = await startBenchServer({ env, stdout: out }).finally(() => closeSync(out));
  /** The server's own time of each hammered request (its request log's "ms"), by request id. */
  const serverMs = () => {
    const byId = new Map();
    for (const line of readFileSync(log, 'utf8').split('\n')) {
      if (!line.includes('"hostile-')) continue;
      const entry = JSON.parse(line);
      if (entry.msg === 'request') byId.set(entry.requestId, entry.ms);
    }
    return byId;
  };
  return { url, stop, serverMs };
}

async function tryFrozenUpload(url) {
  const res = await fetch(`${url}/v1/models/frozen`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(frozenRegexSource()) });
  const body = await res.json();
  const detail = body.error?.details?.[0];
  console.log(`upload of the regex that froze the server: ${res.status} ${body.error?.code ?? ''} — ${detail ? `${detail.path}: ${detail.message}` : JSON.stringify(body).slice(0, 200)}`);
}

/** Loads each model (models load on their first request) and lets the JIT see the code. */
async function warmUp(url, families) {
  const random = seeded(99);
  for (const make of Object.values(families)) {
    for (let i = 0; i < 20; i++) {
      const { path: p, body } = make(random);
      await post(url, p, body);
    }
  }
}

function post(url, pathname, body, requestId) {
  const data = Buffer.from(JSON.stringify(body));
  const headers = { 'content-type': 'application/json', 'content-length': data.length, ...(requestId && { 'x-request-id': requestId }) };
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${pathname}`, { method: 'POST', agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function hammer(url, families, limit, serverMs) {
  const names = Object.keys(families);
  const random = seeded(limit);
  const asks = [limit, limit, limit, 0, 1e308];
  const results = Object.fromEntries(names.map((n) => [n, { times: [], ids: [], events: {} }]));
  const loopBefore = await eventLoop(url);
  const probe = probeHealth(url);
  const lag = clientLag();
  let next = 0;
  const worker = async () => {
    for (;;) {
      const k = next++;
      if (k >= total) return;
      const family = names[k % names.length];
      const { path: p, body } = families[family](random);
      body.timeLimit = asks[k % asks.length];
      const started = performance.now();
      const res = await post(url, p, body, `hostile-${limit}-${family}-${k}`);
      const ms = performance.now() - started;
      const r = results[family];
      r.times.push(ms);
      r.ids.push(`hostile-${limit}-${family}-${k}`);
      const events = res.status === 200 ? (res.body.results ?? [res.body]).map((e) => e.event) : [`HTTP ${res.status}`];
      for (const e of events) r.events[e] = (r.events[e] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const health = { ...(await probe.stop()), clientLag: lag.stop() };
  const loopAfter = await eventLoop(url);
  health.server = eventLoopDuring(loopBefore, loopAfter);
  const loggedMs = serverMs();
  const rows = names.map((family) => {
    const { times, ids, events } = results[family];
    const sorted = [...times].sort((a, b) => a - b);
    const atServer = ids.map((id) => loggedMs.get(id)).filter((ms) => ms !== undefined);
    return {
      limit,
      family,
      n: times.length,
      events,
      late: times.filter((t) => t > limit + ON_TIME_MS).length,
      worst: Math.max(0, sorted.at(-1) - limit),
      p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
      server: { n: atServer.length, late: atServer.filter((t) => t > limit + ON_TIME_MS).length, worst: Math.max(0, ...atServer.map((t) => t - limit)) },
    };
  });
  return { rows, health };
}

/**
 * How late this client's own timers fire (a 1 ms interval, against the clock) while it measures:
 * on a machine whose cores the client and the server share, a late answer may be the client's
 * own wait for a core. Lateness under this is below what the client can tell.
 */
function clientLag() {
  const lags = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    lags.push(Math.max(0, now - last - 1));
    last = now;
  }, 1);
  return {
    stop() {
      clearInterval(timer);
      const sorted = lags.sort((a, b) => a - b);
      return { worst: sorted.at(-1) ?? 0, p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0 };
    },
  };
}

/** One GET /healthz every 10 ms on a connection of its own, its wait measured from when it was due, until stop(). */
function probeHealth(url) {
  const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const waits = [];
  const probes = [];
  const probe = setInterval(() => {
    const due = performance.now();
    probes.push(
      new Promise((resolve) => {
        http
          .get(`${url}/healthz`, { agent: probeAgent }, (res) => {
            res.resume();
            res.on('end', () => resolve(waits.push(performance.now() - due)));
          })
          .on('error', () => resolve(waits.push(Infinity)));
      }),
    );
  }, HEALTH_EVERY_MS);
  return {
    async stop() {
      clearInterval(probe);
      await Promise.all(probes);
      probeAgent.destroy();
      const sorted = [...waits].sort((a, b) => a - b);
      return { n: waits.length, worst: sorted.at(-1) ?? 0, p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0 };
    },
  };
}

/** Loads each named model by a first request, one after another (a pause between), while /healthz is probed. */
async function coldLoads(url, names) {
  const probe = probeHealth(url);
  const loads = [];
  for (const name of names) {
    const started = performance.now();
    const res = await post(url, '/v1/classify', { model: name, text: 'hello there' });
    if (res.status !== 200) throw new Error(`cold load of ${name}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    loads.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { loads, health: await probe.stop() };
}
