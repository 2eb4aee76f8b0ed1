import { z } from 'zod';
import { SettingsObject } from '../config.js';
import { CompiledEntities } from '../entities/index.js';
import { PatternTree } from '../patterns/index.js';
import { SlotSource } from './source-schema.js';
import { StoredRegression } from '../engine/probability/stored-regression.js';

/**
 * The compiled model: one versioned JSON file holding everything classification reads
 * (tokens, stems, idf counts, synonym expansions, the inverted index), so requests never
 * re-derive them. `id` is a content hash: equal sources give equal ids.
 */
export const MODEL_FORMAT = 'sts-classifier/model';
export const MODEL_VERSION = 1;

/** Phrase words that stand for an entity are terms of this form: "@City", "@number". No real word starts with "@". */
export const ENTITY_TERM_PREFIX = '@';

const Id = z.number().int().min(0);

export const ModelIntent = z.strictObject({
  path: z.string(),
  description: z.string().optional(),
  answer: z.string().optional(),
  slots: z.array(SlotSource).optional(),
});

export const ModelPhrase = z.strictObject({
  text: z.string(),
  intent: Id,
  /** Term ids of the phrase's words, in order. */
  terms: z.array(Id),
});

export const SynonymGroup = z.strictObject({
  weight: z.number().min(0).max(1),
  /** The group's words as written in the source (exports write these back). */
  words: z.array(z.string()),
  /** Stem ids of the group's members. */
  stems: z.array(Id),
  source: z.enum(['user', 'wordnet']),
});

export const Model = z.strictObject({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(MODEL_VERSION),
  id: z.string(),
  language: z.string(),
  /**
   * As compiled: every setting, except those added later (compile.ts LATER_SETTINGS), which
   * saveModel leaves out at their default. A missing one reads as its JAICP default (the preset
   * is not expanded again: the file's behaviour is what it was).
   */
  settings: SettingsObject,
  wordNet: z.boolean(),
  stopWords: z.array(z.string()),
  /** Multi-word synonym entries, as stem sequences, merged into one word by the analyzer. */
  compounds: z.array(z.array(z.string())),
  intents: z.array(ModelIntent),
  phrases: z.array(ModelPhrase),
  /** Normalized word forms; a term id indexes this list. */
  terms: z.array(z.string()),
  /** The stem id of each term. */
  termStems: z.array(Id),
  /** Stems; a stem id indexes this list, `df` and `postings`. */
  stems: z.array(z.string()),
  /** How many phrases contain each stem (document frequency, for idf). */
  df: z.array(Id),
  /** How many intents contain each stem (for idfScope "intents"). */
  intentDf: z.array(Id),
  /** The inverted index: for each stem, the ids of the phrases that contain it, ascending. */
  postings: z.array(z.array(Id)),
  synonyms: z.array(SynonymGroup),
  /** Custom entities compiled (stems of synonym records, checked regexes); built-ins need none. */
  entities: CompiledEntities,
  /** Entities whose literal values in phrases were replaced by the entity. */
  allowedPatterns: z.array(z.string()),
  /** Intent patterns, parsed. */
  patterns: z.array(z.strictObject({ intent: Id, source: z.string(), tree: PatternTree })),
  /**
   * The probabilityWeight regression, trained at compilation when the settings use it
   * (stored-regression.ts). Derived from the rest, so the id does not cover it (its own
   * sha256 does); a file without it (an older build's) has it trained by createClassifier.
   */
  regression: StoredRegression.optional(),
  /**
   * The word-vector table the model was compiled with (its id, text/vectors.ts), when its
   * settings read sentence vectors (wordVectors) or pair vector neighbours (vectorMatch): a
   * classifier needs the same table.
   */
  vectors: z.string().optional(),
  /**
   * How scores were calibrated when the model was compiled (settings.calibrate): a raw score
   * (similarity × probability factor) of `raw` is reported as `score`, the model's threshold;
   * scores below and above are rescaled linearly towards 0 and 1.
   */
  calibration: z.strictObject({ raw: z.number().gt(0).lt(1), score: z.number().gt(0).lt(1) }).optional(),
  /**
   * With settings.thesaurus: the thesaurus's links this model can use, by the stem of a word its
   * phrases lack, to stems of its own, each with the thesaurus's pair of words (text/thesaurus.ts).
   */
  thesaurus: z.record(z.string(), z.array(z.tuple([Id, z.string(), z.string()]))).optional(),
});
export type Model = z.output<typeof Model>;
