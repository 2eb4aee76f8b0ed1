import fs from 'node:fs';
import path from 'node:path';
import { computeMetrics, NO_MATCH, type Prediction } from '../../src/eval/metrics.js';
import { MAX_CONFUSION_LABELS, reportData } from '../../src/eval/report-data.js';
import { reportHtml } from '../../src/eval/report-html.js';
import { cleanupTempDirs, REPO, tempDir } from '../helpers.js';
import { ROWS } from './rows.js';
import { sts } from '../cli/run-cli.js';

afterAll(cleanupTempDirs);

// The first six of the shared rows: no /C, so the matrix is noMatch, /A, /B.
const rows: Prediction[] = ROWS.slice(0, 6);
const data = reportData(rows, computeMetrics(rows, 0.3));

test('the confusion matrix counts gold → answer at the threshold, out of scope as noMatch', () => {
  const { labels, counts } = data.confusion;
  expect(labels).toEqual([NO_MATCH, '/A', '/B']);
  expect(counts).toEqual([
    [1, 1, 0], // six → noMatch, five → /A
    [0, 1, 1],
    [1, 0, 1], // four is below the threshold
  ]);
});

test('the histograms count every row once, in its score’s bin', () => {
  const { inScope, outOfScope, bins } = data.histogram;
  expect(inScope.reduce((a, b) => a + b)).toBe(4);
  expect(outOfScope.reduce((a, b) => a + b)).toBe(2);
  expect(outOfScope[Math.floor(0.6 * bins)]).toBe(1);
});

test('the threshold curve runs from every row matched to none', () => {
  expect(data.curve[0]).toEqual({ threshold: 0, inScopeAccuracy: 0.75, oosRecall: 0 });
  expect(data.curve.at(-1)).toEqual({ threshold: 1, inScopeAccuracy: 0, oosRecall: 1 });
  for (let k = 1; k < data.curve.length; k++) expect(data.curve[k]!.oosRecall!).toBeGreaterThanOrEqual(data.curve[k - 1]!.oosRecall!);
});

test('a matrix of many intents keeps those with the most errors', () => {
  const many: Prediction[] = Array.from({ length: 80 }, (_, k) => ({ gold: `/i${k}`, top: k < 5 ? `/i${k + 1}` : `/i${k}`, score: 0.9 }));
  const c = reportData(many, computeMetrics(many, 0.3)).confusion;
  expect(c.labels).toHaveLength(MAX_CONFUSION_LABELS);
  expect(c.omitted).toBe(80 - MAX_CONFUSION_LABELS);
  expect(c.labels).toEqual(expect.arrayContaining(['/i0', '/i1', '/i5']));
});

test('the page has the four pictures and escapes the texts', () => {
  const html = reportHtml(data, { model: 'm.model.json', modelId: 'sha256:x', testFile: 'test.jsonl' });
  for (const id of ['confusion', 'histogram', 'f1', 'curve']) expect(html).toMatch(new RegExp(`<figure id="${id}"[^>]*><svg`));
  expect(html).toContain('five &#60;b&#62;');
  expect(html).not.toContain('<b>');
  expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
});

test('sts eval --report DIR writes index.html and report.json', async () => {
  const dir = tempDir('sts-report-');
  fs.writeFileSync(path.join(dir, 'test.jsonl'), '{"text": "hello", "intent": "/Greeting/Hello"}\n{"text": "what is the capital of peru", "intent": null}\n');
  const r = await sts(['eval', '-m', path.join(REPO, 'models/demo.model.json'), 'test.jsonl', '--report', 'out'], { cwd: dir });
  expect(r.code).toBe(0);
  expect(r.stderr).toBe(`report → ${path.join('out', 'index.html')}\n`);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'out/report.json'), 'utf8'));
  expect(json.metrics.perIntent).toEqual(expect.arrayContaining([expect.objectContaining({ intent: '/Greeting/Hello', support: 1 })]));
  expect(fs.readFileSync(path.join(dir, 'out/index.html'), 'utf8')).toContain('<figure id="curve">');
});
