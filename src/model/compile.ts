import { createHash } from 'node:crypto';
import { FIELD_DEFAULTS, Settings, stripUndefined } from '../config.js';
import { StsError, fromZodError } from '../errors.js';
import { createAnalyzer, COMPOUND_JOINER } from '../text/analyze.js';
import { createStemmer, detectLanguage, stemmerLanguages } from '../text/stem.js';
import { normalizeText, tokenize } from '../text/normalize.js';
import { compileEntities, resolveBuiltinEntity } from '../entities/index.js';
import { checkProbabilitySize, phraseFeatures } from '../engine/probability/intent-probability.js';
import { trainModelRegression, type ModelRegression } from '../engine/probability/model-regression.js';
import { compileIntentPatterns } from './compile-patterns.js';
import { createPhraseAnalyzer, type PhraseAnalyzer } from './compile-phrases.js';
import { tuneProbabilityWeight, type ProbabilityTuning } from './tune-probability.js';
import { crossValidate, type CrossValidation } from './cross-validate.js';
import { MODEL_FORMAT, MODEL_VERSION, Model as ModelSchema, type Model } from './model-schema.js';
import { encodeRegression } from '../engine/probability/stored-regression.js';
import type { IntentSet } from './source-schema.js';
import type { VectorTable } from '../text/vectors.js';
import { stemThesaurus, thesaurusLinks, type StemmedThesaurus, type SynonymTable } from '../text/thesaurus.js';
import { featureSpace } from '../engine/probability/features.js';

/** Synonyms of single words, e.g. from WordNet: word → groups of synonyms (one per sense). */
export type SynonymLookup = (words: readonly string[]) => Map<string, string[][]>;

export interface CompileDeps {
  /** Required when the set asks for WordNet on an English model; `loadWordNet()` gives one. */
  wordNet?: SynonymLookup;
  /**
   * English word vectors, for settings that read them (wordVectors, vectorMatch) on an English
   * model, or a function that gives them (called only for such a model): the package's
   * compile() passes its table's loader (lexicons.ts). Without them such a model is compiled
   * without vectors.
   */
  vectors?: VectorTable | (() => VectorTable);
  /**
   * A thesaurus for settings.thesaurus (the package's compile() passes its Russian one's loader,
   * lexicons.ts). Its stems are kept with the table once computed, so a table is not to be
   * changed after its first compile: give a new Map instead.
   */
  thesaurus?: SynonymTable | (() => SynonymTable);
}

export interface CompileResult {
  model: Model;
  /** Things that did not stop compilation but that the author should know (empty phrases, duplicates). */
  warnings: string[];
  /** With tuneProbabilityWeight: how probabilityWeight was chosen for this model. */
  tuning?: ProbabilityTuning;
  /** The probabilityWeight regression's arrays, when the settings use it (the model stores them encoded). */
  regression?: ModelRegression;
  /** With calibrate: what cross-validation found (cross-validate.ts). */
  crossValidation?: CrossValidation;
}

/** WordNet expands every English word; our weight for its groups reflects that they are generic. */
const WORDNET_GROUP_WEIGHT = 0.5;

/**
 * Turns imported intents into a model. Pure: no fs, no clock; the same input gives the same model id.
 * With tuneProbabilityWeight, probabilityWeight is then chosen by cross-validation on the phrases.
 */
export function compileIntentSet(set: IntentSet, given: CompileDeps = {}): CompileResult {
  const deps = resolvedDeps(set, given);
  const result = compileUntuned(set, deps);
  const { settings } = result.model;
  const untuned = (fold: IntentSet) => compileUntuned(fold, deps).model;
  if (settings.calibrate) {
    const { tuning, calibration, report } = crossValidate(set, result.model, untuned, deps.vectors, settings.tuneProbabilityWeight);
    const { id: _id, ...body } = result.model;
    // The model holds what was chosen as plain values: the same model as one compiled with them.
    const chosen = { ...body, settings: { ...body.settings, ...(tuning && { probabilityWeight: tuning.chosen }), tuneProbabilityWeight: false, calibrate: false }, ...(calibration && { calibration }) };
    return withRegression({ ...result, model: { ...chosen, id: modelId(chosen) }, ...(tuning && { tuning }), crossValidation: report }, deps);
  }
  if (!settings.tuneProbabilityWeight) return withRegression(result, deps);
  const tuning = tuneProbabilityWeight(set, result.model, untuned, deps.vectors);
  const { id: _id, ...body } = result.model;
  // The model holds the result as a plain setting: the same model as one compiled with that γ.
  const tuned = { ...body, settings: { ...body.settings, probabilityWeight: tuning.chosen, tuneProbabilityWeight: false } };
  return withRegression({ ...result, model: { ...tuned, id: modelId(tuned) }, tuning }, deps);
}

/** The model with its probabilityWeight regression trained and stored, when its settings use it. */
function withRegression(result: CompileResult, deps: ResolvedDeps): CompileResult {
  if (!(result.model.settings.probabilityWeight > 0)) return result;
  const regression = trainModelRegression(result.model, featureSpace(result.model, deps.vectors));
  return { ...result, model: { ...result.model, regression: encodeRegression(regression) }, regression };
}

function compileUntuned(set: IntentSet, deps: ResolvedDeps): CompileResult {
  const settings = parseSettings(set);
  const language = set.language ?? detectLanguage(set.intents.flatMap((i) => i.phrases));
  const wordNet = set.wordNet ?? false;
  const warnings: string[] = [];
  const stem = createStemmer(language);
  const text = textAnalysis(set, language, stem, warnings);
  const unknownEntities = new Map<string, Set<string>>(); // entity → intents using it
  const patterns = compileIntentPatterns(set.intents, text.customNames, unknownEntities);
  const vocab = new Vocabulary();
  const { intents, phrases } = compilePhrases(set, text, vocab, unknownEntities, warnings);
  checkCoverage(set, phrases, patterns, unknownEntities, warnings);

  const synonyms: Model['synonyms'] = set.synonyms.map((g) => ({
    weight: g.weight,
    words: [...g.words],
    stems: dedupe(g.words.map((w) => vocab.stem(text.entryStems(w).join(COMPOUND_JOINER))), String),
    source: 'user' as const,
  }));
  if (wordNet && language.startsWith('en')) {
    if (!deps.wordNet) throw new StsError('invalid_settings', 'wordNet is on but no WordNet lookup was given to compile');
    synonyms.push(...wordNetGroups(vocab, deps.wordNet, stem));
  }

  const { df, intentDf, postings } = invertedIndex(phrases, vocab);
  if (settings.probabilityWeight > 0) {
    checkProbabilitySize(phraseFeatures(phrases, vocab.termStems), intents.length);
  }
  const body: Omit<Model, 'id'> = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    language,
    settings,
    wordNet,
    stopWords: [...set.stopWords],
    compounds: text.compounds,
    intents,
    phrases,
    terms: vocab.forms,
    termStems: vocab.termStems,
    stems: vocab.stems,
    df,
    intentDf,
    postings,
    synonyms,
    entities: text.entities,
    allowedPatterns: [...(set.allowedPatterns ?? [])],
    patterns,
    ...(usesVectors(settings, language, deps) && { vectors: deps.vectors.id }),
    ...(deps.thesaurus && { thesaurus: storedLinks(deps.thesaurus, vocab, df) }),
  };
  return { model: { ...body, id: modelId(body) }, warnings };
}

/** The thesaurus links of the model's vocabulary (the stems of its phrases), as the model stores them. */
function storedLinks(thesaurus: StemmedThesaurus, vocab: Vocabulary, df: readonly number[]): NonNullable<Model['thesaurus']> {
  const stemId = new Map(vocab.stems.map((s, id) => [s, id]));
  const inPhrases = new Set(vocab.stems.filter((_, id) => (df[id] ?? 0) > 0));
  const out: NonNullable<Model['thesaurus']> = {};
  for (const [from, links] of thesaurusLinks(thesaurus, inPhrases)) out[from] = links.map((l) => [stemId.get(l.stem)!, l.via[0], l.via[1]]);
  return out;
}

/** Word vectors are English: a model reads them when its settings ask for them, its language is English and they were given. */
function usesVectors(settings: Settings, language: string, deps: ResolvedDeps): deps is ResolvedDeps & { vectors: VectorTable } {
  return (settings.wordVectors > 0 || settings.vectorMatch > 0) && language.startsWith('en') && deps.vectors !== undefined;
}

type ResolvedDeps = Omit<CompileDeps, 'vectors' | 'thesaurus'> & { vectors?: VectorTable; thesaurus?: StemmedThesaurus };

/**
 * The deps as compiling reads them: the vector table loaded when the set's model will read it,
 * and the thesaurus in the model's stems when the set asks for it and has Cyrillic words (the
 * thesaurus is Russian). Done once, for the model and for cross-validation's folds alike.
 */
function resolvedDeps(set: IntentSet, deps: CompileDeps): ResolvedDeps {
  const settings = parseSettings(set);
  const phrases = set.intents.flatMap((i) => i.phrases);
  const language = set.language ?? detectLanguage(phrases);
  const vectorsWanted = (settings.wordVectors > 0 || settings.vectorMatch > 0) && language.startsWith('en');
  const vectors = typeof deps.vectors === 'function' ? (vectorsWanted ? deps.vectors() : undefined) : deps.vectors;
  const thesaurusWanted = settings.thesaurus && deps.thesaurus !== undefined && phrases.some((p) => CYRILLIC.test(p));
  const table = thesaurusWanted ? (typeof deps.thesaurus === 'function' ? deps.thesaurus() : deps.thesaurus) : undefined;
  const { wordNet } = deps;
  return { ...(wordNet && { wordNet }), ...(vectors && { vectors }), ...(table && { thesaurus: stemmedThesaurus(table, language) }) };
}
const CYRILLIC = /[\u0400-\u04ff]/;

/**
 * A thesaurus in a language's stems, kept per table and pair of stemmers (stemmerLanguages):
 * stemming the shipped Russian thesaurus's words takes longer than compiling a small Russian
 * model, and gives the same stems every time. The entries live as long as their table; for the
 * shipped one, which lexicons.ts keeps, as long as the thread.
 */
const stemmedThesauri = new WeakMap<SynonymTable, Map<string, StemmedThesaurus>>();
function stemmedThesaurus(table: SynonymTable, language: string): StemmedThesaurus {
  let byStemmers = stemmedThesauri.get(table);
  if (!byStemmers) stemmedThesauri.set(table, (byStemmers = new Map()));
  const key = stemmerLanguages(language).join('/');
  let stemmed = byStemmers.get(key);
  if (!stemmed) byStemmers.set(key, (stemmed = stemThesaurus(table, createStemmer(language))));
  return stemmed;
}

/** The set's settings with their defaults (preset applied); a set without intents is refused too. */
function parseSettings(set: IntentSet): Settings {
  const parsed = Settings.safeParse(set.settings);
  if (!parsed.success) {
    throw fromZodError('invalid_settings', 'invalid settings', parsed.error, { prefix: 'settings' });
  }
  if (set.intents.length === 0) throw new StsError('invalid_source', 'no intents: a model needs at least one intent');
  return parsed.data;
}

/** How the set's text is read: its compounds, analyzer, compiled entities and the analyzer of phrases (with "@Entity" words). */
interface TextAnalysis {
  /** A synonym entry's stems. */
  entryStems: (entry: string) => string[];
  compounds: string[][];
  entities: Model['entities'];
  customNames: ReadonlySet<string>;
  analyzePhrase: PhraseAnalyzer;
}

function textAnalysis(set: IntentSet, language: string, stem: (word: string) => string, warnings: string[]): TextAnalysis {
  // Synonym entries are analyzed like phrases; multi-word entries become compounds first.
  const entryStems = (entry: string) => tokenize(normalizeText(entry)).map(stem);
  const compounds = dedupe(
    set.synonyms.flatMap((g) => g.words.map(entryStems).filter((s) => s.length > 1)),
    (c) => c.join(COMPOUND_JOINER),
  );
  const analyze = createAnalyzer({ language, stopWords: set.stopWords, compounds });
  const entityDefs = set.entities ?? [];
  const entities = compileEntities(entityDefs, { language, stopWords: set.stopWords, compounds, warn: (message) => warnings.push(message) });
  const customNames = new Set(entityDefs.map((e) => e.name));
  const analyzePhrase = createPhraseAnalyzer(analyze, entities, customNames, set.allowedPatterns ?? []);
  return { entryStems, compounds, entities, customNames, analyzePhrase };
}

/**
 * The model's intents and phrases, each phrase's words as terms of `vocab`: empty phrases and
 * phrases given twice are left out (with a warning when it is in two intents); the entities
 * that slots and phrases name but nobody defines go to `unknownEntities`.
 */
function compilePhrases(
  set: IntentSet,
  { customNames, analyzePhrase }: TextAnalysis,
  vocab: Vocabulary,
  unknownEntities: Map<string, Set<string>>,
  warnings: string[],
): Pick<Model, 'intents' | 'phrases'> {
  const intents: Model['intents'] = [];
  const phrases: Model['phrases'] = [];
  const seen = new Map<string, string>(); // normalized phrase → intent path
  for (const def of set.intents) {
    const intent = intents.length;
    const slots = def.slots && def.slots.length > 0 ? def.slots : undefined;
    for (const slot of slots ?? []) {
      if (!customNames.has(slot.entity) && resolveBuiltinEntity(slot.entity) === undefined) {
        unknownEntities.set(slot.entity, (unknownEntities.get(slot.entity) ?? new Set()).add(def.path));
      }
    }
    intents.push(stripUndefined({ path: def.path, description: def.description, answer: def.answer, slots }));
    for (const text of def.phrases) {
      const { words, unknownEntities: unknown } = analyzePhrase(text);
      for (const name of unknown) unknownEntities.set(name, (unknownEntities.get(name) ?? new Set()).add(def.path));
      if (words.length === 0) {
        warnings.push(`${def.path}: phrase "${text}" has no words after normalization and stop words; skipped`);
        continue;
      }
      const key = words.map((w) => w.form).join(' ');
      const owner = seen.get(key);
      if (owner === def.path) continue; // the same phrase twice in one intent adds nothing
      if (owner !== undefined) warnings.push(`phrase "${text}" is in both ${owner} and ${def.path}`);
      seen.set(key, def.path);
      phrases.push({ text, intent, terms: words.map((w) => vocab.term(w.form, w.stem)) });
    }
  }
  return { intents, phrases };
}

/** Refuses a set with nothing to match; warns of intents that can never match and of entities nobody defines. */
function checkCoverage(
  set: IntentSet,
  phrases: Model['phrases'],
  patterns: Model['patterns'],
  unknownEntities: ReadonlyMap<string, ReadonlySet<string>>,
  warnings: string[],
): void {
  if (phrases.length === 0 && patterns.length === 0) {
    throw new StsError('invalid_source', 'no training phrases or patterns: every intent is empty');
  }
  const covered = new Set([...phrases, ...patterns].map((p) => p.intent));
  for (const [i, def] of set.intents.entries()) {
    if (!covered.has(i)) {
      warnings.push(`${def.path}: no training phrases or patterns; it can never match`);
    }
  }
  for (const [name, paths] of unknownEntities) {
    warnings.push(`unsupported entity @${name} (used by ${[...paths].join(', ')}): it is not defined and not built in, so it never matches`);
  }
}

/**
 * The content hash of a model without its id and its regression (trained from the rest): a
 * model's identity is what it classifies with.
 */
export function modelId(body: Omit<Model, 'id'>): string {
  // Top-level keys in schema order, so a model read back from disk hashes as it was written.
  const canonical = Object.keys(ModelSchema.shape)
    .filter((k) => k !== 'id' && k !== 'regression')
    .map((k) => [k, k === 'settings' ? withoutLaterDefaults(body.settings) : body[k as keyof typeof body]]);
  const json = JSON.stringify(Object.fromEntries(canonical));
  return 'sha256:' + createHash('sha256').update(json).digest('hex').slice(0, 32);
}

/**
 * Settings added after model files were first written: at their default they are left out of the
 * hash, so a file compiled before they existed (which reads them as the default) keeps its id.
 */
const LATER_SETTINGS = ['probabilityWeight', 'probabilityFloor', 'tuneProbabilityWeight', 'charGrams', 'wordVectors', 'vectorMatch', 'vectorMatchThreshold', 'thesaurus', 'spellingCorrection', 'calibrate', 'intentNames'] as const;

export function withoutLaterDefaults(settings: Model['settings']): Partial<Model['settings']> {
  const out: Partial<Model['settings']> = { ...settings };
  for (const key of LATER_SETTINGS) if (out[key] === FIELD_DEFAULTS[key]) delete out[key];
  return out;
}

class Vocabulary {
  readonly forms: string[] = [];
  readonly termStems: number[] = [];
  readonly stems: string[] = [];
  private readonly formIds = new Map<string, number>();
  private readonly stemIds = new Map<string, number>();

  stem(stem: string): number {
    let id = this.stemIds.get(stem);
    if (id === undefined) {
      id = this.stems.length;
      this.stems.push(stem);
      this.stemIds.set(stem, id);
    }
    return id;
  }

  term(form: string, stem: string): number {
    let id = this.formIds.get(form);
    if (id === undefined) {
      id = this.forms.length;
      this.forms.push(form);
      this.termStems.push(this.stem(stem));
      this.formIds.set(form, id);
    }
    return id;
  }
}

function invertedIndex(phrases: Model['phrases'], vocab: Vocabulary) {
  const postings: number[][] = vocab.stems.map(() => []);
  phrases.forEach((phrase, p) => {
    for (const t of phrase.terms) {
      const list = postings[vocab.termStems[t] as number] as number[];
      if (list[list.length - 1] !== p) list.push(p);
    }
  });
  const intentDf = postings.map((list) => new Set(list.map((p) => phrases[p]!.intent)).size);
  return { df: postings.map((l) => l.length), intentDf, postings };
}

/** One group per sense of each single-word English term that has synonyms in WordNet. */
function wordNetGroups(vocab: Vocabulary, lookup: SynonymLookup, stem: (w: string) => string): Model['synonyms'] {
  const words = vocab.forms.filter((f) => /^[a-z]+$/.test(f));
  const found = lookup(words);
  const groups = new Map<string, { words: string[]; stems: number[] }>();
  for (const word of words) {
    for (const sense of found.get(word) ?? []) {
      const members = [word, ...sense];
      const stems = dedupe(members.map((w) => vocab.stem(stem(w))), String);
      if (stems.length > 1) groups.set(stems.slice().sort((a, b) => a - b).join(','), { words: members, stems });
    }
  }
  return [...groups.values()].map((g) => ({ weight: WORDNET_GROUP_WEIGHT, ...g, source: 'wordnet' as const }));
}

function dedupe<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = key(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
