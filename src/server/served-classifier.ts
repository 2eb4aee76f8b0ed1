import type { Classifier } from '../engine/classifier.js';
import type { ModelRegression } from '../engine/probability/model-regression.js';
import type { Model } from '../model/model-schema.js';

/** What the server asks of a model's classifier: the engine's own (createClassifier), or one whose work runs in the classify pool. */
export type ServedClassifier = Pick<Classifier, 'model' | 'classify' | 'lookupEntities'>;

/**
 * Makes the classifier of a model the registry serves: `regression` as the model's file or the
 * compile worker gave it, `text` the model file's text (read only by a pool, which loads it into
 * its threads).
 */
export type ClassifierFactory = (model: Model, loaded: { regression?: ModelRegression; text: () => string }) => ServedClassifier;
