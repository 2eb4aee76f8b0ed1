import { Budget, OutOfBudget, runToEnd, type Steps } from '../src/budget.js';
import { StsError } from '../src/errors.js';

/** A clock the test sets. */
function clock(start = 100) {
  const c = { t: start, now: () => c.t };
  return c;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('Budget', () => {
  test('check() passes before the deadline and throws OutOfBudget("time") after it, with the limit and the time used', () => {
    const c = clock();
    const b = new Budget({ now: c.now, timeLimit: 20 });
    c.t = 120;
    expect(b.check()).toBe(120);
    c.t = 120.5;
    expect(thrown(() => b.check())).toEqual(new OutOfBudget('time', 20, 20.5));
  });

  test('timeLimit 0 (or none) is no deadline', () => {
    const c = clock();
    for (const b of [new Budget({ now: c.now, timeLimit: 0 }), new Budget({ now: c.now })]) {
      c.t = 1e12;
      expect(b.check()).toBe(1e12);
      expect(b.deadline).toBe(Infinity);
    }
  });

  test('an aborted signal stops the work with StsError("aborted")', () => {
    const controller = new AbortController();
    const b = new Budget({ now: clock().now, signal: controller.signal });
    b.check();
    controller.abort();
    expect(thrown(() => b.check())).toMatchObject({ code: 'aborted' });
    expect(thrown(() => b.checkSignal())).toBeInstanceOf(StsError);
  });

  test('tick() looks at the clock every 64 calls', () => {
    let reads = 0;
    const b = new Budget({ now: () => (reads++, 0) });
    reads = 0;
    for (let i = 0; i < 640; i++) b.tick();
    expect(reads).toBe(10);
  });

  test('pause() says when the slice is over, but never at the first pause point of a slice (each slice makes progress)', () => {
    const c = clock();
    const b = new Budget({ now: c.now, timeLimit: 100 });
    b.beginSlice(105);
    c.t = 110;
    expect(b.pause()).toBe(false); // the first pause point of the slice
    expect(b.pause()).toBe(true);
    b.beginSlice(Infinity);
    expect([b.pause(), b.pause()]).toEqual([false, false]);
  });

  test('chargeRegex() throws OutOfBudget("regex") once the allowance is spent', () => {
    const b = new Budget({ now: clock().now, regexMs: 5 });
    b.chargeRegex(3);
    expect(thrown(() => b.chargeRegex(2.5))).toEqual(new OutOfBudget('regex', 5, 5.5));
  });

  test('runToEnd() runs resumable work through its pauses; a stage that yields is resumed where it paused', () => {
    const seen: number[] = [];
    function* work(): Steps<number> {
      for (let i = 0; i < 3; i++) {
        seen.push(i);
        yield;
      }
      return seen.length;
    }
    expect(runToEnd(work())).toBe(3);
    expect(seen).toEqual([0, 1, 2]);
  });

  test('unlimited(): no deadline, no allowance, never pauses', () => {
    const b = Budget.unlimited();
    b.chargeRegex(1e9);
    expect([b.check(), b.pause(), b.pause(), b.deadline]).toEqual([0, false, false, Infinity]);
  });
});
