import { compileEntities } from '../../src/entities/compile.js';
import type { CompiledEntities } from '../../src/entities/compiled-schema.js';
import { findEntities, type EntityMatch, type FindEntitiesOptions } from '../../src/entities/find.js';
import { EntitiesSource, type EntityDefInput } from '../../src/entities/schema.js';
import { createAnalyzer, type AnalyzerOptions } from '../../src/text/analyze.js';

/** Entity definitions as an intents file would write them, parsed and compiled. */
export function compile(defs: EntityDefInput[], options: AnalyzerOptions = { language: 'en' }): CompiledEntities {
  return compileEntities(EntitiesSource.parse(defs), options);
}

/** A finder over compiled entities, analyzing requests as the classifier would (same analyzer options). */
export function finder(defs: EntityDefInput[], options: AnalyzerOptions = { language: 'en' }) {
  const compiled = compile(defs, options);
  const analyze = createAnalyzer(options);
  return (text: string, findOptions?: FindEntitiesOptions): EntityMatch[] =>
    findEntities(compiled, text, analyze(text), findOptions);
}

/** The compact view most tests compare: entity, value and matched text. */
export function brief(matches: EntityMatch[]): [string, string | number, string][] {
  return matches.map((m) => [m.entity, m.value, m.text]);
}
