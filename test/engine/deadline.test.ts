import { RE2JS } from 're2js';
import { createClassifier } from '../../src/lexicons.js';
import { Candidates } from '../../src/engine/search/candidates.js';
import { Scheduler, type Job } from '../../src/engine/scheduler.js';
import { compileJaicp, shortUnknownWords } from '../helpers.js';
import { trainedOn } from '../quality/datasets.js';

/*
 * A deadline is a promise only if no stretch of work between two looks at the clock is long,
 * whatever the request: these tests count the costly steps between two reads of the clock.
 */

/** Wraps `proto[name]` to count calls that `counts` accepts; returns the most counted between two clock reads, and the clock to use. */
function countBetweenReads<T extends object>(proto: T, name: keyof T, counts: (self: T, args: unknown[]) => boolean = () => true) {
  const original = proto[name] as (...args: unknown[]) => unknown;
  let since = 0;
  const state = { most: 0 };
  (proto as Record<keyof T, unknown>)[name] = function (this: T, ...args: unknown[]) {
    if (counts(this, args)) state.most = Math.max(state.most, ++since);
    return original.apply(this, args);
  };
  return {
    state,
    now: () => {
      since = 0;
      return performance.now();
    },
    restore: () => void ((proto as Record<keyof T, unknown>)[name] = original),
  };
}

describe('no long stretch of work between two looks at the clock', () => {
  test('a request of short unknown words on CLINC150: the phrases its acronyms reach are bounded a few at a time', () => {
    const { model } = trainedOn('clinc150', { preset: 'jaicp' }); // acronyms on, as JAICP has them
    // An acronym pair costs an alignment of the phrase: count those computed, not those known already.
    const probe = countBetweenReads(Candidates.prototype, 'boundOf', (self, [p]) => {
      const c = self as unknown as { forcedSet?: Set<number>; forcedBounds?: Map<number, number> };
      return c.forcedSet?.has(p as number) === true && c.forcedBounds?.has(p as number) !== true;
    });
    try {
      const c = createClassifier(model, { now: probe.now });
      for (const seed of [1, 2, 3]) c.classifySync(shortUnknownWords(seed), { timeLimit: 0 });
    } finally {
      probe.restore();
    }
    expect(probe.state.most).toBeGreaterThan(0);
    expect(probe.state.most).toBeLessThanOrEqual(64);
  });

  test('entity regexes: one matcher run at most between two looks at the clock', () => {
    const { model } = compileJaicp({
      language: 'en',
      entities: [{ name: 'Code', records: [{ type: 'pattern', pattern: '.*z|' }, { type: 'pattern', pattern: '[a-c]' }] }],
      intents: [{ path: '/code', phrases: ['my code is @Code'] }],
    });
    const proto = Object.getPrototypeOf(RE2JS.compile('a').matcher('')) as { find: () => boolean };
    const probe = countBetweenReads(proto, 'find');
    try {
      createClassifier(model, { now: probe.now }).classifySync('abc '.repeat(100), { timeLimit: 0 });
    } finally {
      probe.restore();
    }
    expect(probe.state.most).toBe(1);
  });

  test('a pathological pattern looks at the clock as it goes, not only between patterns', () => {
    const { model } = compileJaicp({ language: 'en', intents: [{ path: '/p', patterns: ['{* a * a * a * a * a * a * a * a} x'] }, { path: '/a', phrases: ['b'] }] });
    let reads = 0;
    const c = createClassifier(model, { now: () => (reads++, performance.now()) });
    c.classifySync(Array.from({ length: 200 }, () => 'a').join(' '), { timeLimit: 0 });
    expect(reads).toBeGreaterThan(50); // 100,000 steps: a look every 1,024
  });
});

describe('the scheduler', () => {
  /** A clock that advances 0.01 ms at each read: time passes as work is done. */
  const workClock = () => {
    let t = 0;
    return () => (t += 0.01);
  };
  const manyPhrases = {
    language: 'en',
    intents: Array.from({ length: 40 }, (_, i) => ({ path: `/i${i}`, phrases: Array.from({ length: 50 }, (_, k) => `common word${i} thing${k} more${(i * k) % 17}`) })),
  };

  test('a request with a short deadline is answered at it while a long one is in progress', async () => {
    const c = createClassifier(compileJaicp(manyPhrases).model, { now: workClock(), sliceMs: 2 });
    const text = 'common thing1 thing2 more3 word4 '.repeat(10).trim();
    const long = c.classify(text, { timeLimit: 30, nBest: 40 }); // 30 ms of this clock: far longer than the short one's
    const short = c.classify(text, { timeLimit: 1, nBest: 40 });
    const [, answer] = await Promise.all([long, short]);
    expect(answer.event).toBe('timeLimit');
    expect(answer.limit).toMatchObject({ kind: 'time', max: 1 });
    expect(answer.limit!.actual).toBeLessThan(1.2);
  });

  test('an entity lookup has a deadline: past it, no entities and timedOut', async () => {
    const { model } = compileJaicp({
      language: 'en',
      entities: [{ name: 'Letter', records: [{ type: 'pattern', pattern: '[a-c]' }] }],
      intents: [{ path: '/x', phrases: ['@Letter'] }],
    });
    const c = createClassifier(model, { now: workClock() });
    expect(await c.lookupEntities('a b c '.repeat(60), { timeLimit: 0.05 })).toEqual({ entities: [], overLimit: false, timedOut: true });
    expect((await c.lookupEntities('a b', { timeLimit: 0 })).entities).toHaveLength(2);
  });
});

describe('the scheduler shares its turns among groups (a classifier each), then among their jobs', () => {
  /** A job that needs `slices` whole slices of a clock it moves itself; counts the steps of all jobs. */
  const setup = () => {
    let t = 0;
    let steps = 0;
    const scheduler = new Scheduler(() => t, 2);
    const job = (slices: number): Job<number> => {
      let left = slices;
      return {
        deadline: Infinity,
        step: (until) => {
          steps++;
          t = Math.max(t, until);
          return --left === 0 ? { done: true, value: steps } : { done: false };
        },
      };
    };
    return { scheduler, job };
  };

  test('twenty slow jobs of one group do not make another group\'s short job wait twenty turns a step', async () => {
    const { scheduler, job } = setup();
    const slow = {};
    const light = {};
    const many = Array.from({ length: 20 }, () => scheduler.run(job(50), slow));
    const doneAt = await scheduler.run(job(3), light);
    // Round robin over the jobs would take about 3 × 21 steps; over the groups, about 3 × 2.
    expect(doneAt).toBeLessThanOrEqual(8);
    await Promise.all(many);
  });

  test('jobs of one group still take turns among themselves', async () => {
    const { scheduler, job } = setup();
    const g = {};
    const long = scheduler.run(job(100), g);
    const short = await scheduler.run(job(2), g);
    expect(short).toBeLessThanOrEqual(5);
    await long;
  });
});
