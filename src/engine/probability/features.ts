import { ENTITY_TERM_PREFIX, type Model } from '../../model/model-schema.js';
import { sentenceVector, sentenceVectorOfRows, wordRow, type VectorTable } from '../../text/vectors.js';

/**
 * What the probabilityWeight regression reads of a text (intent-probability.ts): its stems, and
 * with the model's settings the character n-grams of its words (charGrams) and its sentence
 * vector (wordVectors). Stems and n-grams are sparse features, one weight row each: stems are
 * rows 0 .. stems − 1 and n-grams the rows after them, in the order of `grams`. The sentence
 * vector is dense: one weight per dimension and intent.
 */
export interface FeatureSpace {
  /** How many stems the model has: the first rows. */
  readonly stems: number;
  /** The n-grams of the model's words (their forms), sorted, each with its row. */
  readonly grams: ReadonlyMap<string, number>;
  /** The n-gram length; 0: none. */
  readonly gramLength: number;
  /** Sparse rows in all: stems, then n-grams. */
  readonly rows: number;
  /** The word vectors and their scale, when the model reads sentence vectors. */
  readonly vectors?: { readonly table: VectorTable; readonly scale: number };
  /** Dimensions of the dense part: the table's, or 0. */
  readonly dims: number;
}

/** A text as the regression reads it: distinct feature rows, the value of each group, and the dense vector. */
export interface RegressionInput {
  /** Distinct stem rows. */
  readonly stems: readonly number[];
  /** Distinct n-gram rows (rows ≥ the model's stem count). */
  readonly grams?: readonly number[];
  /** The value of each n-gram feature: 1/√(the text's distinct n-grams, known or not). */
  readonly gramValue?: number;
  /** The sentence vector, times the model's wordVectors scale; absent when no word has a vector. */
  readonly dense?: Float32Array;
}

/** The rows a model's regression has: its stems and, with charGrams, the n-grams of its words. */
export function featureSpace(model: Model, vectors?: VectorTable): FeatureSpace {
  const gramLength = model.settings.charGrams ?? 0;
  const found = new Set<string>();
  if (gramLength > 0) {
    for (const term of model.terms) {
      if (term.startsWith(ENTITY_TERM_PREFIX)) continue;
      for (const word of term.split(' ')) wordGrams(word, gramLength, found);
    }
  }
  const stems = model.stems.length;
  const grams = new Map([...found].sort().map((g, k) => [g, stems + k] as const));
  const scale = model.settings.wordVectors ?? 0;
  const space = { stems, grams, gramLength, rows: stems + grams.size, dims: 0 };
  if (!(scale > 0) || vectors === undefined) return space;
  return { ...space, vectors: { table: vectors, scale }, dims: vectors.dims };
}

/** Whether the model's regression reads sentence vectors, so that it needs a vector table. */
export function needsVectors(model: Model): boolean {
  return (model.settings.wordVectors ?? 0) > 0 && model.vectors !== undefined;
}

/**
 * A text's regression input from its words: `stems` its distinct stem rows (known stems only),
 * `forms` the normalized forms of all its words.
 */
export function regressionInput(space: FeatureSpace, stems: readonly number[], forms: readonly string[]): RegressionInput {
  if (space.gramLength === 0 && space.vectors === undefined) return { stems };
  let grams: number[] | undefined;
  let gramValue: number | undefined;
  if (space.gramLength > 0) {
    const all = new Set<string>();
    for (const form of forms) for (const word of form.split(' ')) wordGrams(word, space.gramLength, all);
    grams = [];
    for (const g of all) {
      const row = space.grams.get(g);
      if (row !== undefined) grams.push(row);
    }
    gramValue = 1 / Math.sqrt(all.size || 1);
  }
  let dense: Float32Array | undefined;
  if (space.vectors) {
    dense = new Float32Array(space.dims);
    if (!sentenceVector(space.vectors.table, forms, space.vectors.scale, dense)) dense = undefined;
  }
  return { stems, grams, gramValue, dense };
}

/** One word form's part of a regression input: its distinct n-grams in order, as rows (known) or as text (unknown), and its vector row. */
interface WordEntry {
  readonly rows: readonly number[];
  readonly unknown: readonly string[];
  readonly vectorRow: number;
}

/** How many word forms a WordFeatures keeps before it starts afresh: a bound on its memory whatever the requests hold. */
const FORMS_KEPT = 4096;

/**
 * regressionInput() for requests, with what it reads of each word form (its n-grams' rows, its
 * vector row) kept per form: requests repeat words, and cutting a word into n-grams and looking
 * each up by its text costs more than the rest of the input. Gives what regressionInput()
 * gives, the same rows in the same order.
 */
export class WordFeatures {
  private readonly forms = new Map<string, WordEntry>();
  /** stamp[row] === serial: the row is in the input being read. */
  private readonly stamp: Int32Array;
  private serial = 0;

  constructor(private readonly space: FeatureSpace) {
    this.stamp = new Int32Array(space.rows);
  }

  /** The regression input of a text: `stems` its distinct stem rows, `forms` the normalized forms of all its words. */
  input(stems: readonly number[], forms: readonly string[]): RegressionInput {
    const space = this.space;
    if (space.gramLength === 0 && space.vectors === undefined) return { stems };
    const entries = forms.map((form) => this.entry(form));
    let grams: number[] | undefined;
    let gramValue: number | undefined;
    if (space.gramLength > 0) {
      // Each form's n-grams are distinct and in order: keeping the first of each across forms
      // gives the order of regressionInput()'s one set over the whole text.
      const stamp = this.stamp;
      const serial = (this.serial = (this.serial + 1) | 0 || 1);
      grams = [];
      let unknown: Set<string> | undefined;
      for (const e of entries) {
        for (const row of e.rows) {
          if (stamp[row] === serial) continue;
          stamp[row] = serial;
          grams.push(row);
        }
        for (const g of e.unknown) (unknown ??= new Set()).add(g);
      }
      gramValue = 1 / Math.sqrt(grams.length + (unknown?.size ?? 0) || 1);
    }
    let dense: Float32Array | undefined;
    if (space.vectors) {
      dense = new Float32Array(space.dims);
      const rows = entries.map((e) => e.vectorRow);
      if (!sentenceVectorOfRows(space.vectors.table, rows, space.vectors.scale, dense)) dense = undefined;
    }
    return { stems, grams, gramValue, dense };
  }

  private entry(form: string): WordEntry {
    const known = this.forms.get(form);
    if (known) return known;
    const space = this.space;
    const all = new Set<string>();
    if (space.gramLength > 0) for (const word of form.split(' ')) wordGrams(word, space.gramLength, all);
    const rows: number[] = [];
    const unknown: string[] = [];
    for (const g of all) {
      const row = space.grams.get(g);
      if (row !== undefined) rows.push(row);
      else unknown.push(g);
    }
    const entry = { rows, unknown, vectorRow: space.vectors ? wordRow(space.vectors.table, form) : -1 };
    if (this.forms.size >= FORMS_KEPT) this.forms.clear();
    this.forms.set(form, entry);
    return entry;
  }
}

/** Adds the n-grams of one word, with "<" and ">" marking its ends, to `into`. */
function wordGrams(word: string, n: number, into: Set<string>): void {
  if (word.length === 0) return;
  const marked = `<${word}>`;
  if (marked.length <= n) {
    into.add(marked);
    return;
  }
  for (let i = 0; i + n <= marked.length; i++) into.add(marked.slice(i, i + n));
}
