/** The public library API of sts-classifier: everything a Node bot needs, nothing else. */
export { compile } from './model/compile-source.js';
export { compileIntentSet, type CompileResult, type CompileDeps, type SynonymLookup } from './model/compile.js';
export type { ProbabilityTuning } from './model/tune-probability.js';
export { loadModel, readModel, saveModel, trainFromFiles, readSource, mappedValues } from './model/io.js';
export { validateModel, type LoadedModel } from './model/validate-model.js';
export { loadWordNet } from './model/wordnet.js';
export { mergeSources, type ParsedSource } from './model/merge-sources.js';
export { importSource, importValue, detectSourceFormat, IMPORT_FORMATS, type ImportFormat, type ImportContext } from './model/importers/index.js';
export { cailaProjectToSource, isCailaProject } from './model/caila-project.js';
export { modelToCailaProject } from './model/caila-export.js';
export { MODEL_FORMAT, MODEL_VERSION, type Model } from './model/model-schema.js';
export { IntentsFile, type IntentsFileInput, type IntentSet, type IntentDef } from './model/source-schema.js';
export { createClassifier, type Classifier, type ClassifierOptions, type ClassifyOptions } from './engine/classifier.js';
export { regressionBuffers, type ModelRegression } from './engine/probability/trained-regression.js';
export type { StsEvent, EventName, Alternative, Explanation, AlignedWords, LimitInfo, FoundEntity, SlotValue } from './engine/event/events.js';
export type { MatchType } from './engine/score/align.js';
export { Settings, DEFAULT_SETTINGS, type SettingsInput, type SettingsOverride } from './config.js';
export { StsError, HTTP_STATUS, type StsErrorCode, type ErrorLocation } from './errors.js';
