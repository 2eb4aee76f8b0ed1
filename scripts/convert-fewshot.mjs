#!/usr/bin/env node
// Builds data/banking77 and data/hwu64 from jianguoz/Few-Shot-Intent-Detection: its
// Datasets/{BANKING77,HWU64}/{train_5,train_10,valid,test}/{seq.in,label} become
// train-5shot.jsonl, train-10shot.jsonl, val.jsonl and test.jsonl, one {"text","intent"} per
// line, in the source's order, with whitespace normalised as data/README.md says.
//
//   node scripts/convert-fewshot.mjs SOURCE [OUT]
//
// SOURCE: a checkout of that repository, or its bare git directory (read at HEAD).
// OUT: the folder that gets banking77/ and hwu64/ (default: data/ of this repository).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [source, outArg] = process.argv.slice(2);
if (!source) {
  console.error('usage: node scripts/convert-fewshot.mjs SOURCE [OUT] (SOURCE: a checkout or git directory of jianguoz/Few-Shot-Intent-Detection)');
  process.exit(2);
}
const out = path.resolve(outArg ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data'));
const checkout = existsSync(path.join(source, 'Datasets'));
const read = (file) =>
  checkout ? readFileSync(path.join(source, file), 'utf8') : execFileSync('git', ['--git-dir', source, 'show', `HEAD:${file}`], { encoding: 'utf8', maxBuffer: 1 << 28 });
const lines = (text) => text.replace(/\r/g, '').replace(/\n$/, '').split('\n');
const normalise = (s) => s.replace(/\s+/g, ' ').trim();

const SETS = [
  ['BANKING77', 'banking77'],
  ['HWU64', 'hwu64'],
];
const SPLITS = [
  ['train_5', 'train-5shot'],
  ['train_10', 'train-10shot'],
  ['valid', 'val'],
  ['test', 'test'],
];
for (const [from, name] of SETS) {
  mkdirSync(path.join(out, name), { recursive: true });
  for (const [split, file] of SPLITS) {
    const texts = lines(read(`Datasets/${from}/${split}/seq.in`));
    const labels = lines(read(`Datasets/${from}/${split}/label`));
    if (texts.length !== labels.length) throw new Error(`${from}/${split}: ${texts.length} texts but ${labels.length} labels`);
    const rows = texts.map((text, i) => JSON.stringify({ text: normalise(text), intent: normalise(labels[i]) }));
    writeFileSync(path.join(out, name, `${file}.jsonl`), rows.join('\n') + '\n');
    console.log(`${name}/${file}.jsonl: ${rows.length} rows, ${new Set(labels).size} intents`);
  }
}
