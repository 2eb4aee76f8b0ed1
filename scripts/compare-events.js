#!/usr/bin/env node
// Writes the events the library gives for the data sets in data/, so that a change meant to
// leave every answer alone (a refactor, a move of files) can be checked: run it before and
// after, and compare the two files. It uses only the public API (dist/index.js: run
// `npm run build` first), so it runs unchanged on both sides of a change of src/.
//
// Models: CLINC150 train, SNIPS train, the three Braun sets, CLINC150 train-5shot and
// ru-support train, each compiled with the settings {} and { preset: "accurate" }. The
// accurate models go through saveModel + loadModel as a served model does; the others are
// classified as compiled. Each row of the test file (and of val, where there is one) is
// classified twice: `await classify(text)` (the default call) and `classifySync(text, { nBest: 5 })`.
// One JSON line per event, without elapsedMs (the only field that varies between runs), after
// one line per model (its id, settings, stored regression digest and tuning).
//
//   node scripts/compare-events.js --out FILE               write the events
//   node scripts/compare-events.js --out FILE --against OLD  write them and compare with OLD
//   node scripts/compare-events.js --compare OLD NEW         compare two files written before
//   --only clinc150,snips                                    only these models (by name below)
//
// Comparing prints how many lines were compared and how many differ (with the first few), and
// exits 1 on any difference. Keep the files outside the repository.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const repo = path.resolve(import.meta.dirname, '..');
const data = path.join(repo, 'data');

/** Name, training file, language, and the files whose rows are classified. */
const MODELS = [
  ['clinc150', 'clinc150/train.jsonl', 'en', ['clinc150/test.jsonl', 'clinc150/val.jsonl']],
  ['snips', 'snips/train.jsonl', 'en', ['snips/test.jsonl', 'snips/val.jsonl']],
  ['braun-chatbot', 'braun-chatbot/train.jsonl', 'en', ['braun-chatbot/test.jsonl']],
  ['braun-askubuntu', 'braun-askubuntu/train.jsonl', 'en', ['braun-askubuntu/test.jsonl']],
  ['braun-webapps', 'braun-webapps/train.jsonl', 'en', ['braun-webapps/test.jsonl']],
  ['clinc150-5shot', 'clinc150/train-5shot.jsonl', 'en', ['clinc150/test.jsonl', 'clinc150/val.jsonl']],
  ['ru-support', 'ru-support/train.jsonl', 'ru', ['ru-support/test.jsonl', 'ru-support/val.jsonl']],
];
const SETTINGS = [
  ['default', {}],
  ['accurate', { preset: 'accurate' }],
];

const { values, positionals } = parseArgs({
  options: { out: { type: 'string' }, against: { type: 'string' }, compare: { type: 'boolean' }, only: { type: 'string' } },
  allowPositionals: true,
});

if (values.compare) {
  if (positionals.length !== 2) usage('--compare takes two files');
  process.exit(compare(positionals[0], positionals[1]));
}
if (!values.out) usage('--out FILE is required');
if (!existsSync(path.join(repo, 'dist/index.js'))) usage('dist/ is missing: run `npm run build` first');
const only = values.only?.split(',');
const lib = await import(path.join(repo, 'dist/index.js'));
const lines = [];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sts-events-'));
try {
  for (const [name, train, language, tests] of MODELS) {
    if (only && !only.includes(name)) continue;
    const source = await lib.readSource(path.join(data, train));
    for (const [label, settings] of SETTINGS) {
      const started = performance.now();
      const set = { ...lib.mergeSources([source], { language }), settings };
      const compiled = lib.compileIntentSet(set);
      let model = compiled.model;
      let classifier;
      if (label === 'accurate') {
        const file = path.join(tmp, `${name}.model.json`);
        await lib.saveModel(file, model);
        model = await lib.loadModel(file);
      }
      classifier = lib.createClassifier(model);
      lines.push(JSON.stringify({ model: name, settings: label, id: model.id, regression: model.regression?.sha256 ?? null, tuning: compiled.tuning ?? null }));
      let rows = 0;
      for (const test of tests) {
        for (const line of readFileSync(path.join(data, test), 'utf8').split('\n')) {
          if (!line) continue;
          const { text } = JSON.parse(line);
          const plain = await classifier.classify(text);
          const nBest = classifier.classifySync(text, { nBest: 5 });
          lines.push(JSON.stringify({ model: name, settings: label, file: test, call: 'default', text, event: withoutTime(plain) }));
          lines.push(JSON.stringify({ model: name, settings: label, file: test, call: 'nBest5', text, event: withoutTime(nBest) }));
          rows++;
        }
      }
      console.error(`${name} ${label}: ${rows} rows, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
writeFileSync(values.out, lines.join('\n') + '\n');
console.error(`wrote ${lines.length} lines to ${values.out}`);
if (values.against) process.exit(compare(values.against, values.out));

function withoutTime(event) {
  const { elapsedMs: _, ...rest } = event;
  return rest;
}

/** Compares two files line by line; prints the counts and the first differences; 0 if equal. */
function compare(oldFile, newFile) {
  const a = readFileSync(oldFile, 'utf8').split('\n').filter(Boolean);
  const b = readFileSync(newFile, 'utf8').split('\n').filter(Boolean);
  let differ = 0;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) continue;
    if (differ++ < 5) console.log(`line ${i + 1} differs:\n  old ${a[i]?.slice(0, 400)}\n  new ${b[i]?.slice(0, 400)}`);
  }
  const events = a.filter((l) => l.includes('"event":')).length;
  console.log(`${Math.min(a.length, b.length)} lines compared (${events} events in ${oldFile}, ${a.length} / ${b.length} lines): ${differ} differ`);
  return differ === 0 ? 0 : 1;
}

function usage(message) {
  console.error(`compare-events: ${message}`);
  process.exit(2);
}
