// Turns the workers' results into Markdown: one table per data set (same columns everywhere,
// "–" where a measure does not apply), a summary, and the pooled Braun F1.
import { computeMetrics } from '../../dist/eval/metrics.js';

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
    out.push(`### ${d}${sizes}\n`);
    out.push(table(COLUMNS, labels.filter((l) => get(d, l)).map((l) => row(l, get(d, l), BRAUN.includes(d)))));
    out.push('');
    const native = nativeTable(d, labels, get);
    if (native) out.push(native);
  }
  out.push(summary(datasets, labels, get));
  return out.join('\n');
}

/** Where test has real out-of-scope data (CLINC150), how each system does with no tuning at all. */
function nativeTable(d, labels, get) {
  const runs = labels.map((l) => [l, get(d, l)]).filter(([, r]) => r?.ok && r.result.native && r.result.testOos >= 100);
  if (runs.length === 0) return '';
  const rows = runs.map(([l, r]) => [l, r.result.native.rule, pct(r.result.native.inScopeAccuracy), pct(r.result.native.oosRecall)]);
  return `Out of the box, each system's own reject rule (no threshold tuning; natural Bayes has none):\n\n${table(['system', 'rule', 'in-scope acc. %', 'OOS recall %'], rows)}\n`;
}

function summary(datasets, labels, get) {
  const braun = BRAUN.filter((d) => datasets.includes(d));
  const header = ['system', ...datasets.map((d) => `${d} top-1 %`), ...(braun.length ? ['Braun pooled micro F1'] : [])];
  const rows = labels.map((l) => {
    const cells = datasets.map((d) => {
      const r = get(d, l);
      return !r ? DASH : r.ok ? pct(r.result.top1) : 'error';
    });
    if (braun.length) cells.push(pooledF1(braun.map((d) => get(d, l))));
    return [l, ...cells];
  });
  const note = braun.length === 0 || braun.length === 3 ? '' : ` (Braun pooled over ${braun.join(', ')} only)`;
  return `### Summary${note}\n\n${table(header, rows)}\n`;
}

/** Micro F1 over the in-scope test rows of the Braun corpora together, like the "overall" column. */
function pooledF1(runs) {
  if (runs.some((r) => !r || !r.ok || !r.result.inScopePreds)) return DASH;
  // Prefixed with the corpus, so that an intent name shared by two corpora stays two intents.
  const tag = (d, x) => (x === null ? null : `${d}:${x}`);
  const preds = runs.flatMap((r) => r.result.inScopePreds.map((p) => ({ ...p, gold: tag(r.dataset, p.gold), top: tag(r.dataset, p.top) })));
  return f1(computeMetrics(preds, 0).microF1);
}
