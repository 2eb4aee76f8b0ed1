/**
 * A thesaurus (lexicons/ru-thesaurus.tsv, built from Debian's mythes-ru by
 * scripts/build-ru-thesaurus.mjs) as links between stems: a request word the model has never
 * seen stands for the model's words the thesaurus gives as its synonyms («аннулировать» for
 * «отменить»). Only unknown words are linked, and only to the model's own words: expanding
 * every word, or the training phrases, pulled in the thesaurus's loose senses and cost accuracy
 * on ru-support's validation data. Pure: the table's text is read elsewhere and handed in.
 */

/** headword → its synonyms, as the table lists them. */
export type SynonymTable = ReadonlyMap<string, readonly string[]>;

/**
 * Reads the table: "headword<TAB>synonym synonym …" lines, '#' comments and blank lines allowed;
 * throws an Error naming the line on anything else.
 */
export function parseSynonymTable(text: string, source = 'synonym table'): Map<string, string[]> {
  const table = new Map<string, string[]>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const tab = line.indexOf('\t');
    const head = tab > 0 ? line.slice(0, tab) : '';
    const synonyms = tab > 0 ? line.slice(tab + 1).split(' ').filter(Boolean) : [];
    if (!head || synonyms.length === 0) throw new Error(`${source}:${i + 1}: expected "word<TAB>synonym synonym …", got ${JSON.stringify(line.slice(0, 80))}`);
    const list = table.get(head) ?? [];
    list.push(...synonyms);
    table.set(head, list);
  }
  return table;
}

/** A link from a stem the model lacks to one of its own, with the thesaurus's pair of words it comes from. */
export interface ThesaurusLink {
  stem: string;
  /** [the word with the unknown stem, its synonym with the model's stem]. */
  via: readonly [string, string];
}

/** Stem → (synonym stem → the thesaurus's pair of words), both ways round («отменить: аннулировать» links both). */
export type StemmedThesaurus = ReadonlyMap<string, ReadonlyMap<string, readonly [string, string]>>;

/** The table in stems of `stem` (a model's stemmer); entries whose words share a stem link nothing. */
export function stemThesaurus(table: SynonymTable, stem: (word: string) => string): StemmedThesaurus {
  const seen = new Map<string, string>();
  const stemOf = (w: string) => {
    let s = seen.get(w);
    if (s === undefined) seen.set(w, (s = stem(w)));
    return s;
  };
  const out = new Map<string, Map<string, readonly [string, string]>>();
  const link = (from: string, to: string, via: readonly [string, string]) => {
    let targets = out.get(from);
    if (!targets) out.set(from, (targets = new Map()));
    if (!targets.has(to)) targets.set(to, via);
  };
  for (const [head, synonyms] of table) {
    const h = stemOf(head);
    for (const word of synonyms) {
      const w = stemOf(word);
      if (w === h) continue;
      link(h, w, [head, word]);
      link(w, h, [word, head]);
    }
  }
  return out;
}

/**
 * The links a model's vocabulary can use (computed when it is compiled and stored in it, so
 * classifying needs no thesaurus): for every stem outside `vocabulary`, the vocabulary stems the
 * thesaurus gives as its synonyms, sorted by stem.
 */
export function thesaurusLinks(thesaurus: StemmedThesaurus, vocabulary: ReadonlySet<string>): Map<string, ThesaurusLink[]> {
  const out: [string, ThesaurusLink[]][] = [];
  for (const [from, targets] of thesaurus) {
    if (vocabulary.has(from)) continue;
    const links: ThesaurusLink[] = [];
    for (const [to, via] of targets) if (vocabulary.has(to)) links.push({ stem: to, via });
    if (links.length > 0) out.push([from, links]);
  }
  return new Map(out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
