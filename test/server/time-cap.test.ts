import { compileJaicp } from '../helpers.js';
import { batchClock, cappedTimeLimit, lateEvent, LEAST_MS, loadLimit, spentEvent, timeLeft } from '../../src/server/time-cap.js';

/** The server's time arithmetic, on a clock the test sets: what a request may spend, from its arrival. */

const model = (timeLimit: number) => compileJaicp({ language: 'en', settings: { timeLimit }, intents: [{ path: '/a', phrases: ['hello'] }] }).model;

test('a request runs with what it asks for under the cap, 0 and huge asks get the cap, and the model’s own limit caps when the server sets none', () => {
  expect(cappedTimeLimit(50, model(1000), { maxTimeLimitMs: 100 })).toBe(50);
  expect(cappedTimeLimit(0, model(1000), { maxTimeLimitMs: 100 })).toBe(100);
  expect(cappedTimeLimit(1e308, model(1000), { maxTimeLimitMs: 100 })).toBe(100);
  expect(cappedTimeLimit(undefined, model(1000), {})).toBe(1000);
  expect(cappedTimeLimit(5000, model(1000), {})).toBe(1000);
  expect(cappedTimeLimit(0, model(0), {})).toBe(10000); // a model with no limit gets the default one
});

test('the time left counts from the arrival, and never reaches 0 (which would mean no limit)', () => {
  expect(timeLeft(50, model(1000), { maxTimeLimitMs: 100 }, 0, 30)).toBe(20);
  expect(timeLeft(0, model(1000), { maxTimeLimitMs: 100 }, 0, 30)).toBe(70);
  expect(timeLeft(50, model(1000), { maxTimeLimitMs: 100 }, 0, 80)).toBe(LEAST_MS);
});

test('a batch shares the cap: each text has its own limit or what is left of the batch’s, whichever is less', () => {
  let now = 10;
  const left = batchClock(model(1000), { maxTimeLimitMs: 100 }, 0, () => now);
  expect(left(50)).toBe(50);
  now = 80;
  expect(left(50)).toBe(20);
  expect(left(undefined)).toBe(20);
  now = 120;
  expect(left(50)).toBe(LEAST_MS);
});

test('the wait for a model to load: the ask under the cap, else the cap, else the default limit', () => {
  expect(loadLimit(50, {})).toBe(50);
  expect(loadLimit(undefined, {})).toBe(10000);
  expect(loadLimit(0, { maxTimeLimitMs: 40 })).toBe(40);
  expect(loadLimit(1e308, { maxTimeLimitMs: 40 })).toBe(40);
});

test('a late answer says the limit it had and the time since the arrival', () => {
  expect(lateEvent(50, 100, 'sha256:x', 163.25)).toEqual({
    event: 'timeLimit',
    intent: null,
    score: null,
    phrase: null,
    alternatives: [],
    limit: { kind: 'time', max: 50, actual: 63.25 },
    modelId: 'sha256:x',
    elapsedMs: 63.25,
  });
});

test('a text whose time was spent before it began: lengthLimit if it is over its limits (as the engine decides first), else timeLimit', () => {
  const m = model(1000);
  expect(spentEvent('a'.repeat(401), {}, m, 50, 0)).toMatchObject({ event: 'lengthLimit', limit: { kind: 'symbols', max: 400, actual: 401 }, elapsedMs: 0 });
  expect(spentEvent('a b c', { wordLimit: 2 }, m, 50, 0)).toMatchObject({ event: 'lengthLimit', limit: { kind: 'words', max: 2 } });
  expect(spentEvent('hello', {}, m, 50, performance.now() - 70)).toMatchObject({ event: 'timeLimit', limit: { kind: 'time', max: 50 } });
});
