import { ENTITY_TERM_PREFIX, type Model } from '../../model/model-schema.js';
import { createAnalyzer, type Analyzer } from '../../text/analyze.js';
import { prepareEntities } from '../../entities/index.js';
import { compilePattern, type CompiledPattern } from '../../patterns/index.js';
import { FuzzyIndex } from './fuzzy.js';
import { VectorNeighbours } from './vector-neighbours.js';
import { buildTypoIndex, correctTypo, type TypoIndex } from '../../text/typos.js';
import { intentProbabilities, type IntentProbabilities } from '../probability/intent-probability.js';
import { checkRegression, flatPhrases, storedModelRegression, trainModelRegression, type ModelRegression } from '../probability/model-regression.js';
import { featureSpace, WordFeatures, type FeatureSpace } from '../probability/features.js';
import type { VectorTable } from '../../text/vectors.js';
import { StsError } from '../../errors.js';
import { computeWeights, topIntentCounts, type WeightSettings, type Weights } from './weights.js';

export type { Weights } from './weights.js';

/** How many searched words keep their typo corrections (oldest dropped first), as the fuzzy index keeps its. */
const TYPO_CACHE_SIZE = 10_000;

/** How many idf variants (the model's own, and per-call overrides) keep their weights in memory. */
const WEIGHT_CACHE_SIZE = 4;

/** Stems with at least this many phrases get their postings by phrase weight when weights are made. */
const PRESORT_POSTINGS = 64;

/** Longest acronym we look for ("asap", "faq", "eta", "нии"): longer runs of initials are rarely meant. */
export const MAX_ACRONYM = 5;
/**
 * A phrase word is read as an acronym of request words only from 3 letters up: two-letter
 * words ("it", "am", "us") are real words far more often than acronyms.
 */
export const MIN_PHRASE_ACRONYM = 3;

/**
 * A model laid out for fast reading: lookups by string, typed arrays, and the word weights of
 * the current idf settings. Built once per loaded model; nothing here is written per request,
 * except the scratch arrays, which are filled and read inside one synchronous step.
 */
export class PreparedModel {
  readonly analyze: Analyzer;
  readonly termIds: Map<string, number>;
  readonly stemIds: Map<string, number>;
  readonly termStems: Int32Array;
  readonly phraseTerms: Int32Array[];
  /** The stems of phrase p's words are phraseStems[phraseStart[p] .. phraseStart[p + 1] - 1] (one flat array, read in hot loops). */
  readonly phraseStems: Int32Array;
  readonly phraseStart: Int32Array;
  /** Words in the longest phrase. */
  readonly maxPhraseLength: number;
  readonly phraseIntent: Int32Array;
  /** The phrases of each intent. */
  readonly intentPhrases: Int32Array[];
  /** When each intent's phrases are consecutive (compiled models): intent i has phrases intentStart[i] .. intentStart[i + 1] - 1. */
  readonly intentStart?: Int32Array;
  readonly postings: Int32Array[];
  /** For each stem, the synonym groups it belongs to. */
  readonly stemGroups: Map<number, number[]>;
  readonly fuzzy: FuzzyIndex;
  /** Stem ids of the "@Entity" terms of phrases, by entity name. */
  readonly entityStems: Map<string, number>;
  /** 1 for the stems that are "@Entity" terms. */
  readonly isEntityStem: Uint8Array;
  /** 1 for the phrases that hold an "@Entity" term. */
  readonly phraseHasEntity: Uint8Array;
  /** The model's patterns, ready to match, with their intents. */
  readonly patterns: { intent: number; source: string; compiled: CompiledPattern }[];
  /**
   * Scratch space, filled and read inside one synchronous step: one slot per phrase for
   * gathering candidates, and one per stem for the request's stem table (bounds.ts:
   * `stemStamp` marks the stems of the current request with a fresh `serial`, so nothing
   * needs clearing).
   */
  readonly scratch: {
    stamp: Uint8Array;
    touched: Int32Array;
    acc: Float64Array;
    best: Float64Array;
    round: Int32Array;
    stemStamp: Int32Array;
    stemSlot: Int32Array;
    serial: number;
  };
  private acronymIndex?: Map<string, number[]>;
  private weightCache = new Map<string, Weights>();
  private topIntentCount?: Int32Array;
  private regression?: ModelRegression;
  private intentProbabilities?: IntentProbabilities;
  /** The word vectors the model was compiled with (model.vectors), when it uses them. */
  readonly vectors?: VectorTable;
  /** What the regression reads of a text (features.ts). */
  readonly features: FeatureSpace;
  /** The regression's input of requests, with what it read of each word form kept. */
  readonly wordFeatures: WordFeatures;
  /** The vocabulary's words with a vector, for vector-neighbour pairs (vectorMatch), when the model has vectors and a vocabulary small enough to scan. */
  readonly neighbours?: VectorNeighbours;
  /** The thesaurus's links (model.thesaurus): by the stem of a word the phrases lack, stems of the phrases with the pair of words behind each. */
  readonly thesaurus: ReadonlyMap<string, readonly { stem: number; via: readonly [string, string] }[]>;
  /** The phrases' words by first letter and length, for spellingCorrection; built on first use. */
  private typoIndex?: TypoIndex;
  private readonly typoCache = new Map<string, readonly number[]>();

  /**
   * `regression`: the model's regression trained elsewhere (model-regression.ts, e.g. in a
   * worker thread); else the model's own (trainedRegression()). `vectors`: the word-vector table,
   * required when the model was compiled with one (model.vectors), and that very table.
   */
  constructor(
    readonly model: Model,
    regression?: ModelRegression,
    vectors?: VectorTable,
  ) {
    if (model.vectors !== undefined) {
      if (vectors === undefined) throw new StsError('invalid_input', `the model was compiled with word vectors (${model.vectors}): give createClassifier that table (ClassifierOptions.vectors)`, [{ path: 'options.vectors', message: 'required' }]);
      if (vectors.id !== model.vectors) throw new StsError('invalid_input', `the model was compiled with word vectors ${model.vectors}, not ${vectors.id}`, [{ path: 'options.vectors', message: 'another table' }]);
      this.vectors = vectors;
    }
    this.features = featureSpace(model, this.vectors);
    this.wordFeatures = new WordFeatures(this.features);
    if (regression) {
      checkRegression(model, this.features, regression);
      this.regression = regression;
    }
    // The vocabulary's stems are known: requests made of training words need no stemming.
    const knownStems = model.terms.flatMap((form, t) =>
      form.includes(' ') || form.startsWith(ENTITY_TERM_PREFIX) ? [] : [[form, model.stems[model.termStems[t] as number] as string] as const],
    );
    this.analyze = createAnalyzer({ language: model.language, stopWords: model.stopWords, compounds: model.compounds, knownStems });
    this.termIds = new Map(model.terms.map((t, i) => [t, i]));
    this.stemIds = new Map(model.stems.map((s, i) => [s, i]));
    this.termStems = Int32Array.from(model.termStems);
    this.phraseTerms = model.phrases.map((p) => Int32Array.from(p.terms));
    ({ phraseStart: this.phraseStart, phraseStems: this.phraseStems, phraseIntent: this.phraseIntent } = flatPhrases(model, this.termStems));
    this.maxPhraseLength = model.phrases.reduce((max, p) => Math.max(max, p.terms.length), 0);
    const byIntent: number[][] = model.intents.map(() => []);
    this.phraseIntent.forEach((intent, p) => byIntent[intent]!.push(p));
    this.intentPhrases = byIntent.map((list) => Int32Array.from(list));
    if (this.phraseIntent.every((intent, p) => p === 0 || intent >= (this.phraseIntent[p - 1] as number))) {
      this.intentStart = new Int32Array(model.intents.length + 1);
      byIntent.forEach((list, i) => (this.intentStart![i + 1] = this.intentStart![i]! + list.length));
    }
    this.postings = model.postings.map((l) => Int32Array.from(l).sort()); // by phrase id (binary searches rely on it)
    this.stemGroups = new Map();
    model.synonyms.forEach((g, gi) => {
      for (const s of g.stems) {
        const list = this.stemGroups.get(s) ?? [];
        list.push(gi);
        this.stemGroups.set(s, list);
      }
    });
    this.entityStems = new Map();
    model.stems.forEach((stem, id) => {
      if (stem.startsWith(ENTITY_TERM_PREFIX)) this.entityStems.set(stem.slice(ENTITY_TERM_PREFIX.length), id);
    });
    this.isEntityStem = new Uint8Array(model.stems.length);
    for (const id of this.entityStems.values()) this.isEntityStem[id] = 1;
    this.phraseHasEntity = Uint8Array.from(this.phraseTerms, (terms) =>
      terms.some((t) => this.isEntityStem[this.termStems[t] as number] === 1) ? 1 : 0,
    );
    prepareEntities(model.entities);
    const patternOptions = { language: model.language, stopWords: model.stopWords };
    this.patterns = model.patterns.map((p) => ({ intent: p.intent, source: p.source, compiled: compilePattern(p.tree, patternOptions) }));
    const phraseWord = (t: number) => (model.df[model.termStems[t] as number] ?? 0) > 0 && !(model.terms[t] as string).startsWith(ENTITY_TERM_PREFIX);
    this.fuzzy = new FuzzyIndex(model.terms, phraseWord);
    if (this.vectors) this.neighbours = VectorNeighbours.forVocabulary(this.vectors, model.terms, phraseWord);
    this.thesaurus = new Map(Object.entries(model.thesaurus ?? {}).map(([from, links]) => [from, links.map(([stem, a, b]) => ({ stem, via: [a, b] as const }))]));
    this.phraseWord = phraseWord;
    if (model.settings.acronymMatch > 0) this.acronyms();
    if (model.settings.probabilityWeight > 0) this.probabilities();
    this.weights(model.settings, true);
    const n = model.phrases.length;
    this.scratch = {
      stamp: new Uint8Array(n),
      touched: new Int32Array(n),
      acc: new Float64Array(n),
      best: new Float64Array(n),
      round: new Int32Array(n),
      stemStamp: new Int32Array(model.stems.length),
      stemSlot: new Int32Array(model.stems.length),
      serial: 0,
    };
  }

  /** Word weights for the given idf settings: per stem, and each phrase's total (cached, a few variants). */
  weights(settings: WeightSettings, presort = false): Weights {
    const key = `${settings.idfShift}/${settings.idfMultiplier}/${settings.idfScope}/${settings.intentConcentration}`;
    let w = this.weightCache.get(key);
    if (!w) {
      // Per-call idf overrides each get weights; keep a few, so varied overrides cannot grow memory without end.
      if (this.weightCache.size >= WEIGHT_CACHE_SIZE) this.weightCache.delete(this.weightCache.keys().next().value!);
      if (settings.intentConcentration > 0) this.topIntentCount ??= topIntentCounts(this.postings, this.phraseIntent, this.model.intents.length);
      w = computeWeights(this.model, this, settings, this.topIntentCount);
      // Long postings are the common words' (candidates.ts): for the model's own settings, sort them
      // now rather than during a request (per-call idf overrides sort on first use).
      if (presort) this.postings.forEach((list, s) => list.length >= PRESORT_POSTINGS && this.postingsByTotal(s, w!));
      this.weightCache.set(key, w);
    }
    return w;
  }

  /**
   * A stem's postings ordered by phrase total (lightest phrase first, then by id), for the
   * search of phrases only common words reach (candidates.ts); sorted on first use per weights.
   */
  postingsByTotal(stem: number, w: Weights): Int32Array {
    let list = w.byTotal.get(stem);
    if (!list) {
      list = Int32Array.from(this.postings[stem] as Int32Array);
      const total = w.phraseTotal;
      list.sort((a, b) => (total[a] as number) - (total[b] as number) || a - b);
      w.byTotal.set(stem, list);
    }
    return list;
  }

  /**
   * P(intent | words) for probabilityWeight (intent-probability.ts): made with the prepared model
   * when its settings use it, else on first use (a per-call override), from trainedRegression().
   */
  probabilities(): IntentProbabilities {
    this.intentProbabilities ??= intentProbabilities(this.trainedRegression());
    return this.intentProbabilities;
  }

  /**
   * The regression's weights behind probabilities(): given to the constructor, else stored in
   * the model (compiled with it), else trained on first use.
   */
  trainedRegression(): ModelRegression {
    this.regression ??= storedModelRegression(this.model, this.features) ?? trainModelRegression(this.model, this.features, this);
    return this.regression;
  }

  /** Whether term t is a word of the phrases (not an entity's "@Name", not a synonym's alone). */
  private readonly phraseWord: (term: number) => boolean;

  /**
   * The phrases' words a mistyped request word stands for (text/typos.ts), as term ids: the
   * index is built on first use (spellingCorrection may be turned on per call).
   */
  correctTypo(form: string): readonly number[] {
    const cached = this.typoCache.get(form);
    if (cached) return cached;
    this.typoIndex ??= buildTypoIndex(this.model.terms.filter((term, t) => this.phraseWord(t) && !term.includes(' ')));
    const found = correctTypo(form, this.typoIndex);
    const terms = found ? found.words.map((w) => this.termIds.get(w)!).filter((t) => t !== undefined) : [];
    // Mistyped and unknown words recur (users repeat them): their corrections are kept, up to TYPO_CACHE_SIZE.
    if (this.typoCache.size >= TYPO_CACHE_SIZE) this.typoCache.delete(this.typoCache.keys().next().value!);
    this.typoCache.set(form, terms);
    return terms;
  }

  /**
   * Phrases by the initials of their runs of 2..MAX_ACRONYM words; built with the model when
   * its settings use acronyms (it takes a while for a big model), else on first use.
   */
  acronyms(): Map<string, number[]> {
    this.acronymIndex ??= acronymIndex(this.model.terms, this.phraseTerms);
    return this.acronymIndex;
  }
}

function acronymIndex(terms: readonly string[], phraseTerms: readonly Int32Array[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  const initial = terms.map((t) => t[0] ?? '');
  phraseTerms.forEach((words, p) => {
    for (let start = 0; start + 1 < words.length; start++) {
      let key = initial[words[start] as number] as string;
      for (let end = start + 1; end < words.length && end - start < MAX_ACRONYM; end++) {
        key += initial[words[end] as number];
        let list = index.get(key);
        if (!list) index.set(key, (list = []));
        if (list[list.length - 1] !== p) list.push(p);
      }
    }
  });
  return index;
}
