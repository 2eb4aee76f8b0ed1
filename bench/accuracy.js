#!/usr/bin/env node
// npm run bench:accuracy — trains and scores sts-classifier ("ours"), NLP.js and natural's
// BayesClassifier on the data sets of data/ that settings were chosen on (bench/lib/datasets.js:
// full CLINC150, its 5- and 10-shot subsets, the Russian ru-support, SNIPS, the Braun corpora), in
// one run on this machine, and writes BENCHMARKS.md. npm run bench:held-out (--held-out) does the
// same on the held-out sets (BANKING77, HWU64), into a section of its own. Each system × data set runs in its own child process (bench/lib/worker.js)
// so that its peak RSS is its own. The systems of a data set train one at a time, then classify
// its test rows in turns (runDataset), so that they are timed over the same minutes.
//
//   --only clinc150,ru-support      data sets to run (default: all; names in bench/lib/datasets.js)
//   --systems ours,nlpjs            systems to run (ours, nlpjs, bayes; default: all)
//   --config NAME=JSON              a settings object for ours (repeatable; default:
//                                   default={} and jaicp={"preset":"jaicp"})
//   --out FILE                      where to write the report (default BENCHMARKS.md; "-" = nowhere)
//   --held-out                      run the held-out data sets instead (BANKING77, HWU64: no setting
//                                   was chosen on them), into a section of their own (npm run bench:held-out)
// Env: STS_DATASETS (default <repo>/data), BENCH_CONFIGS (JSON {name: settings},
// used when no --config is given), BENCH_JOB_TIMEOUT_MIN (default 15: a job taking longer over
// one step, training or one turn of classifications, is killed and reported as capped). Needs a built dist/ (npm run build).
import { fork, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(path.join(repo, 'dist/index.js'))) {
  console.error('bench:accuracy: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
const { SYSTEMS } = await import('./lib/systems.js');
const { resultTables } = await import('./lib/report.js');
const { PUBLISHED, PUBLISHED_HELD_OUT } = await import('./lib/published.js');
const { writeSection } = await import('./lib/section.js');
const { DATASETS, DATASET_NAMES, HELD_OUT_NAMES } = await import('./lib/datasets.js');
const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv,
  options: { only: { type: 'string' }, systems: { type: 'string' }, config: { type: 'string', multiple: true }, out: { type: 'string' }, 'held-out': { type: 'boolean' } },
});
const list = (s, known, what, also = '') => {
  const items = s.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = items.filter((x) => !known.includes(x));
  if (bad.length) usage(`unknown ${what}: ${bad.join(', ')} (known: ${known.join(', ')}${also})`);
  return items;
};
const heldOut = values['held-out'] === true;
const ALL_DATASETS = heldOut ? HELD_OUT_NAMES : DATASET_NAMES;
/** The section of BENCHMARKS.md this run writes, and the npm script that runs it so. */
const script = heldOut ? 'bench:held-out' : 'bench:accuracy';
const only = values.only ? list(values.only, ALL_DATASETS, 'data set', heldOut ? '' : `; with --held-out: ${HELD_OUT_NAMES.join(', ')}`) : ALL_DATASETS;
const datasets = ALL_DATASETS.filter((d) => only.includes(d)); // always in the canonical order
const systems = values.systems ? list(values.systems, SYSTEMS, 'system') : SYSTEMS;
const configs = parseConfigs(values.config, process.env.BENCH_CONFIGS);
const dataRoot = path.resolve(process.env.STS_DATASETS ?? path.join(repo, 'data'));
const timeoutMs = Number(process.env.BENCH_JOB_TIMEOUT_MIN ?? 15) * 60_000;
const outFile = values.out === '-' ? null : path.resolve(repo, values.out ?? 'BENCHMARKS.md');

function usage(msg) {
  console.error(`bench:accuracy: ${msg}`);
  process.exit(2);
}

function parseConfigs(flags, env) {
  if (flags?.length) {
    return flags.map((f) => {
      const eq = f.indexOf('=');
      if (eq <= 0) usage(`--config expects NAME=JSON, got "${f}"`);
      return { name: f.slice(0, eq), settings: parseJson(f.slice(eq + 1), `--config ${f.slice(0, eq)}`) };
    });
  }
  if (env) return Object.entries(parseJson(env, 'BENCH_CONFIGS')).map(([name, settings]) => ({ name, settings }));
  // What a user gets with no settings, and JAICP's documented defaults.
  return [
    { name: 'default', settings: {} },
    { name: 'jaicp', settings: { preset: 'jaicp' } },
  ];
}

function parseJson(text, what) {
  try {
    const v = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not a JSON object');
    return v;
  } catch (e) {
    return usage(`${what}: ${e.message}`);
  }
}

/**
 * One job's child process (bench/lib/worker.js), driven by messages: `next()` waits for its next
 * message, `ask(m)` sends one and waits for the answer. Never rejects: a child that fails, dies
 * or takes longer than the timeout over one step (training, a turn, finishing; idle time while
 * the other children work does not count) answers { ok: false, error } from then on.
 */
function startJob(job) {
  // The child's stdout goes to our stderr: stray library output must not break the Markdown.
  const child = fork(path.join(repo, 'bench/lib/worker.js'), [JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  child.stdout.pipe(process.stderr);
  const inbox = [];
  let waiting = null;
  let ended = null;
  const deliver = (m) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(m);
    } else inbox.push(m);
  };
  const end = (error) => {
    ended ??= { ok: false, error };
    deliver(ended);
  };
  const wait = () =>
    new Promise((resolve) => {
      // The step's clock: from asking (or forking) to the answer.
      const timer = setTimeout(() => {
        end(`capped: killed after ${timeoutMs / 60_000} min on one step (BENCH_JOB_TIMEOUT_MIN), not measured`);
        child.kill('SIGKILL');
      }, timeoutMs);
      waiting = (m) => {
        clearTimeout(timer);
        resolve(m);
      };
    });
  child.on('message', (m) => deliver(m));
  child.on('error', (e) => end(e.message));
  child.on('exit', (code, signal) => end(`worker exited (${signal ?? `code ${code}`}) without a result`));
  const next = () => (inbox.length > 0 ? Promise.resolve(inbox.shift()) : ended ? Promise.resolve(ended) : wait());
  return {
    next,
    ask(message) {
      if (ended) return Promise.resolve(ended);
      child.send(message);
      return next();
    },
  };
}

/** Rows per turn when the systems of a data set take turns classifying its test rows. */
const CHUNK = 500;

/**
 * One data set: each system trains and warms up alone (one child at a time), then all classify
 * the test rows in turns of CHUNK rows, the order rotating every turn, so that a change in the
 * machine's speed during the run falls on every system alike; then each finishes (val, metrics).
 */
async function runDataset(dataset) {
  const jobs = [];
  for (const e of entries) {
    const t0 = Date.now();
    process.stderr.write(`[${results.length + jobs.length + 1}/${total}] ${e.label} × ${dataset}: training … `);
    const { dir, train, language } = DATASETS[dataset];
    const job = startJob({ system: e.system, settings: e.config?.settings ?? {}, dir: path.join(dataRoot, dir), train, language });
    const m = await job.next();
    process.stderr.write(`${m.ready ? 'ready' : `FAILED: ${m.error}`} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
    jobs.push({ e, job, failed: m.ready ? null : m, rows: m.testRows ?? 0 });
  }
  const rows = Math.max(0, ...jobs.map((j) => j.rows));
  process.stderr.write(`${dataset}: ${jobs.length} systems classify ${rows} test rows in turns of ${CHUNK} … `);
  const t0 = Date.now();
  for (let from = 0, turn = 0; from < rows; from += CHUNK, turn++) {
    for (let k = 0; k < jobs.length; k++) {
      const j = jobs[(k + turn) % jobs.length];
      if (j.failed) continue;
      const m = await j.job.ask({ time: [from, Math.min(rows, from + CHUNK)] });
      if (!m.timed) j.failed = m;
    }
  }
  process.stderr.write(`done (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
  for (const j of jobs) {
    const r = j.failed ?? (await j.job.ask({ finish: true }));
    if (!r.ok) process.stderr.write(`${j.e.label} × ${dataset}: FAILED: ${r.error}\n`);
    results.push({ dataset, label: j.e.label, ...r });
  }
}

// Every (system, config) pair is a row label; only ours takes configs.
const entries = systems.flatMap((s) => (s === 'ours' ? configs.map((c) => ({ system: s, config: c, label: `ours (${c.name})` })) : [{ system: s, config: null, label: s === 'nlpjs' ? 'NLP.js' : 'natural Bayes' }]));
const started = Date.now();
const loadAtStart = os.loadavg()[0];
const baseline = await startJob({ system: 'baseline' }).next();
const results = [];
const total = datasets.length * entries.length;
for (const dataset of datasets) await runDataset(dataset);
const elapsedS = (Date.now() - started) / 1000;

const report = [
  heldOut ? '## Accuracy on held-out data (no setting was chosen on it)' : '## Accuracy and speed against peers',
  '',
  header(),
  '',
  '## Results (measured in this run)',
  '',
  resultTables(datasets, entries.map((e) => e.label), results),
  method(),
  heldOut ? PUBLISHED_HELD_OUT : PUBLISHED,
].join('\n');
process.stdout.write(report);
if (outFile) {
  writeSection(outFile, script, report);
  process.stderr.write(`wrote ${path.relative(process.cwd(), outFile) || outFile}\n`);
}

function header() {
  const version = (p) => {
    try {
      return JSON.parse(readFileSync(path.join(repo, p, 'package.json'), 'utf8')).version;
    } catch {
      return '?';
    }
  };
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    if (execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: repo, encoding: 'utf8' }).trim()) commit += ' + uncommitted changes in src/';
  } catch {}
  const cpus = os.cpus();
  return [
    `- Date: ${new Date().toISOString()}`,
    `- Command: \`${command()}\``,
    `- Machine: Node ${process.version}, ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
    `- Code: sts-classifier ${version('.')} (git ${commit}, as built in dist/), @nlpjs/basic ${version('node_modules/@nlpjs/basic')}, @nlpjs/lang-ru ${version('node_modules/@nlpjs/lang-ru')}, natural ${version('node_modules/natural')}`,
    `- Settings of ours: ${configs.map((c) => `${c.name} = \`${JSON.stringify(c.settings)}\``).join('; ')}`,
    `- Data: ${dataRoot === path.join(repo, 'data') ? 'data/ (this repository)' : dataRoot}`,
    `- Load average (1 min) at start: ${loadAtStart.toFixed(2)}, at end: ${os.loadavg()[0].toFixed(2)} (other work on the machine widens p99)`,
    `- Total run time: ${elapsedS.toFixed(0)} s (${results.length} jobs; per data set, trained one at a time, then timed in turns)`,
  ].join('\n');
}

function command() {
  const quote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  const args = argv.map(quote).join(' ');
  if (process.env.npm_lifecycle_event === script) {
    const own = heldOut ? args.replace(/(^| )--held-out( |$)/, ' ').trim() : args;
    return `npm run ${script}${own ? ` -- ${own}` : ''}`;
  }
  return `node bench/accuracy.js${args ? ` ${args}` : ''}`;
}

function method() {
  const floor = baseline.ok ? `${(baseline.result.maxRssKb / 1024).toFixed(0)} MB` : 'not measured';
  return `## How it was measured

- **Train ms**: wall clock of compile (ours: \`compileIntentSet\` + \`createClassifier\`) or train (NLP.js
  \`addDocument\`s + \`train()\`; Bayes \`addDocument\`s + \`train()\`). Out-of-scope train rows (intent null) are not trained.
- **top-1 acc.**: in-scope test rows whose best intent is right, threshold ignored (ours classifies with
  \`threshold: 0, nBest: 1, explain: false\`; the prediction is \`alternatives[0]\`).
- **Data**: each data set trains on the in-scope rows of its training file and is scored on its \`test.jsonl\`;
  the few-shot rows train on \`clinc150/train-5shot.jsonl\` or \`train-10shot.jsonl\` and share CLINC150's val and
  test (out-of-scope rows included). ru-support is Russian: ours is compiled with \`language: "ru"\` (what detection
  finds for it), NLP.js loads its Russian pack and Bayes natural's Russian Porter stemmer. The held-out rows
  (\`npm run bench:held-out\`) train on \`banking77/\` or \`hwu64/\` \`train-5shot.jsonl\` or \`train-10shot.jsonl\`
  and are scored on that folder's \`test.jsonl\`, which has no out-of-scope rows.
- **tuned threshold / @thr** (only where val.jsonl has out-of-scope rows: CLINC150, its few-shot subsets and ru-support;
  the *oos-threshold* protocol of Larson et al.): val is classified, \`tuneThreshold\` picks the threshold with
  the best accuracy over all rows (out of scope counted as a class), then test is scored once at it with
  \`computeMetrics\`. NLP.js and Bayes are thresholded on their own top score the same way.
- **micro F1** (Braun corpora): \`computeMetrics(…).microF1\` over the in-scope test rows at threshold 0
  (always the top intent, unless its score is 0), as the published tables score intents; null rows are not scored.
  The summary's pooled F1 takes the in-scope rows of the three corpora together, like the "overall" column.
- **p50 / p99 µs**: \`process.hrtime.bigint()\` around each single classification of every test row
  (the first time the system sees it), in-process, after a warm-up of 200 training texts. The
  systems of a data set, each in its own process, classify the test rows in turns of ${CHUNK} rows
  (one process at a time, the order rotating every turn), so that a change in the machine's speed
  during the run falls on all of them alike. NLP.js is timed around \`await nlp.process()\`, its full
  default pipeline (NER, sentiment, answers included).
  On small test sets (55–106 rows) p99 is the 1st–2nd slowest call, so it mostly shows machine noise
  (JIT, GC, other processes); read it on CLINC150/SNIPS.
- **Own rule** (the summary's "right intent and match" row everywhere; its "noMatch" row and the per-data-set
  table where val and test have out-of-scope rows): the same test predictions decided by each system's
  own default rule instead of a tuned threshold, as a bot would get them: ours matches when the score exceeds
  the model's \`threshold\` setting (the same decision as the default \`classify(text)\` call), NLP.js answers its
  own \`intent\` (None below its threshold 0.5 or when its None class wins). "Right intent and match" counts the
  in-scope rows answered with the right intent *and* a match; "noMatch" the out-of-scope rows answered with no
  intent. Bayes always answers an intent, so it has no such figures.
- **peak RSS MB**: \`process.resourceUsage().maxRSS\` of the child process that loaded the data, trained and
  classified; it includes Node itself (a bare child peaks at ${floor} here).
- **NLP.js**: \`@nlpjs/basic\` \`dockStart({ use: ['Basic'] })\` (Russian: \`use: ['Basic', 'LangRu']\` with
  \`@nlpjs/lang-ru\`) with its defaults (neural NLU, \`useNoneFeature\`, sentiment on, threshold 0.5),
  autoSave/autoLoad off; its per-epoch console logging is muted during training.
  Its "None" class means no match, so the top-1 is the best non-None classification and that
  classification's score is the one thresholded.
- **natural Bayes**: \`BayesClassifier\` with its defaults (Porter stemmer, stop words removed; Russian:
  \`PorterStemmerRu\`, with natural's Russian tokenizer and stop words); the score is the
  best label's \`value\`, an unnormalized P(class)·ΠP(word|class), hence the tiny thresholds.
- A job that fails shows "error: …" in its row; one that takes over BENCH_JOB_TIMEOUT_MIN minutes on one step (training,
  a turn of classifications, finishing) is killed and shown as capped.
`;
}
