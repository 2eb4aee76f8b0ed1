import { buildTypoIndex, correctTypo, maxTypoDistance } from '../../src/text/typos.js';
import { readRows } from '../quality/datasets.js';

/** The distinct words of a data set's training rows, lower-cased. */
function vocabulary(dataset: string, split: string): string[] {
  const words = readRows(dataset, split).flatMap((r) => r.text.toLowerCase().split(/[^\p{L}]+/u));
  return [...new Set(words.filter((w) => w.length > 0))];
}

/** Optimal-string-alignment distance, the textbook full matrix: independent of the code under test. */
function osa(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** correctTypo() by its definition: every vocabulary word of the same first letter, at its exact distance, nearest kept. */
function reference(word: string, vocab: readonly string[], maxTies: number) {
  const max = maxTypoDistance(word.length);
  if (max === 0) return null;
  const candidates = vocab.filter((w) => w.length >= 3 && w[0] === word[0] && Math.abs(w.length - word.length) <= max);
  if (candidates.includes(word)) return null;
  candidates.sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)); // the index's order
  let best = max + 1;
  let words: string[] = [];
  for (const c of candidates) {
    const d = osa(word, c);
    if (d < best) [best, words] = [d, [c]];
    else if (d === best && d <= max) words.push(c);
  }
  return best > max || words.length > maxTies ? null : { words, distance: best };
}

/** Words a few edits (deletion, insertion, substitution, transposition) away from vocabulary words, from a fixed seed. */
function typos(vocab: readonly string[], letters: string, count: number): string[] {
  let seed = 7;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pick = <T>(list: ArrayLike<T>) => list[Math.floor(random() * list.length)] as T;
  return Array.from({ length: count }, () => {
    const w = [...pick(vocab)];
    for (let e = 1 + Math.floor(random() * 3); e > 0; e--) {
      const i = Math.floor(random() * w.length);
      const op = random();
      if (op < 0.3) w.splice(i, 1);
      else if (op < 0.6) w.splice(i, 0, pick(letters));
      else if (op < 0.85) w[i] = pick(letters);
      else if (i + 1 < w.length) [w[i], w[i + 1]] = [w[i + 1]!, w[i]!];
    }
    return w.join('');
  });
}

describe.each([
  ['English', 'clinc150', 'train-5shot', 'abcdefghijklmnopqrstuvwxyz'],
  ['Russian', 'ru-support', 'train', 'абвгдеёжзийклмнопрстуфхцчшщъыьэюя'],
])('correctTypo, %s', (_, dataset, split, letters) => {
  const vocab = vocabulary(dataset, split);
  const index = buildTypoIndex(vocab);
  // The letter masks rule out most words before their distance is computed: the result must be
  // the one every word's distance gives.
  test.each([2, 1])('gives what comparing every word gives (at most %i equally near)', (maxTies) => {
    const words = typos(vocab, letters, 1500);
    const found = words.map((w) => [w, correctTypo(w, index, maxTies)] as const);
    expect(found.filter(([, c]) => c !== null).length).toBeGreaterThan(500);
    for (const [w, c] of found) expect([w, c]).toEqual([w, reference(w, vocab, maxTies)]);
  });
});

test('a known word is not corrected, a short one neither, a mistyped one is', () => {
  const index = buildTypoIndex(['restaurant', 'reservation', 'table', 'tablet']);
  expect(correctTypo('restaurant', index)).toBeNull();
  expect(correctTypo('tabel', index)).toEqual({ words: ['table'], distance: 1 });
  expect(correctTypo('restarant', index)).toEqual({ words: ['restaurant'], distance: 1 });
  expect(correctTypo('rseervation', index)).toEqual({ words: ['reservation'], distance: 1 }); // a transposition
  expect(correctTypo('tab', index)).toBeNull(); // under 4 letters: no distance allowed
});
