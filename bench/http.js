#!/usr/bin/env node
// npm run bench:http — requests/s and latency of POST /v1/classify next to GET /healthz on the
// same server, so the classify figure reads as a ratio to the bare HTTP overhead, and the server
// event loop's garbage-collection pauses during each run (from its /metrics).
// Starts `node dist/server/main.js` (the demo model) on a free loopback port, drives it with
// autocannon from this process, then stops it with SIGTERM. BENCH_SECONDS (default 10),
// BENCH_CONNECTIONS (default 10).
import os from 'node:os';
import autocannon from 'autocannon';
import { eventLoop, eventLoopDuring } from './lib/event-loop.js';
import { startServer } from './lib/server.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const texts = ['hi there', 'book a table for two at seven', 'what is the weather like tomorrow', 'закажи такси до аэропорта', 'i want to talk to a human', 'asdf qwerty zxcv'];

const server = await startServer();
const { base } = server;

async function run(title, opts) {
  const before = await eventLoop(base);
  const result = await new Promise((resolve, reject) => {
    autocannon({ url: base, connections, duration: seconds, ...opts }, (err, done) => (err ? reject(err) : resolve(done)));
  });
  return { title, result, loop: eventLoopDuring(before, await eventLoop(base)) };
}

let k = 0;
const results = [];
try {
  results.push(await run('GET /healthz', { requests: [{ method: 'GET', path: '/healthz' }] }));
  results.push(
    await run('POST /v1/classify', {
      requests: [
        {
          method: 'POST',
          path: '/v1/classify',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ text: texts[k++ % texts.length] }) }),
        },
      ],
    }),
  );
} finally {
  await server.stop();
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`\nHTTP benchmark: ${seconds} s each, ${connections} connections, Node ${process.version}, ${os.cpus().length} × ${cpu}`);
console.log('| route | requests/s | p50 ms | p99 ms | non-2xx | event-loop GC pauses | their mean ms | over 5 ms |');
console.log('|---|---|---|---|---|---|---|---|');
for (const { title, result, loop } of results) {
  const mean = loop.gcPauses > 0 ? (loop.gcMs / loop.gcPauses).toFixed(2) : '–';
  console.log(`| ${title} | ${Math.round(result.requests.average)} | ${result.latency.p50} | ${result.latency.p99} | ${result.non2xx} | ${loop.gcPauses} | ${mean} | ${loop.gc5} |`);
}
const [health, classify] = results.map((r) => r.result.requests.average);
console.log(`\n/v1/classify serves ${((classify / health) * 100).toFixed(0)}% of the /healthz request rate (command: npm run bench:http)`);
