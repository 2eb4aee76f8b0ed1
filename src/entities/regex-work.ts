import { RE2JS } from 're2js';
import type { CompiledRegex } from './regex.js';

/*
 * The work a regex does on a text, counted rather than timed: how many instruction visits
 * re2js's NFA makes (the threads it steps, position by position) and how many times the matcher
 * is run. A count is the same on every machine and under any load, so a model's regexes are
 * accepted or refused the same way wherever it is compiled; a timing on a busy machine (or
 * before the JIT has compiled re2js) can be several times what the regex costs.
 *
 * It reads re2js internals: an RE2 object's executeEngine and doExecuteNFA, its Machine (from
 * the machines it pools) and the run queue's size. Without them (another re2js) there is no
 * counter, and the caller measures time instead.
 */

/** What a counting regex has done so far. */
export interface RegexWork {
  /** Instruction visits of the NFA: the size of its run queue at each position it steps over. */
  steps: number;
  /** Runs of the matcher (each find, or whole-text test). */
  runs: number;
}

/** Thrown out of a counting run once `over` says the work is past the limit: nothing after that counts. */
export class WorkOverLimit extends Error {}

interface Queue {
  size: number;
}

interface Machine {
  init(ncap: number): void;
  match(input: unknown, pos: number, anchor: number, lookbehinds: unknown): boolean;
  submatches(): number[];
  step(runq: Queue, ...rest: unknown[]): void;
}

interface MachineClass {
  fromRE2(re2: unknown): Machine;
  prototype: Machine;
}

interface RE2Internals {
  executeEngine(input: unknown, pos: number, anchor: number, ncap: number, lookbehinds: unknown): number[] | null;
  doExecuteNFA(input: unknown, pos: number, anchor: number, ncap: number, lookbehinds: unknown): number[] | null;
  machinePool?: unknown[];
}

let machineClass: MachineClass | null | undefined;

/** re2js's Machine, taken from the pool of a regex made to run its NFA once; null when re2js has none. */
function nfaMachine(): MachineClass | null {
  if (machineClass !== undefined) return machineClass;
  machineClass = null;
  try {
    const probe = RE2JS.compile('a');
    const re2 = probe.re2() as unknown as RE2Internals;
    if (typeof re2.doExecuteNFA !== 'function' || typeof re2.executeEngine !== 'function') return null;
    re2.executeEngine = function (this: RE2Internals, input, pos, anchor, ncap, lookbehinds) {
      return this.doExecuteNFA(input, pos, anchor, ncap, lookbehinds);
    };
    if (!probe.matches('a')) return null;
    const found = (re2.machinePool?.[0] as { constructor?: unknown } | undefined)?.constructor as Partial<MachineClass> | undefined;
    if (typeof found?.fromRE2 === 'function' && typeof found.prototype?.step === 'function') machineClass = found as MachineClass;
  } catch {
    machineClass = null;
  }
  return machineClass;
}

/**
 * Makes a regex count its work: every run of it goes through re2js's NFA (whatever engine it
 * would pick) and adds to the counts returned; once `over(work)` is true, the run in progress
 * throws WorkOverLimit. The regex is changed for good: give one compiled for this alone.
 * Undefined when this re2js cannot be counted.
 */
export function countWork(re: CompiledRegex, over: (work: RegexWork) => boolean): RegexWork | undefined {
  const Machine = nfaMachine();
  const re2 = re.re2() as unknown as RE2Internals;
  if (!Machine || typeof re2.executeEngine !== 'function') return undefined;
  const work: RegexWork = { steps: 0, runs: 0 };
  const machine = Machine.fromRE2(re2);
  const step = Machine.prototype.step;
  machine.step = function (this: Machine, runq: Queue, ...rest: unknown[]) {
    work.steps += runq.size;
    if (over(work)) throw new WorkOverLimit();
    step.call(this, runq, ...rest);
  };
  re2.executeEngine = (input, pos, anchor, ncap, lookbehinds) => {
    work.runs++;
    machine.init(ncap);
    return machine.match(input, pos, anchor, lookbehinds) ? machine.submatches() : null;
  };
  return work;
}
