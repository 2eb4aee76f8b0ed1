#!/usr/bin/env node
// Builds data/banking77 and data/hwu64 from jianguoz/Few-Shot-Intent-Detection: its
// Datasets/{BANKING77,HWU64}/{train_5,train_10,valid,test}/{seq.in,label} become
// train-5shot.jsonl, train-10shot.jsonl, val.jsonl and test.jsonl, one {"text","intent"} per
// line, in the source's order, with whitespace normalised as data/README.md says.
//
//   node scripts/convert-fewshot.mjs SOURCE [OUT] [--commit REV]
//
// SOURCE: a clone of that repository (a checkout or its git directory); the files are read at
// the commit data/README.md names, or REV. OUT: the folder that gets banking77/ and hwu64/
// (default: data/ of this repository). Every split is read and checked before anything is written.
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The source's commit that data/README.md describes. */
const PINNED = 'fa9553312b1dba54b1be0aae2d30b13171f898e5';
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

const { values, positionals } = parseArgs({ allowPositionals: true, options: { commit: { type: 'string', default: PINNED } } });
const [source, outArg] = positionals;
if (!source) {
  console.error('usage: node scripts/convert-fewshot.mjs SOURCE [OUT] [--commit REV] (SOURCE: a clone of jianguoz/Few-Shot-Intent-Detection)');
  process.exit(2);
}
const out = path.resolve(outArg ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data'));
// git -C reads a checkout, a worktree and a bare git directory alike.
const read = (file) => execFileSync('git', ['-C', source, 'show', `${values.commit}:${file}`], { encoding: 'utf8', maxBuffer: 1 << 28 });
/** A file's lines: CRLF is a line break, a final one ends the last line; a lone CR is whitespace. */
const lines = (text) => text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
const normalise = (s) => s.replace(/\s+/g, ' ').trim();

const files = [];
for (const [from, name] of SETS) {
  for (const [split, file] of SPLITS) {
    const where = `${from}/${split}`;
    const texts = lines(read(`Datasets/${where}/seq.in`)).map(normalise);
    const labels = lines(read(`Datasets/${where}/label`)).map(normalise);
    if (texts.length !== labels.length) throw new Error(`${where}: ${texts.length} texts but ${labels.length} labels`);
    const blank = texts.findIndex((t, i) => !t || !labels[i]);
    if (blank >= 0) throw new Error(`${where}: line ${blank + 1} has an empty text or label`);
    const rows = texts.map((text, i) => JSON.stringify({ text, intent: labels[i] }));
    files.push({ dir: path.join(out, name), file: `${file}.jsonl`, text: rows.join('\n') + '\n', note: `${rows.length} rows, ${new Set(labels).size} intents` });
  }
}
for (const { dir, file, text, note } of files) {
  mkdirSync(dir, { recursive: true });
  // Through a temporary file, so that an interrupted run leaves each file whole or as it was.
  writeFileSync(path.join(dir, `.${file}.tmp`), text);
  renameSync(path.join(dir, `.${file}.tmp`), path.join(dir, file));
  console.log(`${path.basename(dir)}/${file}: ${note}`);
}
