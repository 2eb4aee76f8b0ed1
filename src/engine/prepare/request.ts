import { Budget, runToEnd, type Steps } from '../../budget.js';
import type { Settings } from '../../config.js';
import { coversWholeWords, scanEntities, type EntityMatch } from '../../entities/index.js';
import { MIN_FUZZY_LENGTH } from './fuzzy.js';
import { MAX_ACRONYM, MIN_PHRASE_ACRONYM, type PreparedModel, type Weights } from './prepared-model.js';

/** How a request word may match phrase words of one stem. `stem` resolves to exact or lemma per word form. */
export interface StemMatch {
  word: number;
  kind: 'stem' | 'synonym' | 'jaccard' | 'entity' | 'vector';
  coefficient: number;
}

export interface RequestWord {
  form: string;
  /** Offsets in the request text. */
  start: number;
  end: number;
  stem: string;
  termId: number;
  stemId: number;
  weight: number;
  /** The word may be an acronym of a run of phrase words ("asap"). */
  acronym: boolean;
  /**
   * For a word the phrases lack: the phrases' stems it stands for, by a thesaurus link or as a
   * typo corrected (settings thesaurus, spellingCorrection); the regression reads them in its place.
   */
  standsFor?: number[];
}

export interface AnalyzedRequest {
  words: RequestWord[];
  total: number;
  /** For each phrase stem, the request words that can align with it and how. */
  matches: Map<number, StemMatch[]>;
  /** Phrase terms (of 3+ letters) that spell the initials of runs of request words ("eta"), with those runs. */
  acronymTerms: Map<number, { start: number; end: number }[]>;
  /** Some request word may be an acronym of phrase words. */
  hasAcronymWords: boolean;
  /** Entities found in the request (words indices refer to `words`). */
  entities: EntityMatch[];
  /** For each "@Entity" stem of the model, the request word spans holding a value of that entity. */
  entitySpans: Map<number, { start: number; end: number }[]>;
}

type Coefficients = Pick<
  Settings,
  | 'exactMatch'
  | 'lemmaMatch'
  | 'synonymMatch'
  | 'synonymContextWeight'
  | 'jaccardMatch'
  | 'jaccardMatchThreshold'
  | 'vectorMatch'
  | 'vectorMatchThreshold'
  | 'spellingCorrection'
  | 'throughPatternMatch'
  | 'acronymMatch'
>;

const LETTERS = /^\p{L}+$/u;

/** The entities of a request (its words as the model analyzes them): those that cover whole words. */
export function* requestEntities(pm: PreparedModel, text: string, budget: Budget, analyzed = pm.analyze(text)): Steps<EntityMatch[]> {
  const found = yield* scanEntities(pm.model.entities, text, analyzed, budget);
  return found.filter((m) => coversWholeWords(analyzed, m));
}

/**
 * Analyzes a request against a model: its words, their weights, and every stem each word can
 * align with. Its loops pause and check the budget (budget.ts): a stage added here does too.
 */
export function* analyzeRequest(pm: PreparedModel, text: string, s: Coefficients, w: Weights, budget: Budget): Steps<AnalyzedRequest> {
  const df = pm.model.df;
  const acronyms = s.acronymMatch > 0; // else no word is read as an acronym
  const analyzed = pm.analyze(text);
  const words: RequestWord[] = analyzed.map(({ form, stem, start, end }) => {
    const termId = pm.termIds.get(form) ?? -1;
    const stemId = termId >= 0 ? (pm.termStems[termId] as number) : (pm.stemIds.get(stem) ?? -1);
    const known = stemId >= 0 && (df[stemId] ?? 0) > 0;
    const weight = stemId >= 0 ? (w.stem[stemId] as number) : w.unknown;
    const acronym = acronyms && !known && form.length >= 2 && form.length <= MAX_ACRONYM && LETTERS.test(form);
    return { form, stem, start, end, termId, stemId, weight, acronym };
  });

  const matches = new Map<number, StemMatch[]>();
  const add = (stem: number, m: StemMatch) => {
    const list = matches.get(stem);
    if (!list) return void matches.set(stem, [m]);
    const same = list.find((x) => x.word === m.word);
    if (!same) list.push(m);
    else if (m.coefficient > same.coefficient) Object.assign(same, m);
  };
  const stemCoefficient = Math.max(s.exactMatch, s.lemmaMatch);
  for (const [i, word] of words.entries()) {
    if (budget.pause()) yield;
    if (word.stemId >= 0) {
      add(word.stemId, { word: i, kind: 'stem', coefficient: stemCoefficient });
      for (const g of pm.stemGroups.get(word.stemId) ?? []) {
        const group = pm.model.synonyms[g];
        if (!group) continue;
        const coefficient = s.synonymMatch * (1 - s.synonymContextWeight + s.synonymContextWeight * group.weight);
        for (const other of group.stems) {
          if (other !== word.stemId) add(other, { word: i, kind: 'synonym', coefficient });
        }
      }
    }
    const known = word.stemId >= 0 && (df[word.stemId] ?? 0) > 0;
    if (!known && word.form.length >= MIN_FUZZY_LENGTH && s.jaccardMatch > 0) {
      for (const hit of pm.fuzzy.search(word.form, s.jaccardMatchThreshold)) {
        add(pm.termStems[hit.term] as number, { word: i, kind: 'jaccard', coefficient: s.jaccardMatch });
      }
    }
    if (!known) {
      const stands = new Set<number>();
      for (const link of pm.thesaurus.get(word.stem) ?? []) {
        add(link.stem, { word: i, kind: 'synonym', coefficient: s.synonymMatch });
        stands.add(link.stem);
      }
      if (s.spellingCorrection && word.termId < 0) {
        for (const term of pm.correctTypo(word.form)) {
          const stem = pm.termStems[term] as number;
          add(stem, { word: i, kind: 'jaccard', coefficient: s.jaccardMatch });
          stands.add(stem);
        }
      }
      if (stands.size > 0) word.standsFor = [...stands];
    }
    if (!known && s.vectorMatch > 0 && pm.neighbours) {
      for (const hit of pm.neighbours.search(word.form, s.vectorMatchThreshold)) {
        add(pm.termStems[hit.term] as number, { word: i, kind: 'vector', coefficient: s.vectorMatch * hit.similarity });
      }
    }
  }

  const acronymTerms = new Map<number, { start: number; end: number }[]>();
  for (let start = 0; acronyms && start < words.length; start++) {
    let key = '';
    for (let end = start + 1; end <= Math.min(words.length, start + MAX_ACRONYM); end++) {
      key += (words[end - 1] as RequestWord).form[0];
      const term = end - start >= MIN_PHRASE_ACRONYM ? pm.termIds.get(key) : undefined;
      if (term === undefined) continue;
      const list = acronymTerms.get(term) ?? [];
      list.push({ start, end });
      acronymTerms.set(term, list);
    }
  }
  // Entities: a phrase word "@City" aligns with the words of a City value (throughPatternMatch).
  const entities = yield* requestEntities(pm, text, budget, analyzed);
  const entitySpans = new Map<number, { start: number; end: number }[]>();
  for (const m of entities) {
    const stem = pm.entityStems.get(m.entity);
    if (stem === undefined || m.wordEnd <= m.wordStart) continue;
    const spans = entitySpans.get(stem) ?? [];
    spans.push({ start: m.wordStart, end: m.wordEnd });
    entitySpans.set(stem, spans);
    // Per word, for the candidate search's bounds; the aligner pairs the whole span at once.
    for (let i = m.wordStart; i < m.wordEnd; i++) add(stem, { word: i, kind: 'entity', coefficient: s.throughPatternMatch });
  }
  const hasAcronymWords = words.some((w) => w.acronym);
  const total = words.reduce((sum, x) => sum + x.weight, 0);
  return { words, total, matches, acronymTerms, hasAcronymWords, entities, entitySpans };
}

/** analyzeRequest without a deadline (compile-time uses, tests). */
export function analyzeRequestNow(pm: PreparedModel, text: string, s: Coefficients, w: Weights): AnalyzedRequest {
  return runToEnd(analyzeRequest(pm, text, s, w, Budget.unlimited()));
}
