import { rowCosine, wordRow, type VectorTable } from '../../text/vectors.js';

/** How many searched words keep their neighbours (oldest dropped first). */
const CACHE_SIZE = 10_000;
/** A request word pairs with at most this many vector neighbours: the closest say what it means, the rest add noise. */
export const MAX_NEIGHBOURS = 3;
/**
 * Vocabularies with more words that have vectors are not searched: each search scans them all
 * (100 multiply-adds a word), and in a model that big a word no phrase holds is rare and the
 * regression's sentence vector carries its meaning anyway (CLINC150's 5,000-word model: 93.00%
 * validation top-1 with vector neighbours, 92.97% without; its 5- and 10-phrase subsets, of
 * 1,400 and 2,200 words, gain 0.3 points).
 */
export const MAX_VOCABULARY = 4000;
/**
 * The table's most frequent words (function words: "the", "what", "me"…) neither search nor are
 * found: their vectors are close to one another's whatever they mean, so a bot whose phrases lack
 * "the" would pair it with "call".
 */
const FUNCTION_WORDS = 100;

/**
 * The model's words that have a word vector, searchable by cosine: a request word that no phrase
 * holds finds the vocabulary words closest in meaning ("cash" → "money"), for vector-neighbour
 * pairs (vectorMatch). A scan over the vocabulary's vectors, its results cached: unknown words
 * recur (users repeat their words).
 */
export class VectorNeighbours {
  private readonly terms: Int32Array;
  private readonly rows: Int32Array;
  private readonly cache = new Map<string, { term: number; similarity: number }[]>();

  /** The searchable vocabulary, or undefined when it has more than MAX_VOCABULARY words with vectors. */
  static forVocabulary(table: VectorTable, forms: readonly string[], include: (term: number) => boolean): VectorNeighbours | undefined {
    const found = new VectorNeighbours(table, forms, include);
    return found.rows.length <= MAX_VOCABULARY ? found : undefined;
  }

  private constructor(
    private readonly table: VectorTable,
    forms: readonly string[],
    include: (term: number) => boolean,
  ) {
    const terms: number[] = [];
    const rows: number[] = [];
    forms.forEach((form, term) => {
      if (form.includes(' ') || !include(term)) return;
      const row = wordRow(table, form);
      if (row < FUNCTION_WORDS) return;
      terms.push(term);
      rows.push(row);
    });
    this.terms = Int32Array.from(terms);
    this.rows = Int32Array.from(rows);
  }

  /** The vocabulary terms whose vectors have a cosine of at least `threshold` with the word's, closest first, at most MAX_NEIGHBOURS. */
  search(form: string, threshold: number): { term: number; similarity: number }[] {
    const key = `${threshold} ${form}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const found = this.find(form, threshold);
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, found);
    return found;
  }

  private find(form: string, threshold: number): { term: number; similarity: number }[] {
    const row = wordRow(this.table, form);
    if (row < FUNCTION_WORDS) return [];
    const found: { term: number; similarity: number }[] = [];
    for (let k = 0; k < this.rows.length; k++) {
      const similarity = rowCosine(this.table, row, this.rows[k] as number);
      if (similarity >= threshold && this.rows[k] !== row) found.push({ term: this.terms[k] as number, similarity });
    }
    return found.sort((a, b) => b.similarity - a.similarity || a.term - b.term).slice(0, MAX_NEIGHBOURS);
  }
}
