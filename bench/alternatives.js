#!/usr/bin/env node
// npm run bench:alternatives — what asking for several alternatives costs, and what
// onlyAboveThreshold saves: CLINC150 trained from train.jsonl, each val.jsonl text classified
// with nBest 1, nBest 5, and nBest 5 listing only the alternatives above the threshold (what
// the Caila routes ask for: JAICF's activator sends nBest 5). Prints mean and p50 µs per text
// for JAICP's defaults and the `accurate` preset, and checks that the listed alternatives are
// those of nBest 5 above the threshold. BENCH_DATASETS (default data/).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileIntentSet, createClassifier } from '../dist/index.js';
import { rowsToIntents } from '../dist/model/parse-training-list.js';

const root = process.env.BENCH_DATASETS ?? path.resolve(import.meta.dirname, '..', 'data');
const read = (file) =>
  fs.readFileSync(path.join(root, 'clinc150', file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const train = read('train.jsonl').filter((r) => r.intent !== null);
const texts = read('val.jsonl').map((r) => r.text);

const ways = [
  ['nBest 1', { nBest: 1 }],
  ['nBest 5', { nBest: 5 }],
  ['nBest 5, onlyAboveThreshold', { nBest: 5, onlyAboveThreshold: true }],
];

console.log(`CLINC150 val (${texts.length} texts), one at a time, after a warm-up of 2,000 training texts; Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}`);
const fifths = [];
console.log('| settings | asked | mean µs | p50 µs | p99 µs |');
console.log('|---|---|---|---|---|');
for (const [name, settings] of [['JAICP defaults', {}], ['accurate', { preset: 'accurate' }]]) {
  const { model } = compileIntentSet({ settings, synonyms: [], stopWords: [], intents: rowsToIntents(train).intents, language: 'en' });
  const classifier = createClassifier(model);
  for (let k = 0; k < 2000; k++) classifier.classifySync(train[k % train.length].text, { nBest: 5, explain: false });
  const events = new Map();
  // In turns of 100 texts, so the machine's drifting speed falls on the three alike, and in a
  // rotating order, so none of them always meets the texts first (the stem cache, V8).
  const times = new Map(ways.map(([label]) => [label, []]));
  for (let from = 0, turn = 0; from < texts.length; from += 100, turn++) {
    for (const [label, options] of [...ways.slice(turn % ways.length), ...ways.slice(0, turn % ways.length)]) {
      for (const text of texts.slice(from, from + 100)) {
        const t0 = process.hrtime.bigint();
        const event = classifier.classifySync(text, { ...options, explain: false });
        times.get(label).push(Number(process.hrtime.bigint() - t0) / 1000);
        events.set(`${label}\u0000${text}`, event);
      }
    }
  }
  const threshold = model.settings.threshold;
  const fifth = texts.map((text) => events.get(`nBest 5\u0000${text}`).alternatives[4]?.score ?? 0).sort((x, y) => x - y);
  fifths.push(`${name}: the fifth alternative scores ${fifth[fifth.length >> 1].toFixed(3)} at the median (threshold ${threshold})`);
  const differ = texts.filter((text) => {
    const all = events.get(`nBest 5\u0000${text}`).alternatives.filter((a) => a.score > threshold);
    return JSON.stringify(all) !== JSON.stringify(events.get(`nBest 5, onlyAboveThreshold\u0000${text}`).alternatives);
  }).length;
  for (const [label] of ways) {
    const t = times.get(label).sort((a, b) => a - b);
    const at = (q) => t[Math.min(t.length - 1, Math.floor(q * t.length))].toFixed(0);
    console.log(`| ${name} | ${label} | ${(t.reduce((s, x) => s + x, 0) / t.length).toFixed(0)} | ${at(0.5)} | ${at(0.99)} |`);
  }
  if (differ > 0) {
    console.error(`${name}: ${differ} texts list other alternatives above the threshold with onlyAboveThreshold`);
    process.exitCode = 1;
  }
}
console.log(`\n${fifths.join('\n')}\n(command: npm run bench:alternatives)`);
