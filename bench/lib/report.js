// Turns the workers' results into Markdown: one table per data set (same columns everywhere,
// "–" where a measure does not apply), each system's own decisions where the data set has
// out-of-scope rows, and a summary (data sets down, systems across, the pooled Braun F1, and the
// published few-shot figures beside ours).
import { computeMetrics } from '../../dist/eval/metrics.js';
import { DATASETS } from './datasets.js';
import { PUBLISHED_FEW_SHOT } from './published.js';

export const BRAUN = ['braun-chatbot', 'braun-askubuntu', 'braun-webapps'];
const DASH = '–';

const pct = (x) => (x === null || x === undefined ? DASH : (x * 100).toFixed(2));
const f1 = (x) => (x === null || x === undefined ? DASH : x.toFixed(3));
const int = (x) => Math.round(x).toLocaleString('en-US');
// Bayes scores are tiny unnormalized products, so thresholds get significant digits, not decimals.
const thr = (x) => (x === 0 ? '0' : Math.abs(x) >= 0.001 ? x.toFixed(4) : x.toPrecision(3));
const cellError = (msg) => `error: ${String(msg).replace(/\s+/g, ' ').replace(/\|/g, '\\|').slice(0, 160)}`;

const COLUMNS = ['system', 'train ms', 'top-1 acc. %', 'tuned threshold', 'in-scope acc. % @thr', 'OOS recall % @thr', 'micro F1', 'p50 µs', 'p99 µs', 'peak RSS MB'];

function row(label, r, isBraun) {
  if (!r.ok) return [label, cellError(r.error), ...COLUMNS.slice(2).map(() => '')];
  const x = r.result;
  return [
    label,
    int(x.trainMs),
    pct(x.top1),
    x.oos ? thr(x.oos.threshold) : DASH,
    x.oos ? pct(x.oos.inScopeAccuracy) : DASH,
    x.oos ? pct(x.oos.oosRecall) : DASH,
    isBraun ? f1(x.microF1) : DASH,
    int(x.p50Us),
    int(x.p99Us),
    (x.maxRssKb / 1024).toFixed(0),
  ];
}

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** results: [{ dataset, label, ok, result | error, counts? }] in run order. */
export function resultTables(datasets, labels, results) {
  const get = (d, l) => results.find((r) => r.dataset === d && r.label === l);
  const out = [];
  for (const d of datasets) {
    const first = results.find((r) => r.dataset === d && r.ok)?.result;
    const sizes = first ? ` — train ${int(first.trainRows)} in-scope rows; test ${int(first.testInScope)} in-scope + ${int(first.testOos)} out-of-scope` : '';
    out.push(`### ${d}: ${DATASETS[d].title}${sizes}\n`);
    out.push(table(COLUMNS, labels.filter((l) => get(d, l)).map((l) => row(l, get(d, l), BRAUN.includes(d)))));
    out.push('');
    const native = nativeTable(d, labels, get);
    if (native) out.push(native);
  }
  out.push(summary(datasets, labels, get));
  return out.join('\n');
}

/**
 * Where val and test have out-of-scope rows (CLINC150 and its few-shot subsets, ru-support), what
 * each system answers by its own rule, with no tuning: a bot gets a right answer only when the
 * intent is right *and* it is a match; an out-of-scope text is handled only when it is a noMatch.
 */
function nativeTable(d, labels, get) {
  const runs = labels.map((l) => [l, get(d, l)]).filter(([, r]) => r?.ok && r.result.native && hasOwnRuleRows(r.result));
  if (runs.length === 0) return '';
  const rows = runs.map(([l, r]) => [l, r.result.native.rule, pct(r.result.native.inScopeAccuracy), pct(r.result.native.oosRecall)]);
  const header = ['system', 'rule', 'right intent and match, % of in-scope rows', 'noMatch, % of out-of-scope rows'];
  return `At each system's own decision rule (no threshold tuning; natural Bayes has none, it always answers an intent):\n\n${table(header, rows)}\n`;
}

/** The data sets whose own-rule table is reported: out-of-scope rows in val (so a threshold is tuned) and in test. */
const hasOwnRuleRows = (x) => x.oos !== null && x.testOos > 0;
/** Right intent and match at the system's own rule: wherever it has one (its in-scope half needs no out-of-scope rows). */
const hasOwnMatchRow = (x) => x.native !== undefined;

/**
 * Data sets down, systems across: top-1 and right intent and match at the own rule everywhere,
 * noMatch at the own rule where val and test have out-of-scope data, pooled Braun F1.
 */
function summary(datasets, labels, get) {
  const cell = (d, l, f) => {
    const r = get(d, l);
    return !r ? DASH : r.ok ? f(r.result) : 'error';
  };
  const any = (d, has) => labels.some((l) => get(d, l)?.ok && has(get(d, l).result));
  const own = (has, f) => (x) => (x.native && has(x) ? pct(f(x.native)) : DASH);
  const rows = [];
  for (const d of datasets) {
    rows.push([DATASETS[d].title, 'top-1 %', ...labels.map((l) => cell(d, l, (x) => pct(x.top1))), PUBLISHED_FEW_SHOT[d] ?? DASH]);
    if (any(d, hasOwnMatchRow)) rows.push(['', 'right intent and match at its own rule, % of in-scope', ...labels.map((l) => cell(d, l, own(hasOwnMatchRow, (n) => n.inScopeAccuracy))), DASH]);
    if (any(d, hasOwnRuleRows)) rows.push(['', 'noMatch at its own rule, % of out-of-scope', ...labels.map((l) => cell(d, l, own(hasOwnRuleRows, (n) => n.oosRecall))), DASH]);
  }
  const braun = BRAUN.filter((d) => datasets.includes(d));
  if (braun.length) rows.push([`Braun, pooled${braun.length === 3 ? '' : ` (${braun.join(', ')} only)`}`, 'micro F1', ...labels.map((l) => pooledF1(braun.map((d) => get(d, l)))), DASH]);
  const header = ['data set (train → test)', 'measure', ...labels, 'published, not re-run'];
  return `### Summary

Own rule: ours matches above the model's \`threshold\`, NLP.js answers its own \`intent\` (None below its 0.5 or when
its None class wins); natural Bayes has no reject rule. Published figures: in-scope accuracy as published (see
"Published results" below for their sources), not re-run here.

${table(header, rows)}
`;
}

/** Micro F1 over the in-scope test rows of the Braun corpora together, like the "overall" column. */
function pooledF1(runs) {
  if (runs.some((r) => !r || !r.ok || !r.result.inScopePreds)) return DASH;
  // Prefixed with the corpus, so that an intent name shared by two corpora stays two intents.
  const tag = (d, x) => (x === null ? null : `${d}:${x}`);
  const preds = runs.flatMap((r) => r.result.inScopePreds.map((p) => ({ ...p, gold: tag(r.dataset, p.gold), top: tag(r.dataset, p.top) })));
  return f1(computeMetrics(preds, 0).microF1);
}
