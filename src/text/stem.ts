import porterEn from 'natural/lib/natural/stemmers/porter_stemmer.js';
import porterRu from 'natural/lib/natural/stemmers/porter_stemmer_ru.js';
import porterUk from 'natural/lib/natural/stemmers/porter_stemmer_uk.js';
import porterDe from 'natural/lib/natural/stemmers/porter_stemmer_de.js';
import porterEs from 'natural/lib/natural/stemmers/porter_stemmer_es.js';
import porterFr from 'natural/lib/natural/stemmers/porter_stemmer_fr.js';
import porterIt from 'natural/lib/natural/stemmers/porter_stemmer_it.js';
import porterNl from 'natural/lib/natural/stemmers/porter_stemmer_nl.js';
import porterNo from 'natural/lib/natural/stemmers/porter_stemmer_no.js';
import porterPt from 'natural/lib/natural/stemmers/porter_stemmer_pt.js';
import porterSv from 'natural/lib/natural/stemmers/porter_stemmer_sv.js';

type StemFn = (word: string) => string;
const identity: StemFn = (w) => w;

/** natural's stemmers for Latin-script languages, by language code. */
const LATIN_STEMMERS: Record<string, StemFn> = {
  en: (w) => porterEn.stem(w),
  de: (w) => porterDe.stem(w),
  es: (w) => porterEs.stem(w),
  fr: (w) => porterFr.stem(w),
  it: (w) => porterIt.stem(w),
  nl: (w) => porterNl.stem(w),
  no: (w) => porterNo.stem(w),
  pt: (w) => porterPt.stem(w),
  sv: (w) => porterSv.stem(w),
};
const CYRILLIC_STEMMERS: Record<string, StemFn> = {
  ru: (w) => porterRu.stem(w),
  uk: (w) => porterUk.stem(w),
};

/** Languages with a stemmer; others are accepted and compare words by their exact form only. */
export const STEMMED_LANGUAGES = [...Object.keys(LATIN_STEMMERS), ...Object.keys(CYRILLIC_STEMMERS)];

const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;

/**
 * The stem function of a model. Bots mix scripts (an English bot gets Russian text, a Russian
 * bot gets brand names), so the stemmer is chosen per word by its script: Cyrillic words use
 * the model's Cyrillic language (Russian unless the model is Ukrainian), Latin words the
 * model's Latin language (German for `de`, …; English for English and Cyrillic-script models).
 * A Latin-script language natural has no stemmer for (`pl`, `cs`, …) keeps its words unstemmed
 * rather than getting English endings cut. Digits stay as they are.
 */
export function createStemmer(language: string): StemFn {
  const [latinLanguage, cyrillicLanguage] = stemmerLanguages(language);
  const latin = LATIN_STEMMERS[latinLanguage] ?? identity;
  const cyrillic = CYRILLIC_STEMMERS[cyrillicLanguage] as StemFn;
  return (word) => {
    if (CYRILLIC.test(word)) return cyrillic(word) || word;
    if (LATIN.test(word)) return latin(word) || word;
    return identity(word);
  };
}

/**
 * The languages whose stemmers createStemmer(language) uses, for Latin and for Cyrillic words
 * ('' for none): two model languages with the same pair stem every word alike.
 */
export function stemmerLanguages(language: string): readonly [latin: string, cyrillic: string] {
  const base = language.slice(0, 2);
  const latin = base in LATIN_STEMMERS ? base : base in CYRILLIC_STEMMERS ? 'en' : '';
  const cyrillic = base in CYRILLIC_STEMMERS ? base : 'ru';
  return [latin, cyrillic];
}

/** The language a set of texts is written in, judged by script: Cyrillic → ru, otherwise en. */
export function detectLanguage(texts: Iterable<string>): 'en' | 'ru' {
  let cyrillic = 0;
  let latin = 0;
  for (const text of texts) {
    const letters = scriptLetters(text);
    cyrillic += letters.cyrillic;
    latin += letters.latin;
  }
  return cyrillic > latin ? 'ru' : 'en';
}

/** How many of a text's letters are Latin and how many Cyrillic (the two scripts the stemmers tell apart). */
export function scriptLetters(text: string): { latin: number; cyrillic: number } {
  let cyrillic = 0;
  let latin = 0;
  for (const ch of text) {
    if (CYRILLIC.test(ch)) cyrillic++;
    else if (LATIN.test(ch)) latin++;
  }
  return { latin, cyrillic };
}
