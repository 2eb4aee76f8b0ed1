import path from 'node:path';
import { examine, type Finding } from '../../src/eval/doctor.js';
import { readIntentSet } from '../../src/model/io.js';
import { REPO } from '../helpers.js';
import { sts } from './run-cli.js';

/** `sts doctor` on a fixture with planted problems (test/fixtures/doctor/intents.yaml says which). */

const FIXTURE = path.join(REPO, 'test/fixtures/doctor');
let findings: Finding[];

beforeAll(async () => {
  const { set } = await readIntentSet([path.join(FIXTURE, 'intents.yaml')]);
  findings = (await examine(set)).findings;
});

const of = (kind: Finding['kind']) => findings.filter((f) => f.kind === kind);

test('finds the planted near-duplicate phrases across intents', () => {
  expect(of('near-duplicate')).toEqual([
    expect.objectContaining({ subjects: ['/food/pizza', '/food/drink'], examples: ['i want to order a pizza', 'i want to order pizza'] }),
  ]);
});

test('finds the intent pair cross-validation confuses', () => {
  const pairs = of('confused-intents').map((f) => f.subjects.join(' & '));
  expect(pairs).toContain('/booking/reservation & /booking/table');
  const booking = of('confused-intents').find((f) => f.subjects.includes('/booking/reservation'))!;
  expect(booking.message).toMatch(/\d of 5 held-out phrases of \/booking\/reservation went to \/booking\/table/);
  expect(booking.advice).toMatch(/merge them/);
});

test('finds the intent with too few phrases, the unused entity and the pattern that matches nothing', () => {
  expect(of('few-phrases').map((f) => f.subjects[0])).toEqual(['/goodbye']);
  expect(of('unused-entity').map((f) => f.subjects[0])).toEqual(['Size']);
  expect(of('unmatched-pattern')).toEqual([expect.objectContaining({ subjects: ['/help'], examples: ['* teleport * moon *'] })]);
});

test('every finding says what to do', () => {
  for (const f of findings) expect(f.advice.length).toBeGreaterThan(20);
});

test('a clean source has nothing to report', async () => {
  const { set } = await readIntentSet([path.join(FIXTURE, 'intents.yaml')]);
  const clean = { ...set, entities: [], intents: [{ path: '/a', phrases: ['one apple', 'two apples', 'an apple please', 'apples', 'red apple'] }, { path: '/b', phrases: ['a taxi', 'call a cab', 'taxi now', 'cab please', 'get me a taxi'] }] };
  expect((await examine(clean)).findings).toEqual([]);
});

describe('the command', () => {
  test('prints the findings grouped, with advice, and exits 1', async () => {
    const r = await sts(['doctor', 'intents.yaml'], { cwd: FIXTURE });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^6 intents, 29 phrases: \d+ findings\n/);
    expect(r.stdout).toContain('Near-duplicate phrases across intents (1):\n  - "i want to order a pizza" (/food/pizza) and "i want to order pizza" (/food/drink)');
    expect(r.stdout).toMatch(/Intents cross-validation confuses \(\d+\):/);
    expect(r.stdout).toMatch(/\n {4}→ /);
  });

  test('--json prints the findings as JSON', async () => {
    const r = await sts(['doctor', '.', '--json'], { cwd: FIXTURE });
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ files: ['intents.yaml'], intents: 6, phrases: 29 });
    expect(report.findings.map((f: Finding) => f.kind)).toEqual(expect.arrayContaining(['near-duplicate', 'confused-intents', 'few-phrases', 'unused-entity', 'unmatched-pattern']));
  });

  test('--folds 1 is a usage error', async () => {
    const r = await sts(['doctor', 'intents.yaml', '--folds', '1'], { cwd: FIXTURE });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--folds must be a whole number of 2 or more');
  });
});
