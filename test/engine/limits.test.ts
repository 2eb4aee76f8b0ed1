import { type ClassifyOptions } from '../../src/engine/classifier.js';
import { createClassifier } from '../../src/lexicons.js';
import { classifierFor, compileJaicp, stsErrorOf, stsErrorOfAsync } from '../helpers.js';

const bot = {
  language: 'en',
  intents: [
    { path: '/hello', phrases: ['hello', 'hi there'] },
    { path: '/table', phrases: ['book a table for two', 'reserve a table'] },
    { path: '/taxi', phrases: ['order a taxi'] },
  ],
};

describe('lengthLimit', () => {
  const c = classifierFor(bot);

  test.each([
    ['400 ASCII characters', 'a'.repeat(400), false],
    ['401 ASCII characters', 'a'.repeat(401), true],
    ['400 emoji (800 UTF-16 units, 400 symbols)', '😀'.repeat(400), false],
    ['401 emoji', '😀'.repeat(401), true],
    ['400 Cyrillic letters', 'я'.repeat(400), false],
    ['401 Cyrillic letters', 'я'.repeat(401), true],
    ['395 spaces and a word (400 characters)', ' '.repeat(395) + 'hello', false],
  ])('%s → lengthLimit: %s', (_name, text, limited) => {
    const e = c.classifySync(text);
    expect(e.event === 'lengthLimit').toBe(limited);
    if (limited) expect(e.limit).toEqual({ kind: 'symbols', max: 400, actual: [...text].length });
  });

  test('a lengthLimit event has no intent, score, phrase, alternatives or explanation', () => {
    const e = c.classifySync('book a table '.repeat(40));
    expect(e).toMatchObject({ event: 'lengthLimit', intent: null, score: null, phrase: null, alternatives: [] });
    expect(e.explanation).toBeUndefined();
    expect(e.modelId).toBe(c.model.id);
  });

  test('a text of the limit’s length is still classified', () => {
    const text = 'book a table for two' + ' '.repeat(380);
    expect(text).toHaveLength(400);
    expect(c.classifySync(text)).toMatchObject({ event: 'match', intent: '/table', score: 1 });
  });

  test('the lengthLimit of the model applies', () => {
    const short = classifierFor({ ...bot, settings: { lengthLimit: 10 } });
    expect(short.classifySync('hello').event).toBe('match');
    expect(short.classifySync('hello there').limit).toEqual({ kind: 'symbols', max: 10, actual: 11 });
  });

  test('a per-call lengthLimit overrides the model’s', () => {
    expect(c.classifySync('hello there', { lengthLimit: 10 }).event).toBe('lengthLimit');
    expect(c.classifySync('a'.repeat(401), { lengthLimit: 1000 }).event).toBe('noMatch');
  });

  test.each([
    ['a b c', 3, false],
    ['a b c d', 4, true],
    ['a,b', 3, false],
    ['a,b,c', 5, true],
    ['hello?!', 3, false],
    ['   a    b    c   ', 3, false],
  ])('with wordLimit 3, %j (%i JAICP words) → lengthLimit: %s', (text, words, limited) => {
    const e = c.classifySync(text, { wordLimit: 3 });
    expect(e.event === 'lengthLimit').toBe(limited);
    if (limited) expect(e.limit).toEqual({ kind: 'words', max: 3, actual: words });
  });

  test('reports symbols when a text passes both limits', () => {
    expect(c.classifySync('a b c d e', { lengthLimit: 5, wordLimit: 2 }).limit).toEqual({ kind: 'symbols', max: 5, actual: 9 });
  });
});

describe('threshold and nBest', () => {
  const many = classifierFor({
    language: 'en',
    intents: Array.from({ length: 8 }, (_, k) => ({ path: `/i${k}`, phrases: [`common ${'x'.repeat(k + 1)} word${k}`] })),
  });
  const c = classifierFor(bot);

  test('returns noMatch when the score equals the threshold, match just below it', () => {
    const { score } = c.classifySync('book a table now');
    expect(score).toBeGreaterThan(0);
    expect(c.classifySync('book a table now', { threshold: score! }).event).toBe('noMatch');
    expect(c.classifySync('book a table now', { threshold: score! - 1e-6 }).event).toBe('match');
  });

  test('a per-call threshold turns a match into noMatch and back', () => {
    expect(c.classifySync('booking a table', { threshold: 0.99 }).event).toBe('noMatch');
    expect(c.classifySync('booking a table').event).toBe('match');
  });

  test('threshold 0 matches any text with a positive score', () => {
    const weak = c.classifySync('a table is what i want to have tonight with friends', { threshold: 0 });
    expect(weak.event).toBe('match');
    expect(weak.intent).toBe('/table');
  });

  test('a threshold above 1 never matches', () => {
    expect(c.classifySync('hello', { threshold: 1 }).event).toBe('noMatch');
  });

  test('the threshold of the model applies', () => {
    const strict = classifierFor({ ...bot, settings: { threshold: 0.99 } });
    expect(strict.classifySync('booking a table').event).toBe('noMatch');
    expect(strict.classifySync('booking a table', { threshold: 0.5 }).event).toBe('match');
  });

  test('noMatch still carries the alternatives, the best score and the closest phrase', () => {
    const e = c.classifySync('booking a table', { threshold: 0.99 });
    expect(e.intent).toBeNull();
    expect(e.answer).toBeUndefined();
    expect(e.alternatives.length).toBeGreaterThan(0);
    expect(e.alternatives[0]!.intent).toBe('/table');
    expect(e.score).toBe(e.alternatives[0]!.score);
    expect(e.phrase).toBe(e.alternatives[0]!.phrase);
    expect(e.explanation?.phrase).toBe(e.phrase);
  });

  test('noMatch for a text no phrase shares a word with has score 0 and no alternatives', () => {
    const e = c.classifySync('quantum chromodynamics');
    expect(e).toMatchObject({ event: 'noMatch', intent: null, score: 0, phrase: null, alternatives: [] });
    expect(e.explanation).toBeUndefined();
  });

  test.each(['', '   ', '?!...'])('noMatch with score 0 for a text without words (%j)', (text) => {
    expect(c.classifySync(text)).toMatchObject({ event: 'noMatch', score: 0, alternatives: [] });
  });

  test.each([
    [undefined, 5],
    [1, 1],
    [3, 3],
    [8, 8],
    [100, 8],
  ])('nBest %s caps the alternatives at %i', (nBest, expected) => {
    const e = many.classifySync('common', nBest === undefined ? {} : { nBest });
    expect(e.alternatives).toHaveLength(expected);
    expect(new Set(e.alternatives.map((a) => a.intent)).size).toBe(expected);
  });

  test('the first alternative is the matched intent and alternatives are sorted by score', () => {
    const e = many.classifySync('common word3', { nBest: 8 });
    expect(e.intent).toBe('/i3');
    expect(e.alternatives[0]!.intent).toBe('/i3');
    const scores = e.alternatives.map((a) => a.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  test('nBest 1 keeps the same winner as the default', () => {
    expect(many.classifySync('common word5', { nBest: 1 }).alternatives).toEqual([many.classifySync('common word5').alternatives[0]]);
  });

  test('explain false leaves out the explanation only', () => {
    const { elapsedMs: _a, explanation, ...full } = c.classifySync('book a table');
    const { elapsedMs: _b, ...brief } = c.classifySync('book a table', { explain: false });
    expect(explanation).toBeDefined();
    expect(brief).toEqual(full);
  });
});

describe('timeLimit', () => {
  // 3000 phrases in 3 intents (fewer than nBest, so no phrase is pruned), all sharing "common"
  const words = Array.from({ length: 60 }, (_, i) => `w${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}x`);
  const phrases: string[] = [];
  for (const a of words) for (const b of words) if (a !== b && phrases.length < 3000) phrases.push(`common ${a} ${b}`);
  const { model } = compileJaicp({
    language: 'en',
    intents: [0, 1, 2].map((k) => ({ path: `/i${k}`, phrases: phrases.filter((_, p) => p % 3 === k) })),
  });
  /** A clock that advances 1 ms each time it is read. */
  const tickingClock = () => {
    let t = 1000;
    return () => ++t;
  };

  test('the model has thousands of candidate phrases', () => {
    expect(model.phrases).toHaveLength(3000);
  });

  test('returns timeLimit when scoring passes the deadline (sync)', () => {
    const c = createClassifier(model, { now: tickingClock() });
    const e = c.classifySync('common', { timeLimit: 1 });
    expect(e).toMatchObject({ event: 'timeLimit', intent: null, score: null, phrase: null, alternatives: [] });
    expect(e.limit).toMatchObject({ kind: 'time', max: 1 });
    expect(e.limit!.actual).toBeGreaterThan(1);
    expect(e.explanation).toBeUndefined();
  });

  test('returns timeLimit when scoring passes the deadline (async)', async () => {
    const c = createClassifier(model, { now: tickingClock() });
    const e = await c.classify('common', { timeLimit: 1 });
    expect(e.event).toBe('timeLimit');
    expect(e.limit).toMatchObject({ kind: 'time', max: 1 });
  });

  test('the timeLimit of the model applies', () => {
    const { model: quick } = compileJaicp({ language: 'en', settings: { timeLimit: 1 }, intents: [{ path: '/a', phrases }] });
    const e = createClassifier(quick, { now: tickingClock() }).classifySync('common');
    expect(e.event).toBe('timeLimit');
  });

  test('finishes with the same clock when the limit is generous', () => {
    const c = createClassifier(model, { now: tickingClock() });
    expect(c.classifySync('common', { timeLimit: 1_000_000 }).event).not.toBe('timeLimit');
  });

  test('timeLimit 0 means no limit', () => {
    const c = createClassifier(model, { now: tickingClock() });
    expect(c.classifySync('common', { timeLimit: 0 }).event).not.toBe('timeLimit');
  });

  test('a lengthLimit is decided before any time is spent', () => {
    const c = createClassifier(model, { now: tickingClock() });
    expect(c.classifySync('common '.repeat(100), { timeLimit: 1 }).event).toBe('lengthLimit');
  });

  test('the async API gives the same event as the sync one when no limit is hit', async () => {
    const c = createClassifier(model, { sliceMs: 0 });
    const { elapsedMs: _a, ...sync } = c.classifySync('common wbax wcax');
    const { elapsedMs: _b, ...async } = await c.classify('common wbax wcax');
    expect(async).toEqual(sync);
  });

  test('an already-aborted signal makes classify reject with code aborted', async () => {
    const c = createClassifier(model);
    const e = await stsErrorOfAsync(() => c.classify('common', { signal: AbortSignal.abort() }));
    expect(e.code).toBe('aborted');
  });

  test('an already-aborted signal makes classifySync throw with code aborted', () => {
    const c = createClassifier(model);
    expect(stsErrorOf(() => c.classifySync('common', { signal: AbortSignal.abort() })).code).toBe('aborted');
  });

  test('a signal aborted while the async API is between slices makes it reject with code aborted', async () => {
    const c = createClassifier(model, { now: tickingClock(), sliceMs: 1 });
    const controller = new AbortController();
    const pending = c.classify('common', { signal: controller.signal, timeLimit: 0 });
    controller.abort();
    expect((await stsErrorOfAsync(() => pending)).code).toBe('aborted');
  });

  // classify.ts only looks at the signal inside the loop over candidates, so a text without
  // candidates resolves normally although the caller had already aborted.
  test('an already-aborted signal makes classify reject even for a text no phrase matches', async () => {
    const c = createClassifier(model);
    const e = await stsErrorOfAsync(() => c.classify('zzz', { signal: AbortSignal.abort() }));
    expect(e.code).toBe('aborted');
  });
});

describe('invalid calls', () => {
  const c = classifierFor(bot);

  test.each([
    ['an unknown option', { threshld: 0.3 }, 'threshld'],
    ['a threshold of the wrong type', { threshold: '0.3' }, 'threshold'],
    ['a negative threshold', { threshold: -0.1 }, 'threshold'],
    ['nBest 0', { nBest: 0 }, 'nBest'],
    ['a fractional nBest', { nBest: 1.5 }, 'nBest'],
    ['a negative timeLimit', { timeLimit: -1 }, 'timeLimit'],
    ['a coefficient above its range', { exactMatch: 11 }, 'exactMatch'],
    ['a fraction above 1', { jaccardMatchThreshold: 1.5 }, 'jaccardMatchThreshold'],
    ['explain of the wrong type', { explain: 'yes' }, 'explain'],
    ['a signal that is not an AbortSignal', { signal: {} }, 'signal'],
  ])('rejects %s with code invalid_settings naming the field', async (_name, options, field) => {
    const sync = stsErrorOf(() => c.classifySync('hello', options as ClassifyOptions));
    expect(sync.code).toBe('invalid_settings');
    expect(sync.message).toContain(field);
    const async = await stsErrorOfAsync(() => c.classify('hello', options as ClassifyOptions));
    expect(async.code).toBe('invalid_settings');
  });

  test.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['an object', { text: 'hello' }],
    ['an array', ['hello']],
  ])('rejects %s as text with code invalid_input', async (_name, text) => {
    const sync = stsErrorOf(() => c.classifySync(text as unknown as string));
    expect(sync.code).toBe('invalid_input');
    expect(sync.message).toMatch(/text must be a string/);
    const async = await stsErrorOfAsync(() => c.classify(text as unknown as string));
    expect(async.code).toBe('invalid_input');
  });

  test('accepts an empty options object and explicit undefined values', () => {
    expect(c.classifySync('hello', {}).event).toBe('match');
    expect(c.classifySync('hello', { threshold: undefined }).event).toBe('match');
  });
});
