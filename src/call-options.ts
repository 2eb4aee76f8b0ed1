import type { CallOverride } from './config.js';

/**
 * The per-call settings as a documented interface: zod's inferred types carry no TSDoc, so an
 * editor shows these comments only from a declared interface. `config.ts`'s CallOverride stays
 * the one schema; the checks at the end fail the build if the two ever disagree.
 * README, "Settings", has the same table with the ranges.
 */
export interface CallSettings {
  /** Coefficient of a pair of words with the same normalized form (default 1.0; 0–10). */
  exactMatch?: number;
  /** Coefficient of a pair with the same stem but a different form, "booking" ~ "book" (default 0.95; 0–10). */
  lemmaMatch?: number;
  /** Coefficient of a fuzzy pair: a request word of 3+ characters that no phrase contains, close in letters to one that does (default 0.5; 0–10). */
  jaccardMatch?: number;
  /** Least character-multiset Jaccard similarity for a fuzzy pair, "pasword" ~ "password" (default 0.82; 0–1). */
  jaccardMatchThreshold?: number;
  /** Coefficient of an acronym pair: one side spells the initials of consecutive words of the other (default 1.0; 0–10). */
  acronymMatch?: number;
  /** Coefficient of a pair from one synonym group, the source's `synonyms` or WordNet (default 0.5; 0–10). */
  synonymMatch?: number;
  /** How strongly a synonym group's `weight` applies: the coefficient is synonymMatch × (1 − w + w × weight) (default 0; 0–1). */
  synonymContextWeight?: number;
  /** Score of an intent whose pattern matches the whole request; the higher of it and the phrase score wins (default 1; 0–10). */
  patternMatch?: number;
  /** Coefficient of a pair between a phrase's `@Entity` and a value of that entity in the request (default 0.8; 0–10). */
  throughPatternMatch?: number;
  /** Factor of a matched word in a run of 1 (a run: pairs consecutive in both texts) (default 0.8; 0–10). */
  wordSequence1?: number;
  /** Factor of the pairs in a run of 2 (default 0.9; 0–10). */
  wordSequence2?: number;
  /** Factor of the pairs in a run of 3 or more, or of a run that spans a whole text (default 1.0; 0–10). */
  wordSequence3?: number;
  /** A word's weight is max(0, idfShift + idfMultiplier × idf) (default 0; −100–100). */
  idfShift?: number;
  /** See idfShift (default 1; 0–100). */
  idfMultiplier?: number;
  /** true: a phrase with `@Entity` scores 0 unless the request has a value of that entity (default false). */
  namedEntitiesRequired?: boolean;
  /** What idf counts documents over: training phrases (JAICP), intents, or the mean of both (default "phrases"). */
  idfScope?: 'phrases' | 'intents' | 'both';
  /** An intent's score: its closest phrase (1, JAICP) or the mean of its k closest (default 1; 1–50). */
  intentTopK?: number;
  /** Weight bonus for words concentrated in one intent; 0 turns it off (default 0; 0–10). docs/scoring.md. */
  intentConcentration?: number;
  /** γ: scores are weighed by the probability a regression over the words gives each intent; 0 turns it off (default 0; 0–10). docs/scoring.md §7. */
  probabilityWeight?: number;
  /** λ: with probabilityWeight, an intent scores at least λ × its probability above chance, so the regression alone can decide where the phrases share little with the request; 0 turns it off (default 0; 0–1). */
  probabilityFloor?: number;
  /** Coefficient of a vector-neighbour pair: a request word no phrase holds, aligned with a phrase word of close meaning (English word vectors), scaled by their cosine; 0 turns it off (default 0; 0–10). */
  vectorMatch?: number;
  /** Least cosine of two word vectors for a vector-neighbour pair (default 0.5; 0–1). */
  vectorMatchThreshold?: number;
  /** A request word no phrase holds, a few typing errors from a phrase word (same first letter), pairs with it as a typo (jaccardMatch) and counts as it for the regression (default false). */
  spellingCorrection?: boolean;
  /** A match needs a best score above this; else the event is noMatch (default 0.2, JAICP's; ≥ 0). */
  threshold?: number;
  /** How many intents `alternatives` lists, best first (default 5; 1–1000). */
  nBest?: number;
  /** A text of more characters (code points) is a lengthLimit event, checked before any other work (default 400). */
  lengthLimit?: number;
  /** A text of more words (JAICP's count: punctuation marks count) is a lengthLimit event (default 100000). */
  wordLimit?: number;
  /** Deadline of one classification in milliseconds; past it the event is timeLimit. 0: no limit (default 10000). */
  timeLimit?: number;
}

/**
 * Fails to compile unless the two types have the same keys and each key the same value type.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type SchemaCall = CallOverride;
const sameKeys: Same<keyof CallSettings, keyof SchemaCall> = true;
const sameTypes: Same<Required<CallSettings>, { [K in keyof SchemaCall]-?: Exclude<SchemaCall[K], undefined> }> = true;
void sameKeys;
void sameTypes;
