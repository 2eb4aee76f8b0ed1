import { StsEvent } from '../../src/engine/event/events.js';
import { classifierFor } from '../helpers.js';

const bot = {
  language: 'en',
  intents: [
    { path: '/hello', phrases: ['hello', 'hi there'] },
    { path: '/table', phrases: ['book a table for two', 'reserve a table'] },
  ],
};

describe('events', () => {
  const c = classifierFor(bot);

  test('returns match with the intent, the closest phrase and alternatives', () => {
    const e = c.classifySync('book a table for two');
    expect(e.event).toBe('match');
    expect(e.intent).toBe('/table');
    expect(e.score).toBe(1);
    expect(e.phrase).toBe('book a table for two');
    expect(e.alternatives[0]).toEqual({ intent: '/table', score: 1, phrase: 'book a table for two' });
  });

  test('returns lengthLimit when the text has 401 characters, and classifies 400', () => {
    expect(c.classifySync('a'.repeat(401)).event).toBe('lengthLimit');
    expect(c.classifySync('a'.repeat(401)).limit).toEqual({ kind: 'symbols', max: 400, actual: 401 });
    expect(c.classifySync('a'.repeat(400)).event).toBe('noMatch');
  });

  test('returns noMatch when the score equals the threshold', () => {
    const score = c.classifySync('hello friend').score!;
    expect(score).toBeGreaterThan(0);
    expect(c.classifySync('hello friend', { threshold: score }).event).toBe('noMatch');
    expect(c.classifySync('hello friend', { threshold: score - 1e-6 }).event).toBe('match');
  });

  test('an event is one of three shapes, told apart by `event`: a match has an intent, a limit event its limit', () => {
    const events = [c.classifySync('book a table'), c.classifySync('qwxz'), c.classifySync('a'.repeat(401))];
    expect(events.map((e) => e.event)).toEqual(['match', 'noMatch', 'lengthLimit']);
    for (const e of events) expect(StsEvent.parse(e)).toEqual(e);
    const [match, noMatch, limit] = events;
    // Narrowed by `event`, these compile without a cast: the type checker is part of this test.
    if (match!.event === 'match') expect(match!.intent.startsWith('/')).toBe(true);
    if (noMatch!.event === 'noMatch') expect(noMatch!.score.toFixed(1)).toBe('0.0');
    if (limit!.event === 'lengthLimit') expect(limit!.limit.max).toBe(400);
    // What the shapes refuse: a match without its intent, a noMatch naming one, a limit event without its limit.
    expect(StsEvent.safeParse({ ...match, intent: null }).success).toBe(false);
    expect(StsEvent.safeParse({ ...noMatch, intent: '/table' }).success).toBe(false);
    expect(StsEvent.safeParse({ ...limit, limit: undefined }).success).toBe(false);
    expect(StsEvent.safeParse({ ...match, limit: { kind: 'time', max: 1, actual: 2 } }).success).toBe(false);
  });
});
