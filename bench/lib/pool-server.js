#!/usr/bin/env node
// The other design bench:hostile measures (BENCH_SERVER=bench/lib/pool-server.js): classification
// in a pool of worker threads, the main thread answering each request at its deadline whatever
// the workers do, and a worker that overstays its job past KILL_GRACE_MS ended and replaced.
// A measuring prototype, not the product: it serves only what the bench sends (POST /v1/classify,
// POST /v1/classify/batch, GET /healthz, /readyz), through express as the server does, and each
// worker loads every model of STS_MODELS. Environment as dist/server/main.js: PORT, HOST,
// STS_MODELS, STS_MAX_TIME_LIMIT_MS; STS_POOL_THREADS (default: the number of cores).
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** A worker still busy this long after its job's deadline is stuck: it is ended and replaced. */
const KILL_GRACE_MS = 250;

if (!isMainThread) {
  // A worker: every model of the folder, classified synchronously within the job's deadline.
  const { createClassifier, readModel } = await import(path.join(repo, 'dist/index.js'));
  const classifiers = new Map();
  for (const file of readdirSync(workerData.dir).filter((f) => f.endsWith('.model.json'))) {
    const { model, regression } = await readModel(path.join(workerData.dir, file));
    classifiers.set(file.slice(0, -'.model.json'.length), createClassifier(model, { regression }));
  }
  parentPort.on('message', ({ id, model, text, options }) => {
    const c = classifiers.get(model);
    try {
      parentPort.postMessage({ id, event: c.classifySync(text, options) });
    } catch (e) {
      parentPort.postMessage({ id, error: String(e?.message ?? e) });
    }
  });
  parentPort.postMessage({ ready: [...classifiers].map(([name, c]) => [name, c.model.id, c.model.settings.timeLimit]) });
} else {
  const express = (await import('express')).default;
  const dir = process.env.STS_MODELS;
  const cap = Number(process.env.STS_MAX_TIME_LIMIT_MS || 10_000);
  const size = Number(process.env.STS_POOL_THREADS || os.availableParallelism());
  let models = new Map();
  const queue = [];
  const slots = [];
  let nextId = 0;

  const spawn = () =>
    new Promise((resolve) => {
      const slot = { worker: new Worker(fileURLToPath(import.meta.url), { workerData: { dir } }), job: undefined, ready: false };
      slot.worker.on('message', (m) => {
        if (m.ready) {
          models = new Map(m.ready.map(([name, id]) => [name, id]));
          slot.ready = true;
          resolve(slot);
          return pump();
        }
        const job = slot.job;
        slot.job = undefined;
        if (job && job.id === m.id) job.settle(m.error ? { error: m.error } : m.event);
        pump();
      });
      slot.worker.on('error', () => undefined);
      slots.push(slot);
    });

  const limitEvent = (job) => ({
    event: 'timeLimit', intent: null, score: null, phrase: null, alternatives: [],
    limit: { kind: 'time', max: job.timeLimit, actual: performance.now() - job.start }, modelId: models.get(job.model), elapsedMs: performance.now() - job.start,
  });

  /** Hands queued jobs to free workers; jobs past their deadline are answered without one. */
  function pump() {
    for (const slot of slots) {
      if (!slot.ready || slot.job) continue;
      let job;
      while ((job = queue.shift()) && job.settled) job = undefined;
      if (!job) return;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, model: job.model, text: job.text, options: { timeLimit: Math.max(0.001, job.deadline - performance.now()) } });
    }
  }

  /** One text: its event, at its deadline at the latest. */
  function classify(model, text, timeLimit) {
    return new Promise((resolve) => {
      const start = performance.now();
      const job = { id: nextId++, model, text, timeLimit, start, deadline: start + timeLimit, settled: false };
      job.settle = (value) => {
        if (job.settled) return;
        job.settled = true;
        clearTimeout(job.timer);
        resolve(value);
      };
      job.timer = setTimeout(() => {
        job.settle(limitEvent(job));
        // The worker that has it should stop by itself at the deadline; if it does not, it is stuck.
        setTimeout(() => {
          const slot = slots.find((s) => s.job === job);
          if (!slot) return;
          slots.splice(slots.indexOf(slot), 1);
          void slot.worker.terminate();
          void spawn();
        }, KILL_GRACE_MS).unref();
      }, timeLimit);
      queue.push(job);
      pump();
    });
  }

  const capped = (t) => (t > 0 ? Math.min(t, cap) : cap);
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', (_req, res) => void res.status(slots.some((s) => s.ready) ? 200 : 503).json({}));
  app.post('/v1/classify', async (req, res) => {
    const { model = 'clinc', text, timeLimit } = req.body;
    res.json(await classify(model, text, capped(timeLimit)));
  });
  app.post('/v1/classify/batch', async (req, res) => {
    const { model = 'clinc', texts, timeLimit } = req.body;
    // The texts of a batch in parallel on the pool, all within the cap.
    const t = capped(timeLimit);
    res.json({ results: await Promise.all(texts.map((text) => classify(model, text, t))) });
  });
  app.use((_req, res) => void res.status(404).json({ error: { code: 'not_found' } }));
  await Promise.all(Array.from({ length: size }, spawn));
  const server = app.listen(Number(process.env.PORT || 8080), process.env.HOST || '127.0.0.1');
  process.once('SIGTERM', () => {
    server.close();
    server.closeIdleConnections();
    for (const s of slots) void s.worker.terminate();
  });
}
