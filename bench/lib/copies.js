// The big synthetic models of bench:scale and bench:upload (BENCH_COPIES): copies of CLINC150's
// and SNIPS's training rows (157 intents, 28,084 phrases). The words of at least 0.5% of the
// rows ("what", "my", "the", "play"…) are shared by every copy; every other word gets its
// copy's prefix from the second copy on ("balance" → "baxbalance"), and each copy has its own
// intents. Common words then reach N× the phrases in N copies, as they would in a big bot,
// while each copy keeps its own vocabulary. Every copy, the first too, is written as its words
// in lower case, joined by spaces.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const SHARED_SHARE = 0.005;

/** Reads a data set's rows with intents, each intent prefixed (`clinc_balance`). */
export function readRows(root, set, file, prefix) {
  return readFileSync(path.join(root, set, file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((r) => r.intent !== null)
    .map((r) => ({ text: r.text, intent: `${prefix}${r.intent}` }));
}

/**
 * `copies` copies of the training rows: { rows: [{ text, intent }], inCopy(text, k), base }, an
 * intent labelled `<set>_<intent>_<copy>` (group them with rowsToIntents); inCopy writes any text
 * the way copy k's phrases are; base is the rows copied.
 */
export function copiedRows(root, copies) {
  const base = [...readRows(root, 'clinc150', 'train.jsonl', 'clinc_'), ...readRows(root, 'snips', 'train.jsonl', 'snips_')];
  const words = (text) => text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  const rowsWith = new Map();
  for (const r of base) for (const w of new Set(words(r.text))) rowsWith.set(w, (rowsWith.get(w) ?? 0) + 1);
  const shared = new Set([...rowsWith].filter(([, n]) => n >= base.length * SHARED_SHARE).map(([w]) => w));
  const prefix = (k) => String.fromCharCode(97 + (k % 26), 97 + Math.floor(k / 26)) + 'x';
  const inCopy = (text, k) => words(text).map((w) => (k === 0 || shared.has(w) ? w : prefix(k) + w)).join(' ');
  const rows = [];
  for (let k = 0; k < copies; k++) for (const r of base) rows.push({ text: inCopy(r.text, k), intent: `${r.intent}_${k}` });
  return { rows, inCopy, base };
}
