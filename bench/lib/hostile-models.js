// The hostile families of npm run bench:hostile: models and request texts made to be slow.
// Deterministic: the same seed gives the same models and texts on every machine.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pickWith = (random) => (list) => list[Math.floor(random() * list.length)];

/** Words joined by spaces up to `length` characters. */
function fill(next, length = 400) {
  let s = '';
  for (;;) {
    const w = next();
    if (s.length + w.length + (s ? 1 : 0) > length) return s;
    s += (s ? ' ' : '') + w;
  }
}

/** CLINC150's training rows as an intents source, with JAICP's settings (acronyms on: the slowest for short unknown words). */
export function clincSource(dataDir) {
  const byIntent = new Map();
  for (const line of readFileSync(path.join(dataDir, 'clinc150/train.jsonl'), 'utf8').trim().split('\n')) {
    const { text, intent } = JSON.parse(line);
    if (intent === null) continue;
    if (!byIntent.has(intent)) byIntent.set(intent, []);
    byIntent.get(intent).push(text);
  }
  return { language: 'en', settings: { preset: 'jaicp' }, intents: [...byIntent].map(([p, phrases]) => ({ path: `/${p}`, phrases })) };
}

/** 400 characters of short unknown words ("ajtr fh xuaul cz rhu …"): every one may be an acronym of phrase words. */
export function shortUnknownWords(random) {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return fill(() => Array.from({ length: 1 + Math.floor(random() * 5) }, () => letters[Math.floor(random() * 26)]).join(''));
}

const VERBS = ['book', 'reserve', 'cancel', 'order', 'find', 'show', 'check', 'change', 'buy', 'sell', 'send', 'track', 'call', 'pay', 'open', 'close', 'start', 'stop', 'play', 'set'];
const NOUNS = ['table', 'ticket', 'flight', 'hotel', 'taxi', 'pizza', 'account', 'card', 'order', 'song', 'alarm', 'timer', 'room', 'car', 'bill', 'parcel', 'meeting', 'doctor', 'train', 'bus'];
const CITIES = ['moscow', 'paris', 'london', 'berlin', 'rome', 'madrid', 'tokyo', 'oslo', 'vienna', 'prague'];

/** 200 JAICP patterns over 40 intents (`*`, `{ }`, `~`, `@City`, `@duckling.number`, `$regex<…>`), with entities and phrases. */
export function patternsSource() {
  const pick = pickWith(seeded(7));
  const pattern = () => {
    const [v, n, v2, n2] = [pick(VERBS), pick(NOUNS), pick(VERBS), pick(NOUNS)];
    return pick([
      `* (${v}|${v2}) * ${n} *`,
      `* ~${v} * {${n} ${n2}} *`,
      `[please] * ~${v} * @City *`,
      `* ${v} * @duckling.number * ${n} *`,
      `* {~${v} * ~${n}} * [today|tomorrow] *`,
      `(i|we) * (want|need) * ~${v} * ${n} * @City *`,
      `* $regex<${n.slice(0, 3)}[a-z]*> * ~${v} *`,
      `{* ${v} * ${n} * ${n2}} *`,
      `* ${n}* * (${v}|${v2}|${pick(VERBS)}) * *${n2.slice(1)} *`,
    ]);
  };
  return {
    language: 'en',
    entities: [
      { name: 'City', records: CITIES.map((c) => ({ type: 'synonyms', value: c, words: [c] })) },
      { name: 'Code', records: [{ type: 'pattern', pattern: '\\b[a-z]{2}\\d{3,5}\\b' }, { type: 'pattern', pattern: '(?:\\+7|8)\\d{10}' }] },
    ],
    intents: Array.from({ length: 40 }, (_, i) => ({
      path: `/p${i}`,
      patterns: Array.from({ length: 5 }, pattern),
      phrases: [`${pick(VERBS)} a ${pick(NOUNS)}`, `${pick(VERBS)} my ${pick(NOUNS)} in ${pick(CITIES)}`],
    })),
  };
}

/** 400 characters of the patterns' own words: every `*` has many ways to go. */
export function patternWords(random) {
  const pick = pickWith(random);
  const vocabulary = [...VERBS, ...NOUNS, ...CITIES, 'please', 'i', 'we', 'want', 'need', 'today', 'tomorrow', '12', 'ab123'];
  return fill(() => pick(vocabulary));
}

/**
 * Entity regexes as slow as a model may hold: each takes up to about a millisecond on its worst
 * 400-character text (the limit is 2 ms), and there are 24 of them, so a request made for them
 * spends its regex allowance; plus `$regex<…>` patterns.
 */
export function regexSource() {
  const shapes = ['.{0,100}', '[a-z]{0,60}[0-9]{0,60}', '\\d{1,30}[a-z]{0,30}', '[a-z]{1,40}\\s?', '\\b\\w{3,12}', '[a-c]{0,80}'];
  const ends = ['z', 'q', 'x', 'j'];
  const records = shapes.flatMap((shape) => ends.map((end) => ({ type: 'pattern', pattern: `${shape}${end}` })));
  return {
    language: 'en',
    entities: [{ name: 'Heavy', records }],
    intents: [
      { path: '/code', phrases: ['my code is @Heavy', 'the code @Heavy please'], patterns: ['* $regex<[a-z]{0,40}z> *', '* $regex<\\d{2,20}[a-z]{0,20}> * code *'] },
      { path: '/hello', phrases: ['hello there', 'good morning'] },
    ],
  };
}

/** Texts that keep those regexes busy: runs of their characters, with and without spaces. */
export function regexTexts(random) {
  const units = ['a', 'ab ', 'a1', 'abc', '1a ', 'aaaa1111 ', 'x'];
  const unit = units[Math.floor(random() * units.length)];
  return unit.repeat(Math.ceil(400 / unit.length)).slice(0, 400 - Math.floor(random() * 3));
}

/** The intents source the issue found hanging the server: five copies of a regex that matches the empty string. */
export function frozenRegexSource() {
  return {
    language: 'en',
    entities: [{ name: 'H', records: Array.from({ length: 5 }, () => ({ type: 'pattern', pattern: 'a{0,1000}a{0,1000}a{0,1000}a{0,1000}z|' })) }],
    intents: [{ path: '/a', phrases: ['hello there', 'a @H b'] }],
  };
}
