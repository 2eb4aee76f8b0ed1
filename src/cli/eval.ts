import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { CallOverride } from '../config.js';
import type { Classifier } from '../engine/classifier.js';
import { createClassifier } from '../lexicons.js';
import { computeMetrics, NO_MATCH, tuneThreshold, type Metrics, type Prediction } from '../eval/metrics.js';
import { reportData } from '../eval/report-data.js';
import { reportHtml } from '../eval/report-html.js';
import { detectFormat, readModel, readTextFile, writeFileAtomic } from '../model/io.js';
import { labelToPath, parseCsv, parseJsonl } from '../model/parse-training-list.js';
import { StsError } from '../errors.js';
import { numberOption, parse } from './args.js';
import { progress, UsageError, type CliIo } from './io.js';

export const EVAL_HELP = `Usage: sts eval --model MODEL.json TEST.jsonl|TEST.csv [--tune VAL.jsonl] [--json] [--report DIR]

Scores a model on labelled rows (intent null / empty = out of scope, should be noMatch).
Each row is classified once with the threshold ignored, then decided at the threshold:
  top-1 accuracy       in-scope rows whose best intent is right, threshold ignored
  in-scope accuracy    in-scope rows matched (score > threshold) to the right intent
  out-of-scope recall  out-of-scope rows answered noMatch (and precision of noMatch answers)
  macro F1, micro F1   over the in-scope intents
  most confused pairs  gold intent → predicted intent (or noMatch)
  per intent           precision, recall, F1 and support of each intent
  misclassified        the rows decided wrong, with what was answered (all of them with --json)

Options:
  -m, --model FILE      compiled model (required)
  -t, --threshold X     decide at X instead of the model's threshold
      --tune FILE       choose the threshold on this validation file first (best accuracy over
                        all rows, out-of-scope counted as a class: the CLINC150 protocol)
      --json            print the metrics as JSON (per intent and misclassified rows included)
      --report DIR      also write an HTML report to DIR/index.html (and DIR/report.json): the
                        confusion matrix as a heat map, score histograms with the threshold,
                        F1 per intent, and the threshold curve
  -h, --help            this help
`;

export async function evaluate(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('eval', argv, {
    model: { type: 'string', short: 'm' },
    threshold: { type: 'string', short: 't' },
    tune: { type: 'string' },
    json: { type: 'boolean' },
    report: { type: 'string' },
  });
  if (values.help) return io.stdout(EVAL_HELP), 0;
  if (!values.model) throw new UsageError('sts eval: --model FILE is required');
  if (positionals.length !== 1) throw new UsageError('sts eval: give exactly one test file');
  if (values.tune && values.threshold) throw new UsageError('sts eval: --tune and --threshold exclude each other');
  const { model, regression } = await readModel(path.resolve(io.cwd, values.model as string));
  const classifier = createClassifier(model, { regression });
  let threshold = numberOption('eval', 'threshold', values.threshold, CallOverride.shape.threshold.unwrap()) ?? classifier.model.settings.threshold;
  let tuned: { file: string; threshold: number; accuracy: number } | undefined;
  if (values.tune) {
    const file = path.resolve(io.cwd, values.tune as string);
    const best = tuneThreshold(await predict(classifier, file, io, 'tune'));
    threshold = best.threshold;
    tuned = { file: values.tune as string, ...best };
  }
  const preds = await predict(classifier, path.resolve(io.cwd, positionals[0]!), io, 'eval');
  const metrics = computeMetrics(preds, threshold);
  if (values.report) {
    const dir = path.resolve(io.cwd, values.report as string);
    await mkdir(dir, { recursive: true });
    const data = reportData(preds, metrics);
    const ctx = { model: values.model as string, modelId: classifier.model.id, testFile: positionals[0]!, ...(tuned && { tuned }) };
    await writeFileAtomic(path.join(dir, 'report.json'), JSON.stringify({ ...ctx, ...data }, null, 2) + '\n');
    await writeFileAtomic(path.join(dir, 'index.html'), reportHtml(data, ctx));
    io.stderr(`report → ${path.relative(io.cwd, path.join(dir, 'index.html')) || 'index.html'}\n`);
  }
  io.stdout(values.json ? JSON.stringify({ ...metrics, tuned }, null, 2) + '\n' : formatMetrics(metrics, tuned));
  return 0;
}

async function predict(classifier: Classifier, file: string, io: CliIo, label: string): Promise<Prediction[]> {
  const text = await readTextFile(file);
  const format = detectFormat(file);
  if (format === 'intents') throw new StsError('unsupported_format', `${file}: eval reads labelled rows (.jsonl or .csv)`, [{ file, message: 'not a list' }]);
  const rows = format === 'jsonl' ? parseJsonl(text, file) : parseCsv(text, file);
  const bar = progress(io, label, rows.length);
  const preds: Prediction[] = [];
  for (const [k, row] of rows.entries()) {
    // Threshold 0 and nBest 1: we need the best intent and its score; the decision comes later.
    const event = await classifier.classify(row.text, { threshold: 0, nBest: 1, explain: false });
    const top = event.alternatives[0];
    preds.push({ gold: row.intent === null ? null : labelToPath(row.intent), top: top?.intent ?? null, score: top?.score ?? 0, text: row.text });
    bar.tick(k + 1);
  }
  bar.end();
  return preds;
}

/** The text output lists this many misclassified rows; --json and --report list them all. */
const MISCLASSIFIED_SHOWN = 20;

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);

export function formatMetrics(m: Metrics, tuned?: { file: string; threshold: number; accuracy: number }): string {
  const lines = [
    `rows                 ${m.rows} (in scope ${m.inScope}, out of scope ${m.outOfScope})`,
    `threshold            ${m.threshold}${tuned ? ` (tuned on ${tuned.file}: accuracy ${pct(tuned.accuracy)})` : ''}`,
    `top-1 accuracy       ${pct(m.top1Accuracy)}  (threshold ignored)`,
    `in-scope accuracy    ${pct(m.inScopeAccuracy)}`,
    `out-of-scope recall  ${pct(m.oosRecall)}   precision ${pct(m.oosPrecision)}`,
    `overall accuracy     ${pct(m.overallAccuracy)}  (out of scope counted as a class)`,
    `macro F1             ${pct(m.macroF1)}   micro F1 ${pct(m.microF1)}`,
  ];
  if (m.confused.length > 0) {
    lines.push('most confused (gold → predicted):');
    for (const c of m.confused) lines.push(`  ${String(c.count).padStart(4)}  ${c.gold} → ${c.predicted}`);
  }
  if (m.perIntent.length > 0) {
    const width = Math.max(6, ...m.perIntent.map((s) => s.intent.length));
    const cell = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3)).padStart(9);
    lines.push('per intent (worst F1 first):', `  ${'intent'.padEnd(width)}  precision   recall       F1  support`);
    for (const s of [...m.perIntent].sort((a, b) => a.f1 - b.f1 || a.intent.localeCompare(b.intent))) {
      lines.push(`  ${s.intent.padEnd(width)}  ${cell(s.precision)}${cell(s.recall)}${cell(s.f1)}${String(s.support).padStart(9)}`);
    }
  }
  if (m.misclassified.length > 0) {
    const shown = m.misclassified.slice(0, MISCLASSIFIED_SHOWN);
    lines.push(`misclassified (${shown.length} of ${m.misclassified.length}${shown.length < m.misclassified.length ? '; --json lists them all' : ''}):`);
    for (const r of shown) lines.push(`  "${r.text}"  ${r.gold ?? NO_MATCH} → ${r.predicted ?? NO_MATCH} (${r.score.toFixed(3)})`);
  }
  return lines.join('\n') + '\n';
}
