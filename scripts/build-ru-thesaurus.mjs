#!/usr/bin/env node
// Builds lexicons/ru-thesaurus.tsv from Debian's mythes-ru (th_ru_RU_v2.dat, LGPL-2.1).
// Keeps single-word entries of "(синоним)" lines only: "(сходный термин)", "(связанный термин)"
// and "(антоним)" lines are dropped (measured: they add loose links that cost accuracy),
// as are multi-word synonyms and usage labels such as "(прост.)". Words are lowercased with ё→е.
// Output: one line per headword, "headword<TAB>syn1 syn2 ...", sorted; '#' lines are comments.
// Usage: node scripts/build-ru-thesaurus.mjs [input.dat] [output.tsv]
import fs from 'node:fs';
const input = process.argv[2] || '/usr/share/mythes/th_ru_RU_v2.dat';
const output = process.argv[3] || new URL('../lexicons/ru-thesaurus.tsv', import.meta.url).pathname;
const norm = (w) => w.replace(/\([^)]*\)/g, '').trim().toLowerCase().replace(/ё/g, 'е');
const isWord = (w) => /^[а-я]+(-[а-я]+)?$/.test(w);
const lines = fs.readFileSync(input, 'utf8').replace(/^\uFEFF/, '').split('\n');
if (lines[0].trim() !== 'UTF-8') throw new Error(`${input}: expected "UTF-8" on the first line, got ${JSON.stringify(lines[0])}`);
const table = new Map();
for (let i = 1; i < lines.length;) {
  const head = lines[i++]; if (!head) continue;
  const bar = head.lastIndexOf('|'); const n = Number(head.slice(bar + 1));
  if (bar < 0 || !Number.isInteger(n)) throw new Error(`${input}:${i}: expected "word|count", got ${JSON.stringify(head)}`);
  const h = norm(head.slice(0, bar));
  for (let k = 0; k < n; k++, i++) {
    const parts = (lines[i] || '').split('|');
    if (parts[0] !== '(синоним)' || !isWord(h)) continue;
    for (const w of parts.slice(1).map(norm)) {
      if (!isWord(w) || w === h) continue;
      if (!table.has(h)) table.set(h, new Set());
      table.get(h).add(w);
    }
  }
}
const heads = [...table.keys()].sort();
const header = [
  '# Russian single-word synonyms, built by scripts/build-ru-thesaurus.mjs from Debian package mythes-ru',
  '# (LibreOffice ru_RU thesaurus th_ru_RU_v2, (c) Mikhail Korolyov, Yakov Reztsov; LGPL-2.1).',
  '# Modified: only "(синоним)" lines, single words, lowercased, ё→е, usage labels removed.',
  '# This file is licensed under the GNU Lesser General Public License 2.1 (see LICENSE-ru-thesaurus).',
];
const body = heads.map((h) => h + '\t' + [...table.get(h)].join(' '));
fs.writeFileSync(output + '.tmp', header.concat(body).join('\n') + '\n');
fs.renameSync(output + '.tmp', output);
let pairs = 0; for (const s of table.values()) pairs += s.size;
console.log(`${output}: ${heads.length} headwords, ${pairs} pairs, ${fs.statSync(output).size} bytes`);
