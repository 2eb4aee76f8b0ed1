import path from 'node:path';
import { CallOverride } from '../config.js';
import { createClassifier, type Classifier } from '../engine/classifier.js';
import { computeMetrics, tuneThreshold, type Metrics, type Prediction } from '../eval/metrics.js';
import { detectFormat, readModel, readTextFile } from '../model/io.js';
import { labelToPath, parseCsv, parseJsonl } from '../model/parse-training-list.js';
import { StsError } from '../errors.js';
import { numberOption, parse } from './args.js';
import { progress, UsageError, type CliIo } from './io.js';

export const EVAL_HELP = `Usage: sts eval --model MODEL.json TEST.jsonl|TEST.csv [--tune VAL.jsonl] [--json]

Scores a model on labelled rows (intent null / empty = out of scope, should be noMatch).
Each row is classified once with the threshold ignored, then decided at the threshold:
  top-1 accuracy       in-scope rows whose best intent is right, threshold ignored
  in-scope accuracy    in-scope rows matched (score > threshold) to the right intent
  out-of-scope recall  out-of-scope rows answered noMatch (and precision of noMatch answers)
  macro F1, micro F1   over the in-scope intents
  most confused pairs  gold intent → predicted intent (or noMatch)

Options:
  -m, --model FILE      compiled model (required)
  -t, --threshold X     decide at X instead of the model's threshold
      --tune FILE       choose the threshold on this validation file first (best accuracy over
                        all rows, out-of-scope counted as a class: the CLINC150 protocol)
      --json            print the metrics as JSON
  -h, --help            this help
`;

export async function evaluate(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('eval', argv, {
    model: { type: 'string', short: 'm' },
    threshold: { type: 'string', short: 't' },
    tune: { type: 'string' },
    json: { type: 'boolean' },
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
  const metrics = computeMetrics(await predict(classifier, path.resolve(io.cwd, positionals[0]!), io, 'eval'), threshold);
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
    preds.push({ gold: row.intent === null ? null : labelToPath(row.intent), top: top?.intent ?? null, score: top?.score ?? 0 });
    bar.tick(k + 1);
  }
  bar.end();
  return preds;
}

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
  return lines.join('\n') + '\n';
}
