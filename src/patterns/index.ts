/** JAICP-style patterns: parse to a JSON syntax tree, compile for a language, match against request words. */
export { parsePattern, formatPattern, compileRegex, matchChain, PATTERN_LIMITS, type PatternNode } from './parse.js';
export { PatternNodeSchema, PatternTree } from './schema.js';
export {
  compilePattern,
  type CompilePatternOptions,
  type CompiledPattern,
  type CompiledNode,
  type PatternWord,
} from './compile.js';
export {
  matchPattern,
  PATTERN_MAX_STEPS,
  type MatchPatternOptions,
  type PatternCapture,
  type PatternEntity,
  type PatternMatch,
} from './match.js';
