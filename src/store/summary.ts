import { isUtf8 } from 'node:buffer';
import { headOf, phraseCount, type ModelHead } from '../model/model-head.js';
import { fileText } from '../model/io.js';
import { MODEL_FORMAT, type Model } from '../model/model-schema.js';
import type { ModelSummary } from './store.js';

/** What a store lists of a model. */
export function summaryOf(model: Model): ModelSummary {
  return summaryOfHead(headOf(model));
}

/** What a store lists of a model whose head is in memory. */
export function summaryOfHead(head: ModelHead): ModelSummary {
  return { id: head.id, language: head.language, intents: head.intents.length, phrases: phraseCount(head) };
}

/**
 * The summary of a model file, read without validating the model (loading does that);
 * undefined when the file is not a model at all, or not UTF-8 (a byte that is not would become
 * U+FFFD in a phrase, and PostgreSQL refuses such a file).
 */
export function summaryOfFile(file: Uint8Array): ModelSummary | undefined {
  if (!isUtf8(file)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(fileText(file));
  } catch {
    return undefined;
  }
  const m = value as Partial<Record<keyof Model, unknown>> | null;
  if (typeof m !== 'object' || m === null || m.format !== MODEL_FORMAT) return undefined;
  if (typeof m.id !== 'string' || typeof m.language !== 'string' || !Array.isArray(m.intents) || !Array.isArray(m.phrases)) return undefined;
  return { id: m.id, language: m.language, intents: m.intents.length, phrases: m.phrases.length };
}
