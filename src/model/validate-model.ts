import { StsError, fromZodError, type ErrorLocation } from '../errors.js';
import { validateCompiledEntities } from '../entities/index.js';
import { modelId } from './compile.js';
import { MODEL_FORMAT, MODEL_VERSION, Model } from './model-schema.js';
import { featureSpace } from '../engine/probability/features.js';
import { storedModelRegression } from '../engine/probability/model-regression.js';
import type { ModelRegression } from '../engine/probability/trained-regression.js';

/** A model checked for serving, with its stored regression decoded when it has one: pass both to createClassifier(model, { regression }). */
export interface LoadedModel {
  model: Model;
  regression?: ModelRegression;
}

/** Checks that a parsed JSON value is a model this build can serve (checkModel()), and returns it. */
export function validateModel(value: unknown, file?: string): Model {
  return checkModel(value, file).model;
}

/** checkModel() of a model file's text: text that is not JSON is a damaged model too (invalid_model). */
export function checkModelText(text: string, file?: string): LoadedModel {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new StsError('invalid_model', `damaged model: not valid JSON (${(e as Error).message})`, [{ file, message: 'not valid JSON' }]);
  }
  return checkModel(value, file);
}

/**
 * Checks that a parsed JSON value is a model this build can serve, in the order a user can act
 * on: is it a model at all, is its version ours, does it fit the schema, do its ids point
 * inside its tables, and does its content still hash to its id (a damaged or hand-edited file),
 * and does its stored regression fit it (decoded here, once, and returned with the model).
 */
export function checkModel(value: unknown, file?: string): LoadedModel {
  const at = (message: string, path?: string): ErrorLocation => ({ file, path, message });
  if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== MODEL_FORMAT) {
    throw new StsError('invalid_model', `not an sts-classifier model (expected "format": "${MODEL_FORMAT}")`, [
      at('missing or wrong "format"', 'format'),
    ]);
  }
  const version = (value as { version?: unknown }).version;
  if (version !== MODEL_VERSION) {
    throw new StsError(
      'model_version',
      `model format version ${JSON.stringify(version)} is not supported: this build reads version ${MODEL_VERSION}; compile the model again with \`sts train\``,
      [at(`expected ${MODEL_VERSION}`, 'version')],
    );
  }
  const parsed = Model.safeParse(value);
  if (!parsed.success) {
    throw fromZodError('invalid_model', 'damaged model', parsed.error, { file });
  }
  const model = parsed.data;
  const problem = checkReferences(model);
  if (problem) throw new StsError('invalid_model', `damaged model: ${problem.path}: ${problem.message}`, [at(problem.message, problem.path)]);
  // Entity tables point into each other and hold regexes: check them here, with the file's name.
  validateCompiledEntities(model.entities, { file, path: 'entities' });
  const expected = modelId(model);
  if (expected !== model.id) {
    throw new StsError('invalid_model', `damaged model: its content does not match its id ${model.id} (the file was changed after compilation)`, [
      at(`content hashes to ${expected}`, 'id'),
    ]);
  }
  const regression = storedModelRegression(model, featureSpace(model), file);
  return regression ? { model, regression } : { model };
}

function checkReferences(m: Model): { path: string; message: string } | undefined {
  const nStems = m.stems.length;
  if (m.termStems.length !== m.terms.length) return { path: 'termStems', message: `has ${m.termStems.length} entries for ${m.terms.length} terms` };
  if (m.df.length !== nStems) return { path: 'df', message: `has ${m.df.length} entries for ${nStems} stems` };
  if (m.intentDf.length !== nStems) return { path: 'intentDf', message: `has ${m.intentDf.length} entries for ${nStems} stems` };
  if (m.postings.length !== nStems) return { path: 'postings', message: `has ${m.postings.length} entries for ${nStems} stems` };
  const bad = (list: number[], max: number) => list.findIndex((x) => x >= max);
  let k = bad(m.termStems, nStems);
  if (k >= 0) return { path: `termStems.${k}`, message: 'stem id out of range' };
  for (const [p, phrase] of m.phrases.entries()) {
    if (phrase.intent >= m.intents.length) return { path: `phrases.${p}.intent`, message: 'intent id out of range' };
    k = bad(phrase.terms, m.terms.length);
    if (k >= 0) return { path: `phrases.${p}.terms.${k}`, message: 'term id out of range' };
  }
  for (const [s, list] of m.postings.entries()) {
    k = bad(list, m.phrases.length);
    if (k >= 0) return { path: `postings.${s}.${k}`, message: 'phrase id out of range' };
  }
  for (const [from, links] of Object.entries(m.thesaurus ?? {})) {
    k = bad(links.map(([stem]) => stem), nStems);
    if (k >= 0) return { path: `thesaurus.${from}.${k}`, message: 'stem id out of range' };
  }
  for (const [k, pattern] of m.patterns.entries()) {
    if (pattern.intent >= m.intents.length) return { path: `patterns.${k}.intent`, message: 'intent id out of range' };
  }
  for (const [g, group] of m.synonyms.entries()) {
    k = bad(group.stems, nStems);
    if (k >= 0) return { path: `synonyms.${g}.stems.${k}`, message: 'stem id out of range' };
  }
  return undefined;
}

/**
 * The model of a file's text that checkModel() has passed before (a served model's): parsed by
 * the schema, which fills in the settings the file leaves out, but not checked again for its
 * references, its hash or its regression.
 */
export function modelOfChecked(text: string): Model {
  return Model.parse(JSON.parse(text));
}
