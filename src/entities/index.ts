/** Entities: definitions, compilation into the model, and finding them in requests. */
export { compileEntities, type CompileEntitiesOptions } from './compile.js';
export {
  COMPILED_ENTITIES_VERSION,
  CompiledEntities,
  validateCompiledEntities,
  type CompiledEntity,
  type SynonymGroup,
  type SynonymPhrase,
} from './compiled-schema.js';
export { coversWholeWords } from './word-span.js';
export { findEntities, scanEntities, prepareEntities, MAX_ENTITY_MATCHES, MAX_MATCHES_PER_PATTERN, type EntityMatch, type FindEntitiesOptions } from './find.js';
export { ENTITY_NAME, findEntityReferences, type EntityReference } from './names.js';
export { findNumbers, type NumberMatch, type NumberOptions } from './number.js';
export { compileSafeRegex, MAX_PATTERN_LENGTH, MAX_PROGRAM_SIZE, PATTERN_FLAGS } from './regex.js';
export { costProblem, MAX_REGEX_COST_MS, scanCost, wordTestCost } from './regex-cost.js';
export { RegexScanner, type PatternMatch } from './regex-scan.js';
export {
  EntitiesSource,
  EntityDefSource,
  EntityName,
  EntityRecordSource,
  PatternRecordSource,
  SynonymsRecordSource,
  type EntityDef,
  type EntityDefInput,
  type EntityRecord,
  type PatternRecord,
  type SynonymsRecord,
} from './schema.js';
export {
  BUILTIN_ENTITIES,
  KNOWN_CAILA_SYSTEM_ENTITIES,
  SYSTEM_ENTITY_ALIASES,
  SYSTEM_ENTITY_PREFIXES,
  isBuiltinEntity,
  isSystemEntityName,
  resolveBuiltinEntity,
  unsupportedSystemEntities,
  type BuiltinEntity,
} from './system.js';
