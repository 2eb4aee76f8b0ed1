import { NO_MATCH, type IntentScores } from './metrics.js';
import type { ReportData } from './report-data.js';

/**
 * The four pictures of the eval report as inline SVG: no chart library, nothing downloaded.
 * Colours are CSS classes (report-html.ts styles them for light and dark mode).
 */

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number) => Number(x.toFixed(2));
/** Room above a plot for its legend. */
const TOP = 34;

/** The confusion matrix as a heat map: each cell's shade is its share of its row; the diagonal is right. */
export function confusionSvg(c: ReportData['confusion']): string {
  const n = c.labels.length;
  const cell = n > 20 ? 16 : 24;
  const labelWidth = Math.min(220, 8 + 7 * Math.max(...c.labels.map((l) => l.length), 4));
  const width = labelWidth + n * cell + 10;
  const height = labelWidth + n * cell + 10;
  const parts: string[] = [];
  c.labels.forEach((label, k) => {
    const text = escapeHtml(shorten(label));
    parts.push(`<text class="axis" x="${labelWidth - 6}" y="${labelWidth + k * cell + cell * 0.68}" text-anchor="end">${text}</text>`);
    const x = labelWidth + k * cell + cell * 0.65;
    parts.push(`<text class="axis" transform="translate(${x},${labelWidth - 6}) rotate(-60)">${text}</text>`);
  });
  c.counts.forEach((row, g) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((count, p) => {
      const share = total > 0 ? count / total : 0;
      const kind = count === 0 ? 'empty' : g === p ? 'right' : 'wrong';
      const opacity = count === 0 ? 1 : num(0.15 + 0.85 * share);
      parts.push(
        `<rect class="cell ${kind}" x="${labelWidth + p * cell}" y="${labelWidth + g * cell}" width="${cell - 1}" height="${cell - 1}" fill-opacity="${opacity}">` +
          `<title>${escapeHtml(c.labels[g]!)} → ${escapeHtml(c.labels[p]!)}: ${count} of ${total}</title></rect>`,
      );
      if (count > 0 && cell >= 20) parts.push(`<text class="count" x="${labelWidth + p * cell + (cell - 1) / 2}" y="${labelWidth + g * cell + cell * 0.66}" text-anchor="middle">${count}</text>`);
    });
  });
  return svg(width, height, 'Confusion matrix: rows are the gold intents, columns the answers', parts);
}

/** Histograms of the best score of in-scope and out-of-scope rows, with the threshold line. */
export function histogramSvg(h: ReportData['histogram'], threshold: number): string {
  const [w, hgt, left, bottom] = [640, 260, 44, 36];
  const plotW = w - left - 12;
  const plotH = hgt - bottom - TOP;
  const max = Math.max(1, ...h.inScope, ...h.outOfScope);
  const binW = plotW / h.bins;
  const parts = axes(left, TOP, plotW, plotH, max, 'best score', (k) => num(k / 5));
  for (let b = 0; b < h.bins; b++) {
    for (const [series, values, offset] of [['in', h.inScope, 0.1], ['out', h.outOfScope, 0.5]] as const) {
      const v = values[b]!;
      if (v === 0) continue;
      const barH = (v / max) * plotH;
      const lo = num(b / h.bins);
      const hi = num((b + 1) / h.bins);
      parts.push(
        `<rect class="bar ${series}" x="${num(left + b * binW + offset * binW)}" y="${num(TOP + plotH - barH)}" width="${num(binW * 0.4)}" height="${num(barH)}">` +
          `<title>${series === 'in' ? 'in scope' : 'out of scope'}, score ${lo}–${hi}: ${v}</title></rect>`,
      );
    }
  }
  parts.push(thresholdLine(left + threshold * plotW, TOP, plotH, threshold));
  parts.push(legend(left, 12, [['in', 'in-scope rows'], ['out', 'out-of-scope rows']]));
  return svg(w, hgt, 'Score histograms of in-scope and out-of-scope rows, with the threshold', parts);
}

/** Per-intent F1 as horizontal bars, worst first. */
export function f1BarsSvg(scores: readonly IntentScores[]): string {
  const rows = scores.filter((s) => s.support > 0).sort((a, b) => a.f1 - b.f1 || a.intent.localeCompare(b.intent));
  const labelWidth = Math.min(240, 10 + 7 * Math.max(4, ...rows.map((r) => shorten(r.intent).length)));
  const [barMax, rowH] = [360, 18];
  const height = rows.length * rowH + 30;
  const parts: string[] = [];
  for (const k of [0, 0.25, 0.5, 0.75, 1]) {
    const x = labelWidth + k * barMax;
    parts.push(`<line class="grid" x1="${x}" x2="${x}" y1="0" y2="${rows.length * rowH}"/>`, `<text class="axis" x="${x}" y="${rows.length * rowH + 16}" text-anchor="middle">${k}</text>`);
  }
  rows.forEach((r, k) => {
    const y = k * rowH;
    parts.push(
      `<text class="axis" x="${labelWidth - 6}" y="${y + rowH * 0.7}" text-anchor="end">${escapeHtml(shorten(r.intent))}</text>`,
      `<rect class="bar f1" x="${labelWidth}" y="${y + 3}" width="${num(Math.max(1, r.f1 * barMax))}" height="${rowH - 6}">` +
        `<title>${escapeHtml(r.intent)}: F1 ${pct(r.f1)}, precision ${r.precision === null ? 'n/a' : pct(r.precision)}, recall ${r.recall === null ? 'n/a' : pct(r.recall)}, support ${r.support}</title></rect>`,
      `<text class="value" x="${num(labelWidth + r.f1 * barMax + 6)}" y="${y + rowH * 0.7}">${r.f1.toFixed(2)}</text>`,
    );
  });
  return svg(labelWidth + barMax + 50, height, 'F1 of each intent, worst first', parts);
}

/** In-scope accuracy and out-of-scope recall against the threshold. */
export function curveSvg(curve: ReportData['curve'], threshold: number): string {
  const [w, hgt, left, bottom] = [640, 280, 44, 36];
  const plotW = w - left - 12;
  const plotH = hgt - bottom - TOP;
  const parts = axes(left, TOP, plotW, plotH, 1, 'threshold', (k) => num(k / 5));
  const line = (cls: string, pick: (p: ReportData['curve'][number]) => number | null) => {
    const points = curve.flatMap((p) => {
      const v = pick(p);
      return v === null ? [] : [`${num(left + p.threshold * plotW)},${num(TOP + plotH - v * plotH)}`];
    });
    if (points.length > 0) parts.push(`<polyline class="curve ${cls}" points="${points.join(' ')}"/>`);
  };
  line('in', (p) => p.inScopeAccuracy);
  line('out', (p) => p.oosRecall);
  parts.push(thresholdLine(left + threshold * plotW, TOP, plotH, threshold));
  parts.push(legend(left, 12, [['in', 'in-scope accuracy'], ['out', 'out-of-scope recall']]));
  return svg(w, hgt, 'In-scope accuracy and out-of-scope recall against the threshold', parts);
}

function axes(left: number, top: number, plotW: number, plotH: number, max: number, xLabel: string, xTick: (k: number) => number): string[] {
  const parts = [`<line class="axis-line" x1="${left}" x2="${left + plotW}" y1="${top + plotH}" y2="${top + plotH}"/>`, `<line class="axis-line" x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}"/>`];
  for (let k = 0; k <= 5; k++) {
    const x = num(left + (k / 5) * plotW);
    parts.push(`<text class="axis" x="${x}" y="${top + plotH + 16}" text-anchor="middle">${xTick(k)}</text>`);
    const y = num(top + plotH - (k / 5) * plotH);
    const value = max === 1 ? num(k / 5) : Math.round((k / 5) * max);
    parts.push(`<line class="grid" x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}"/>`, `<text class="axis" x="${left - 6}" y="${y + 4}" text-anchor="end">${value}</text>`);
  }
  parts.push(`<text class="axis" x="${left + plotW / 2}" y="${top + plotH + 32}" text-anchor="middle">${xLabel}</text>`);
  return parts;
}

function thresholdLine(x: number, top: number, plotH: number, threshold: number): string {
  return `<line class="threshold" x1="${num(x)}" x2="${num(x)}" y1="${top}" y2="${top + plotH}"/><text class="threshold-label" x="${num(x + 4)}" y="${top + 10}">threshold ${threshold}</text>`;
}

function legend(x: number, y: number, items: [string, string][]): string {
  return items
    .map(([cls, label], k) => `<rect class="bar ${cls}" x="${x + k * 170}" y="${y - 9}" width="12" height="10"/><text class="axis" x="${x + k * 170 + 18}" y="${y}">${label}</text>`)
    .join('');
}

function svg(width: number, height: number, title: string, parts: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${num(width)} ${num(height)}" width="${num(width)}" height="${num(height)}" role="img" aria-label="${escapeHtml(title)}"><title>${escapeHtml(title)}</title>${parts.join('')}</svg>`;
}

/** Long intent paths keep their end, which tells them apart. */
function shorten(label: string): string {
  if (label === NO_MATCH) return 'noMatch';
  return label.length > 30 ? `…${label.slice(-29)}` : label;
}
