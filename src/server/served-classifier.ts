import type { Classifier } from '../engine/classifier.js';
import type { ModelRegression } from '../engine/probability/model-regression.js';
import type { ModelHead } from '../model/model-head.js';
import type { Model } from '../model/model-schema.js';

/** What the server asks of a model's classifier: the engine's own (createClassifier), or one whose work runs in the classify pool. */
export type ServedClassifier = Pick<Classifier, 'classify' | 'lookupEntities'>;

/**
 * Makes the classifier of a model the registry serves, from its head and the model file's bytes
 * (`file`); `model` and `regression` when this thread has them (compiled or checked here), so that
 * a classifier of this thread need not parse the file again. A pool's classifier loads the file
 * into its threads and keeps only the head here.
 */
export type ClassifierFactory = (head: ModelHead, loaded: { model?: Model; regression?: ModelRegression; file: Uint8Array }) => ServedClassifier;
