/**
 * The yardstick of the accuracy floor: a plain TF-IDF nearest-phrase classifier (lower-cased
 * words, smoothed idf ln((1+N)/(1+df)) + 1, L2-normalized vectors, cosine, closest training
 * phrase wins), as a textbook would write it. Ours must be at least as accurate.
 */
export interface Row {
  text: string;
  intent: string | null;
}

const words = (t: string) => t.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

export function tfidfNearestPhrase(train: readonly Row[]): (text: string) => string | null {
  const rows = train.filter((r) => r.intent !== null);
  const df = new Map<string, number>();
  const docs = rows.map((r) => words(r.text));
  for (const d of docs) for (const w of new Set(d)) df.set(w, (df.get(w) ?? 0) + 1);
  const n = docs.length;
  const idf = (w: string) => Math.log((1 + n) / (1 + (df.get(w) ?? 0))) + 1;
  const vector = (ws: string[]) => {
    const v = new Map<string, number>();
    for (const w of ws) v.set(w, (v.get(w) ?? 0) + 1);
    let norm = 0;
    for (const [w, tf] of v) {
      const x = tf * idf(w);
      v.set(w, x);
      norm += x * x;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [w, x] of v) v.set(w, x / norm);
    return v;
  };
  const index = new Map<string, { doc: number; x: number }[]>();
  docs.forEach((d, doc) => {
    for (const [w, x] of vector(d)) {
      const list = index.get(w) ?? [];
      list.push({ doc, x });
      index.set(w, list);
    }
  });
  return (text) => {
    const sims = new Map<number, number>();
    for (const [w, x] of vector(words(text))) {
      for (const p of index.get(w) ?? []) sims.set(p.doc, (sims.get(p.doc) ?? 0) + x * p.x);
    }
    let best = -1;
    let bestDoc = -1;
    for (const [doc, s] of sims) if (s > best || (s === best && doc < bestDoc)) [best, bestDoc] = [s, doc];
    return bestDoc >= 0 ? rows[bestDoc]!.intent : null;
  };
}
