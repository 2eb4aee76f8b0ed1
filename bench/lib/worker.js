// One system × data set × config, in its own process so that peak RSS is this system's alone.
// Forked by bench/accuracy.js with the job as JSON in argv[2]. The worker trains and warms up,
// then says { ready: true, testRows }; the parent then asks it to classify chunks of the test
// rows, { time: [from, to] } → { timed: true }, taking turns with the other systems' workers
// (so that the machine's drifting speed falls on every system alike), and at last
// { finish: true } → { ok: true, result } or, at any step, { ok: false, error }.
// The job names the data set's folder, its training file (default "train") and its language
// (default "en"). Run by hand, `node bench/lib/worker.js '{"system":"ours","settings":{},"dir":"…"}'` does all
// steps at once and prints the result; `'{"system":"baseline"}'` reports the RSS of a bare
// Node process, the floor under every figure.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const job = JSON.parse(process.argv[2] ?? '{}');
const WARM_UP = 200;

if (job.system === 'baseline') send({ ok: true, result: { maxRssKb: process.resourceUsage().maxRSS } }, true);
else {
  try {
    const state = await prepare(job);
    if (process.send) {
      process.on('message', (m) => void step(state, m));
      process.send({ ready: true, testRows: state.test.length });
    } else {
      await timeRows(state, 0, state.test.length);
      send({ ok: true, result: await finish(state) }, true);
    }
  } catch (e) {
    send(failure(e), true);
  }
}

async function step(state, m) {
  try {
    if (m.time) {
      await timeRows(state, m.time[0], m.time[1]);
      send({ timed: true });
    } else if (m.finish) send({ ok: true, result: await finish(state) }, true);
  } catch (e) {
    send(failure(e), true);
  }
}

function failure(e) {
  // StsError keeps the useful part (which setting, which line) in details, not in the message.
  const details = (e?.details ?? []).map((d) => [d.path, d.message].filter(Boolean).join(': '));
  return { ok: false, error: [e instanceof Error ? e.message : String(e), ...details].join('; ') };
}

function send(message, last = false) {
  if (!process.send) return void console.log(JSON.stringify(message, null, 2));
  process.send(message, last ? () => process.exit(0) : undefined);
}

/** Loads the data set, trains, warms up: everything before the first timed classification. */
async function prepare({ system, settings, dir, train: trainSplit = 'train', language = 'en' }) {
  const { parseJsonl, labelToPath } = await import('../../dist/model/parse-training-list.js');
  const { makeSystem } = await import('./systems.js');
  const load = (split) => {
    const file = path.join(dir, `${split}.jsonl`);
    return existsSync(file) ? parseJsonl(readFileSync(file, 'utf8'), file) : null;
  };
  const train = load(trainSplit);
  const val = load('val');
  const test = load('test');
  if (!train || !test) throw new Error(`${dir}: ${trainSplit}.jsonl and test.jsonl are required`);

  const sys = await makeSystem(system, settings, language);
  const inScopeTrain = train.filter((r) => r.intent !== null);
  const t0 = process.hrtime.bigint();
  await sys.train(inScopeTrain);
  const trainMs = Number(process.hrtime.bigint() - t0) / 1e6;

  // Warm-up on training texts (not test texts), so JIT and lazy init are done before timing.
  for (let k = 0; k < WARM_UP; k++) await sys.predict(inScopeTrain[k % inScopeTrain.length].text);
  const gold = (row) => (row.intent === null ? null : labelToPath(row.intent));
  return { sys, val, test, gold, trainRows: inScopeTrain.length, trainMs, testPreds: [], latencyUs: [] };
}

/** Test rows [from, to): each single classification timed (the first time the system sees the text); the same predictions feed the metrics. */
async function timeRows(state, from, to) {
  for (const row of state.test.slice(from, to)) {
    const t0 = process.hrtime.bigint();
    const pred = await state.sys.predict(row.text);
    state.latencyUs.push(Number(process.hrtime.bigint() - t0) / 1e3);
    state.testPreds.push({ gold: state.gold(row), ...pred });
  }
}

async function finish({ sys, val, test, gold, trainRows, trainMs, testPreds, latencyUs }) {
  const { computeMetrics, tuneThreshold } = await import('../../dist/eval/metrics.js');
  if (testPreds.length !== test.length) throw new Error(`timed ${testPreds.length} of ${test.length} test rows`);
  latencyUs.sort((a, b) => a - b);
  const pct = (q) => latencyUs[Math.min(latencyUs.length - 1, Math.ceil(q * latencyUs.length) - 1)];

  const all = computeMetrics(testPreds, 0);
  const inScopePreds = testPreds.filter((p) => p.gold !== null);
  const result = {
    trainRows,
    testRows: test.length,
    testInScope: all.inScope,
    testOos: all.outOfScope,
    trainMs,
    top1: all.top1Accuracy,
    // Micro F1 over in-scope rows at threshold 0 (always the top intent, unless it scored 0),
    // as the Braun et al. / Botfuel tables score intents; null rows are left out as there.
    microF1: computeMetrics(inScopePreds, 0).microF1,
    p50Us: pct(0.5),
    p99Us: pct(0.99),
    oos: null,
  };

  // CLINC150 protocol, only where val has out-of-scope rows: tune on val, score test once.
  if (val && val.some((r) => r.intent === null)) {
    const valPreds = [];
    for (const row of val) valPreds.push({ gold: gold(row), ...(await sys.predict(row.text)) });
    const tuned = tuneThreshold(valPreds);
    const m = computeMetrics(testPreds, tuned.threshold);
    result.oos = { threshold: tuned.threshold, valAccuracy: tuned.accuracy, inScopeAccuracy: m.inScopeAccuracy, oosRecall: m.oosRecall };
  }
  // The system's own decision (its default threshold / None), where it has one: no tuning at all.
  if (testPreds.some((p) => p.native !== undefined)) {
    const m = computeMetrics(testPreds.map((p) => ({ gold: p.gold, top: p.native, score: p.native === null ? 0 : 1 })), 0);
    result.native = { rule: sys.nativeRule, inScopeAccuracy: m.inScopeAccuracy, oosRecall: m.oosRecall };
  }
  // Small sets send their in-scope predictions back so the parent can pool the Braun corpora.
  if (inScopePreds.length <= 1000) result.inScopePreds = inScopePreds;
  result.maxRssKb = process.resourceUsage().maxRSS;
  return result;
}
