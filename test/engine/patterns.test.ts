import { type Classifier } from '../../src/engine/classifier.js';
import { createClassifier } from '../../src/lexicons.js';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import { compilePattern, matchPattern, parsePattern, PATTERN_MAX_STEPS } from '../../src/patterns/index.js';
import { createAnalyzer } from '../../src/text/analyze.js';
import { compileJaicp, stsErrorOf } from '../helpers.js';

/**
 * Intent patterns in the engine: a pattern that covers the whole request scores patternMatch,
 * scored apart from the phrases, and the higher of the two wins (reference §1, [S9]).
 */

const CITY = {
  name: 'City',
  records: [
    { type: 'synonyms' as const, value: 'Moscow', words: ['Moscow'] },
    { type: 'synonyms' as const, value: 'Paris', words: ['Paris'] },
    { type: 'synonyms' as const, value: 'New York', words: ['New York'] },
  ],
};

const BOT: IntentsFileInput = {
  language: 'en',
  entities: [CITY],
  intents: [
    { path: '/pizza', answer: 'Which one?', patterns: ['* ~pizza *'] },
    { path: '/hello', phrases: ['hello there', 'good morning'], patterns: ['(hi|hey) [bot]'] },
    { path: '/table', phrases: ['book a table for two', 'reserve a table'], patterns: ['* {~book table} *'] },
    { path: '/fly', patterns: ['fly from * to @City', 'i need @duckling.number tickets to @City'], slots: [{ name: 'to', entity: 'City', required: true }, { name: 'tickets', entity: 'duckling.number' }] },
    { path: '/weather', phrases: ['weather in @City'], slots: [{ name: 'city', entity: 'City' }] },
  ],
};

function classifierOf(source: IntentsFileInput): Classifier {
  const { model, warnings } = compileJaicp(source);
  expect(warnings).toEqual([]);
  return createClassifier(model);
}
const bot = classifierOf(BOT);

describe('an intent with patterns only', () => {
  test.each([
    ['pizza', '* ~pizza *'],
    ['I would love two pizzas tonight', '* ~pizza *'],
    ['fly from Berlin via Rome to Paris', 'fly from * to @City'],
  ])('"%s" matches by the pattern %s: score patternMatch, rule pattern, no explanation', (text, pattern) => {
    const e = bot.classifySync(text);
    expect(e).toMatchObject({ event: 'match', score: 1, phrase: pattern, rule: 'pattern', pattern });
    expect(e.alternatives[0]).toEqual({ intent: e.intent, score: 1, phrase: pattern, pattern });
    expect(e).not.toHaveProperty('explanation');
  });

  test('the score is patternMatch: per call, and the model setting', () => {
    expect(bot.classifySync('pizza please', { patternMatch: 0.7 })).toMatchObject({ intent: '/pizza', score: 0.7, rule: 'pattern' });
    const own = classifierOf({ ...BOT, settings: { patternMatch: 0.6 } });
    expect(own.classifySync('pizza please')).toMatchObject({ intent: '/pizza', score: 0.6, rule: 'pattern' });
    expect(own.model.settings.patternMatch).toBe(0.6);
  });

  test('the answer of the intent comes with a pattern match', () => {
    expect(bot.classifySync('pizza').answer).toBe('Which one?');
  });

  test('patternMatch below the threshold is a noMatch that still lists the pattern', () => {
    const e = bot.classifySync('pizza', { patternMatch: 0.1, threshold: 0.2 });
    expect(e).toMatchObject({ event: 'noMatch', intent: null, score: 0.1, rule: 'pattern', pattern: '* ~pizza *' });
    expect(e.alternatives).toEqual([{ intent: '/pizza', score: 0.1, phrase: '* ~pizza *', pattern: '* ~pizza *' }]);
  });

  test('patternMatch 0 turns patterns off: an intent with patterns only cannot match', () => {
    const e = bot.classifySync('pizza', { patternMatch: 0 });
    expect(e.alternatives.map((a) => a.intent)).not.toContain('/pizza');
  });

  test.each([
    ['the pattern must cover the whole request', 'fly from Berlin to Paris tomorrow'],
    ['@City takes a value of the entity only', 'fly from Berlin to London'],
    ['a word the pattern does not allow', 'hello bot'],
  ])('no pattern match when %s: "%s"', (_name, text) => {
    expect(bot.classifySync(text).rule).not.toBe('pattern');
  });

  test('a text over lengthLimit is a lengthLimit event before any pattern is tried', () => {
    const e = bot.classifySync(`pizza ${'a'.repeat(400)}`);
    expect(e).toMatchObject({ event: 'lengthLimit', intent: null });
    expect(e).not.toHaveProperty('rule');
  });
});

describe('phrase vs pattern: per intent the higher score wins', () => {
  test('a pattern match (1) beats a phrase that matches in part', () => {
    const e = bot.classifySync('hey bot');
    expect(e).toMatchObject({ intent: '/hello', score: 1, rule: 'pattern', pattern: '(hi|hey) [bot]' });
  });

  test('with patternMatch per call lower than the phrase score, the phrase decides, with its explanation', () => {
    const phraseScore = bot.classifySync('please book table for two', { patternMatch: 0 }).score!;
    expect(phraseScore).toBeGreaterThan(0.5);
    expect(phraseScore).toBeLessThan(1);
    const viaPattern = bot.classifySync('please book table for two');
    expect(viaPattern).toMatchObject({ intent: '/table', score: 1, rule: 'pattern', pattern: '* {~book table} *' });
    const e = bot.classifySync('please book table for two', { patternMatch: 0.5 });
    expect(e).toMatchObject({ intent: '/table', score: phraseScore, rule: 'phrase' });
    expect(e).not.toHaveProperty('pattern');
    expect(e.explanation!.phrase).toBe(e.phrase);
    expect(e.alternatives[0]).toEqual({ intent: '/table', score: phraseScore, phrase: e.phrase });
  });

  test('a pattern above the phrase score wins even when patternMatch is lowered', () => {
    const phraseScore = bot.classifySync('please book table for two', { patternMatch: 0 }).score!;
    const e = bot.classifySync('please book table for two', { patternMatch: phraseScore + 0.01 });
    expect(e).toMatchObject({ intent: '/table', rule: 'pattern', score: phraseScore + 0.01 });
  });

  test('a tie goes to the phrase (an exact phrase scores 1, as the pattern does)', () => {
    const e = bot.classifySync('book a table for two');
    expect(e).toMatchObject({ intent: '/table', score: 1, rule: 'phrase', phrase: 'book a table for two' });
    expect(e.explanation).toBeDefined();
  });

  test('patterns in alternatives carry `pattern`; phrase alternatives do not', () => {
    // "/table" by its pattern, "/weather" (no pattern) by its phrase.
    const e = bot.classifySync('book table for the weather in Paris', { nBest: 5 });
    expect(e.alternatives[0]).toEqual({ intent: '/table', score: 1, phrase: '* {~book table} *', pattern: '* {~book table} *' });
    const byPhrase = e.alternatives.filter((a) => a.intent === '/weather');
    expect(byPhrase).toHaveLength(1);
    expect(byPhrase[0]).not.toHaveProperty('pattern');
    expect(byPhrase[0]!.phrase).toBe('weather in @City');
  });

  test('the first pattern of an intent (in model order) that matches is the one reported', () => {
    const c = classifierOf({ language: 'en', intents: [{ path: '/a', patterns: ['* b *', 'a *', '*'] }] });
    expect(c.classifySync('a b c').pattern).toBe('* b *');
    expect(c.classifySync('a c').pattern).toBe('a *');
    expect(c.classifySync('c').pattern).toBe('*');
  });
});

describe('patterns and slots', () => {
  test('a pattern with @City fills the slot from its capture, not from the first City of the request', () => {
    const text = 'fly from Moscow to New York';
    const e = bot.classifySync(text);
    expect(e).toMatchObject({ intent: '/fly', rule: 'pattern', pattern: 'fly from * to @City' });
    expect(e.slots).toEqual([{ name: 'to', entity: 'City', value: 'New York', text: 'New York', start: 19, end: 27 }]);
    expect(e.missingSlots).toBeUndefined();
  });

  test('a pattern with @duckling.number captures a number and fills a number slot', () => {
    const text = 'I need twenty five tickets to Paris';
    const e = bot.classifySync(text);
    expect(e).toMatchObject({ intent: '/fly', rule: 'pattern', pattern: 'i need @duckling.number tickets to @City' });
    expect(e.slots).toEqual([
      { name: 'to', entity: 'City', value: 'Paris', text: 'Paris', start: 30, end: 35 },
      { name: 'tickets', entity: 'duckling.number', value: 25, text: 'twenty five', start: 7, end: 18 },
    ]);
  });

  test('two slots of the captured entity take its values in the order they were said; one slot takes the capture first', () => {
    const c = classifierOf({
      language: 'en',
      entities: [CITY],
      intents: [{ path: '/fly', patterns: ['fly from * to @City'], slots: [{ name: 'from', entity: 'City' }, { name: 'to', entity: 'City', required: true }] }],
    });
    // The pattern captured Paris; "from" still gets Moscow, said first (once: from = Paris, to = Moscow).
    expect(c.classifySync('fly from Moscow to Paris').slots!.map((x) => [x.name, x.value])).toEqual([
      ['from', 'Moscow'],
      ['to', 'Paris'],
    ]);
    // One slot: the capture, not the first City said (the test above, on the bot).
    expect(bot.classifySync('fly from Moscow to Paris').slots!.map((x) => [x.name, x.value])).toEqual([['to', 'Paris']]);
  });

  test('a pattern without the entity leaves a required slot missing', () => {
    const c = classifierOf({
      language: 'en',
      entities: [CITY],
      intents: [{ path: '/fly', patterns: ['fly [to] *'], slots: [{ name: 'to', entity: 'City', required: true }] }],
    });
    expect(c.classifySync('fly to London')).toMatchObject({ event: 'match', rule: 'pattern', slots: [], missingSlots: ['to'] });
    expect(c.classifySync('fly to Paris')).toMatchObject({ slots: [{ name: 'to', value: 'Paris' }] });
  });
});

// Patterns are scored apart from the search (ranked()): onlyAboveThreshold must list them as without it.
test('onlyAboveThreshold lists what the same call lists above the threshold, pattern hits included; a noMatch has nothing', () => {
  const texts = ['pizza', 'fly from Moscow to Paris', 'reserve a table', 'hello there bot', 'weather in Paris', 'book a table for pizza', 'qwxz'];
  let compared = 0;
  for (const text of texts) {
    for (const patternMatch of [1, 0.3]) {
      for (const threshold of [0, 0.2, 0.3, 0.5, 1]) {
        const options = { nBest: 5, threshold, patternMatch, explain: true };
        const all = bot.classifySync(text, options);
        const above = bot.classifySync(text, { ...options, onlyAboveThreshold: true });
        const { elapsedMs: _a, ...want } = all;
        const { elapsedMs: _b, ...got } = above;
        if (all.event === 'match') expect([text, threshold, got]).toEqual([text, threshold, { ...want, alternatives: all.alternatives.filter((a) => a.score > threshold) }]);
        else {
          expect([text, threshold, got]).toEqual([text, threshold, { event: 'noMatch', intent: null, score: 0, phrase: null, alternatives: [], modelId: all.modelId, ...(all.entities && { entities: all.entities }) }]);
        }
        compared++;
      }
    }
  }
  expect(compared).toBe(70);
});

describe('patterns that do not parse', () => {
  test.each([
    ['(book | reserve a table', 24, 'expected ")" to close "(" at column 1'],
    ['* $pizza *', 3, 'unsupported element "$pizza": the only "$" element supported is $regex<…>'],
    ['hello ]', 7, 'unexpected "]" without a matching "["'],
    ['order | cancel', 7, 'unexpected "|": alternatives must be inside ( ) or [ ]'],
    ['*3 words', 1, '"*3": counted wildcards are not supported, use "*" (any number of words)'],
    ['$regex<(a>', 8, 'invalid regex: missing closing ): `(?i)(a`'],
  ])('%s: compile throws invalid_source naming the intent, the pattern and column %i', (pattern, column, problem) => {
    const e = stsErrorOf(() =>
      compileJaicp({ language: 'en', intents: [{ path: '/a', phrases: ['hi'] }, { path: '/b/c', patterns: ['ok *', pattern] }] }),
    );
    expect(e.code).toBe('invalid_source');
    expect(e.message).toBe(`/b/c: pattern "${pattern}": column ${column}: ${problem}`);
    expect(e.details).toEqual([{ path: 'intents[/b/c].patterns.1', message: `pattern "${pattern}": column ${column}: ${problem}` }]);
  });

  test('an empty pattern is a schema error naming its index', () => {
    const e = stsErrorOf(() => compileJaicp({ language: 'en', intents: [{ path: '/a', patterns: ['  '] }] }));
    expect(e.code).toBe('invalid_source');
    expect(e.details[0]?.path).toBe('intents.0.patterns.0');
  });

  test('a source with patterns and no phrases at all compiles; one with neither does not', () => {
    expect(compileJaicp({ language: 'en', intents: [{ path: '/a', patterns: ['hi *'] }] }).warnings).toEqual([]);
    const e = stsErrorOf(() => compileJaicp({ language: 'en', intents: [{ path: '/a' }] }));
    expect(e).toMatchObject({ code: 'invalid_source', message: 'no training phrases or patterns: every intent is empty' });
  });

  test('an intent with neither phrases nor patterns is warned about', () => {
    const { warnings } = compileJaicp({ language: 'en', intents: [{ path: '/a', patterns: ['hi *'] }, { path: '/b' }] });
    expect(warnings).toEqual(['/b: no training phrases or patterns; it can never match']);
  });

  test('an entity a pattern uses that we do not have is reported, naming the intents', () => {
    const { warnings } = compileJaicp({
      language: 'en',
      intents: [{ path: '/a', patterns: ['remind me @duckling.time'] }, { path: '/b', patterns: ['at @duckling.time', 'meet @Person'] }],
    });
    expect(warnings).toEqual([
      'unsupported entity @duckling.time (used by /a, /b): it is not defined and not built in, so it never matches',
      'unsupported entity @Person (used by /b): it is not defined and not built in, so it never matches',
    ]);
  });
});

describe('a $regex<…> too slow on a word is refused when the model is compiled', () => {
  test.each(['a{0,1000}a{0,1000}a{0,1000}a{0,1000}z', '\\p{Cyrillic}{0,1000}\\p{Cyrillic}{0,1000}\\p{Cyrillic}{0,1000}\\p{Cyrillic}{0,1000}z'])('$regex<%s>: invalid_source naming the intent and the pattern', (regex) => {
    const pattern = `* $regex<${regex}> *`;
    const e = stsErrorOf(() => compileJaicp({ language: 'en', intents: [{ path: '/a', phrases: ['hi'] }, { path: '/b', patterns: [pattern] }] }));
    expect(e.code).toBe('invalid_source');
    expect(e.message).toMatch(new RegExp(`^/b: pattern ".*": \\$regex<.*>: the pattern is too slow: matching it on a 400-character text would take over 2 ms`));
    expect(e.details[0]?.path).toBe('intents[/b].patterns.0');
  });

  test('an ordinary one compiles, and its words match as a whole', () => {
    const c = classifierOf({ language: 'en', intents: [{ path: '/code', patterns: ['code $regex<[a-z]{0,40}z>'] }, { path: '/a', phrases: ['hello there'] }] });
    expect(c.classifySync('code abcz').intent).toBe('/code');
    expect(c.classifySync('code abczz1').intent).not.toBe('/code');
  });
});

describe('pathological patterns stay bounded', () => {
  const PATHOLOGICAL = '{* a * a * a * a * a * a * a * a} x';
  const LONG = Array.from({ length: 200 }, () => 'a').join(' '); // 399 characters

  test('the pattern exhausts the matcher’s step cap on this request (so the test is about a real worst case)', () => {
    const stats = { steps: 0, exhausted: false };
    const compiled = compilePattern(parsePattern(PATHOLOGICAL), { language: 'en' });
    expect(matchPattern(compiled, createAnalyzer({ language: 'en' })(LONG), [], { stats })).toBeNull();
    expect(stats).toEqual({ steps: PATTERN_MAX_STEPS + 1, exhausted: true });
  });

  test('a classification on a 400-character request with it returns, sync and async', async () => {
    const c = classifierOf({ language: 'en', intents: [{ path: '/p', patterns: [PATHOLOGICAL] }, { path: '/a', phrases: ['a a a'] }] });
    expect(LONG.length).toBeLessThanOrEqual(400);
    const sync = c.classifySync(LONG);
    expect(['match', 'noMatch']).toContain(sync.event);
    expect(sync.alternatives.map((a) => a.intent)).not.toContain('/p'); // gave up: no match
    const async = await c.classify(LONG);
    expect({ ...async, elapsedMs: 0 }).toEqual({ ...sync, elapsedMs: 0 });
  });

  test('a deadline passed while patterns were matched gives a timeLimit event, not a late result', () => {
    // A clock that jumps 1 s after the start: the first look at it after the pattern phase is past a 100 ms deadline.
    let t = 0;
    const c = createClassifier(compileJaicp({ language: 'en', intents: [{ path: '/p', patterns: [PATHOLOGICAL, '* a'] }] }).model, {
      now: () => (t++ === 0 ? 0 : 1000),
    });
    const e = c.classifySync(LONG, { timeLimit: 100 });
    expect(e).toMatchObject({ event: 'timeLimit', intent: null, alternatives: [], limit: { kind: 'time', max: 100 } });
  });

  // The deadline is checked between patterns (each may take up to PATTERN_MAX_STEPS), so a model
  // with hundreds of pathological patterns still answers about when timeLimit says. A clock that
  // advances 1 ms per reading makes this exact: no timing assertion.
  test('with many pathological patterns, the deadline is checked between patterns', async () => {
    const intents = Array.from({ length: 300 }, (_, k) => ({ path: `/p${k}`, patterns: [PATHOLOGICAL] }));
    const model = compileJaicp({ language: 'en', intents: [...intents, { path: '/a', phrases: ['a a a'] }] }).model;
    let clock = 0;
    const c = createClassifier(model, { now: () => clock++ });
    const e = await c.classify(LONG, { timeLimit: 20 });
    expect(e.event).toBe('timeLimit');
    expect(clock).toBeLessThan(40); // about one reading per pattern tried, then the timeLimit event
  });
});
