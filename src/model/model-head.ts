import type { Model } from './model-schema.js';

/**
 * What a server keeps of a model beside its classifier: enough for listings, time caps and
 * Caila's answers. When classification runs in threads, the threads hold the model itself and
 * the event loop holds only this, so that loading a model parses a few intents there rather than
 * every phrase and posting.
 */
export interface ModelHead extends Pick<Model, 'id' | 'language' | 'settings' | 'intents'> {
  /** The custom entities' names, in the model's order (Caila numbers them from 1 in that order). */
  entityNames: string[];
  /** The training phrases of each intent, in the order of `intents`. */
  phraseCounts: number[];
}

export function headOf(model: Model): ModelHead {
  const phraseCounts = model.intents.map(() => 0);
  for (const p of model.phrases) phraseCounts[p.intent]!++;
  return {
    id: model.id,
    language: model.language,
    settings: model.settings,
    intents: model.intents,
    entityNames: model.entities.entities.map((e) => e.name),
    phraseCounts,
  };
}

/** How many training phrases a model has. */
export function phraseCount(head: ModelHead): number {
  return head.phraseCounts.reduce((a, b) => a + b, 0);
}
