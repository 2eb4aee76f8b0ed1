// One system × data set × config, in its own process so that peak RSS is this system's alone.
// Forked by bench/accuracy.js with the job as JSON in argv[2]; answers once with process.send:
// { ok: true, result } or { ok: false, error }. `node bench/lib/worker.js '{"system":"baseline"}'`
// reports the RSS of a bare Node process, the floor under every figure.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const job = JSON.parse(process.argv[2] ?? '{}');
const WARM_UP = 200;

try {
  const result = job.system === 'baseline' ? {} : await run(job);
  result.maxRssKb = process.resourceUsage().maxRSS;
  send({ ok: true, result });
} catch (e) {
  // StsError keeps the useful part (which setting, which line) in details, not in the message.
  const details = (e?.details ?? []).map((d) => [d.path, d.message].filter(Boolean).join(': '));
  send({ ok: false, error: [e instanceof Error ? e.message : String(e), ...details].join('; ') });
}

function send(message) {
  if (process.send) process.send(message, () => process.exit(0));
  else console.log(JSON.stringify(message, null, 2));
}

async function run({ system, settings, dir }) {
  const { parseJsonl, labelToPath } = await import('../../dist/model/parse-training-list.js');
  const { computeMetrics, tuneThreshold } = await import('../../dist/eval/metrics.js');
  const { makeSystem } = await import('./systems.js');
  const load = (split) => {
    const file = path.join(dir, `${split}.jsonl`);
    return existsSync(file) ? parseJsonl(readFileSync(file, 'utf8'), file) : null;
  };
  const train = load('train');
  const val = load('val');
  const test = load('test');
  if (!train || !test) throw new Error(`${dir}: train.jsonl and test.jsonl are required`);

  const sys = await makeSystem(system, settings);
  const inScopeTrain = train.filter((r) => r.intent !== null);
  let t0 = process.hrtime.bigint();
  await sys.train(inScopeTrain);
  const trainMs = Number(process.hrtime.bigint() - t0) / 1e6;

  const gold = (row) => (row.intent === null ? null : labelToPath(row.intent));

  // Warm-up on training texts (not test texts), so JIT and lazy init are done before timing.
  for (let k = 0; k < WARM_UP; k++) await sys.predict(inScopeTrain[k % inScopeTrain.length].text);

  // Test: each single classification timed; the same predictions feed the metrics.
  const testPreds = [];
  const latencyUs = [];
  for (const row of test) {
    t0 = process.hrtime.bigint();
    const pred = await sys.predict(row.text);
    latencyUs.push(Number(process.hrtime.bigint() - t0) / 1e3);
    testPreds.push({ gold: gold(row), ...pred });
  }
  latencyUs.sort((a, b) => a - b);
  const pct = (q) => latencyUs[Math.min(latencyUs.length - 1, Math.ceil(q * latencyUs.length) - 1)];

  const all = computeMetrics(testPreds, 0);
  const inScopePreds = testPreds.filter((p) => p.gold !== null);
  const result = {
    trainRows: inScopeTrain.length,
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
  return result;
}
