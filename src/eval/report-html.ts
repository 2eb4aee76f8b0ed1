import { NO_MATCH } from './metrics.js';
import type { ReportData } from './report-data.js';
import { confusionSvg, curveSvg, escapeHtml, f1BarsSvg, histogramSvg } from './report-svg.js';

/** How many misclassified rows the page lists (report.json has them all). */
const MAX_LISTED = 500;

export interface ReportContext {
  model: string;
  modelId: string;
  testFile: string;
  tuned?: { file: string; threshold: number; accuracy: number };
}

/** The eval report: one self-contained HTML file (inline CSS and SVG), readable in light and dark mode. */
export function reportHtml(data: ReportData, ctx: ReportContext): string {
  const m = data.metrics;
  const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);
  const label = (l: string | null) => (l === null || l === NO_MATCH ? '<span class="muted">noMatch</span>' : escapeHtml(l));
  const summary: [string, string][] = [
    ['rows', `${m.rows} (in scope ${m.inScope}, out of scope ${m.outOfScope})`],
    ['threshold', `${m.threshold}${ctx.tuned ? ` (tuned on ${escapeHtml(ctx.tuned.file)}: accuracy ${pct(ctx.tuned.accuracy)})` : ''}`],
    ['top-1 accuracy', `${pct(m.top1Accuracy)} (threshold ignored)`],
    ['in-scope accuracy', pct(m.inScopeAccuracy)],
    ['out-of-scope recall', `${pct(m.oosRecall)} (precision ${pct(m.oosPrecision)})`],
    ['overall accuracy', pct(m.overallAccuracy)],
    ['macro F1 / micro F1', `${pct(m.macroF1)} / ${pct(m.microF1)}`],
  ];
  const perIntent = [...m.perIntent].sort((a, b) => a.f1 - b.f1 || a.intent.localeCompare(b.intent));
  const listed = m.misclassified.slice(0, MAX_LISTED);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>sts eval: ${escapeHtml(ctx.testFile)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
  <h1>Evaluation of <code>${escapeHtml(ctx.model)}</code></h1>
  <p class="muted">on <code>${escapeHtml(ctx.testFile)}</code> · model ${escapeHtml(ctx.modelId)}</p>
</header>
<main>
<section aria-labelledby="summary-h">
  <h2 id="summary-h">Summary</h2>
  <table class="summary">${summary.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join('')}</table>
</section>
<section aria-labelledby="confusion-h">
  <h2 id="confusion-h">Confusion matrix</h2>
  <p class="muted">Rows are the gold intents (noMatch: out-of-scope rows), columns what was answered at the threshold. A cell's shade is its share of its row; green is right, red is wrong.${
    data.confusion.omitted > 0 ? ` The ${data.confusion.labels.length} labels with the most errors are shown; ${data.confusion.omitted} more are left out.` : ''
  }</p>
  <figure id="confusion" class="scroll">${confusionSvg(data.confusion)}</figure>
</section>
<section aria-labelledby="histogram-h">
  <h2 id="histogram-h">Score histograms</h2>
  <p class="muted">The best score of each row, threshold ignored. Out-of-scope rows right of the line are matched (wrongly); in-scope rows left of it get noMatch.</p>
  <figure id="histogram">${histogramSvg(data.histogram, m.threshold)}</figure>
</section>
<section aria-labelledby="f1-h">
  <h2 id="f1-h">F1 per intent</h2>
  <figure id="f1" class="scroll">${f1BarsSvg(m.perIntent)}</figure>
</section>
<section aria-labelledby="curve-h">
  <h2 id="curve-h">Threshold curve</h2>
  <p class="muted">Raising the threshold rejects more out-of-scope rows and loses in-scope ones.</p>
  <figure id="curve">${curveSvg(data.curve, m.threshold)}</figure>
</section>
<section aria-labelledby="intents-h">
  <h2 id="intents-h">Per intent</h2>
  <table class="data">
    <thead><tr><th scope="col">intent</th><th scope="col">precision</th><th scope="col">recall</th><th scope="col">F1</th><th scope="col">support</th></tr></thead>
    <tbody>${perIntent
      .map((s) => `<tr><td>${escapeHtml(s.intent)}</td><td>${pct(s.precision)}</td><td>${pct(s.recall)}</td><td>${pct(s.f1)}</td><td>${s.support}</td></tr>`)
      .join('')}</tbody>
  </table>
</section>
<section aria-labelledby="errors-h">
  <h2 id="errors-h">Misclassified rows (${m.misclassified.length})</h2>
  ${m.misclassified.length > listed.length ? `<p class="muted">The first ${listed.length} are listed; report.json has them all.</p>` : ''}
  <table class="data" id="misclassified">
    <thead><tr><th scope="col">text</th><th scope="col">gold</th><th scope="col">answered</th><th scope="col">best score</th></tr></thead>
    <tbody>${listed
      .map((r) => `<tr><td>${escapeHtml(r.text)}</td><td>${label(r.gold)}</td><td>${label(r.predicted)}</td><td>${r.score.toFixed(3)}</td></tr>`)
      .join('')}</tbody>
  </table>
</section>
</main>
</body>
</html>
`;
}

const CSS = `
:root { --bg: #ffffff; --fg: #1b1f24; --muted: #5b6570; --line: #d6dbe1; --grid: #eceff3; --right: #1a7f37; --wrong: #cf222e;
  --in: #0969da; --out: #bc4c00; --f1: #6639ba; --empty: #f4f6f8; --threshold: #1b1f24; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0f1419; --fg: #e6edf3; --muted: #9aa5b1; --line: #30363d; --grid: #21262d; --right: #3fb950; --wrong: #f85149;
    --in: #58a6ff; --out: #f0883e; --f1: #bc8cff; --empty: #161b22; --threshold: #e6edf3; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
header, main { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 0.92em; }
.muted { color: var(--muted); }
figure { margin: 8px 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; }
.summary th { text-align: left; font-weight: 500; color: var(--muted); padding: 2px 16px 2px 0; }
.data { width: 100%; font-size: 0.92rem; }
.data th, .data td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); }
.data td:not(:first-child) { white-space: nowrap; }
svg { font: 11px system-ui, sans-serif; overflow: visible; }
svg .axis, svg .value, svg .count { fill: var(--fg); }
svg .count { fill: #fff; font-size: 10px; }
svg .axis-line { stroke: var(--muted); }
svg .grid { stroke: var(--grid); }
svg .cell.empty { fill: var(--empty); }
svg .cell.right { fill: var(--right); }
svg .cell.wrong { fill: var(--wrong); }
svg .bar.in { fill: var(--in); }
svg .bar.out { fill: var(--out); }
svg .bar.f1 { fill: var(--f1); }
svg .curve { fill: none; stroke-width: 2.5; }
svg .curve.in { stroke: var(--in); }
svg .curve.out { stroke: var(--out); }
svg .threshold { stroke: var(--threshold); stroke-dasharray: 5 4; stroke-width: 1.5; }
svg .threshold-label { fill: var(--fg); font-weight: 600; }
`;
