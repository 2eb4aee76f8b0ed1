import { normalizeText, tokenize, tokenizeWithOffsets } from './normalize.js';
import { createStemmer } from './stem.js';

/** A word of a text after analysis: its normalized form, its stem, and its place in the original text. */
export interface Word {
  form: string;
  stem: string;
  /** UTF-16 offsets of the word in the analyzed text, end exclusive. */
  start: number;
  end: number;
}

export interface AnalyzerOptions {
  language: string;
  /** Words dropped from both phrases and requests (compared by normalized form). */
  stopWords?: Iterable<string>;
  /** Multi-word dictionary entries (e.g. "call off"), as stem sequences, that become one word. */
  compounds?: Iterable<readonly string[]>;
  /** Words whose stems are known already (a model's vocabulary): they are not stemmed again. */
  knownStems?: Iterable<readonly [string, string]>;
}

/** Joins the stems of a compound into the stem of the single word it becomes. */
export const COMPOUND_JOINER = ' ';

export type Analyzer = (text: string) => Word[];

/**
 * The one text pipeline of a model: normalize → words → drop stop words → stem → merge
 * compounds. Training phrases go through it at compile time, requests at classification
 * time, so both sides are always compared in the same terms.
 */
export function createAnalyzer(options: AnalyzerOptions): Analyzer {
  const stem = memoize(createStemmer(options.language), options.knownStems ?? []);
  const stop = new Set([...(options.stopWords ?? [])].flatMap((w) => tokenize(normalizeText(w))));
  const byFirst = new Map<string, string[][]>();
  for (const compound of options.compounds ?? []) {
    if (compound.length < 2) continue;
    const list = byFirst.get(compound[0] as string) ?? [];
    list.push([...compound]);
    byFirst.set(compound[0] as string, list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.length - a.length); // longest match wins

  return (text) => {
    const words: Word[] = [];
    for (const { form, start, end } of tokenizeWithOffsets(text)) {
      if (!stop.has(form)) words.push({ form, stem: stem(form), start, end });
    }
    return byFirst.size === 0 ? words : mergeCompounds(words, byFirst);
  };
}

function mergeCompounds(words: Word[], byFirst: Map<string, string[][]>): Word[] {
  const out: Word[] = [];
  for (let i = 0; i < words.length; ) {
    const match = byFirst.get((words[i] as Word).stem)?.find((c) => c.every((s, k) => words[i + k]?.stem === s));
    if (match) {
      const parts = words.slice(i, i + match.length);
      out.push({
        form: parts.map((w) => w.form).join(' '),
        stem: match.join(COMPOUND_JOINER),
        start: parts[0]!.start,
        end: parts[parts.length - 1]!.end,
      });
      i += match.length;
    } else {
      out.push(words[i] as Word);
      i++;
    }
  }
  return out;
}

/** Stemmers are pure; a bounded cache makes repeated words (the common case) free. */
const STEM_CACHE_LIMIT = 50_000;

function memoize(fn: (w: string) => string, seed: Iterable<readonly [string, string]>): (w: string) => string {
  const known = new Map(seed); // kept for good
  const cache = new Map<string, string>();
  return (w) => {
    let s = known.get(w) ?? cache.get(w);
    if (s === undefined) {
      s = fn(w);
      if (cache.size >= STEM_CACHE_LIMIT) cache.clear();
      cache.set(w, s);
    }
    return s;
  };
}
