import { StsError, type ErrorLocation } from '../errors.js';
import { createAnalyzer, type AnalyzerOptions } from '../text/analyze.js';
import {
  COMPILED_ENTITIES_VERSION,
  type CompiledEntities,
  type CompiledEntity,
  type SynonymGroup,
  type SynonymPhrase,
} from './compiled-schema.js';
import { ENTITY_NAME } from './names.js';
import { compileSafeRegex } from './regex.js';
import { costProblem, scanCost } from './regex-cost.js';
import type { EntityDef } from './schema.js';
import { BUILTIN_ENTITIES, reservedNameProblem } from './system.js';

/**
 * Options of compileEntities. `language` picks the stemmer. `stopWords` and `compounds` must
 * be the model's own (the classifier's analyzer options): findEntities matches synonym stems
 * against the classifier's words of a request, so entity words have to be analyzed the same
 * way ("bank of america" loses "of" on both sides, or on neither).
 */
export type CompileEntitiesOptions = AnalyzerOptions & {
  /** Told of what compiles but cannot work as written: a word two records give different values (the first is kept). */
  warn?: (message: string) => void;
};

/**
 * Compiles parsed entity definitions (EntitiesSource output, or an importer's) into the JSON
 * structure stored in the model. Synonym words become stem sequences, so word forms match
 * ("Москва" finds "Москве", "Москву"; "Moscow" finds "Moscow's"); patterns are checked with
 * re2js here, so a bad one fails training, not a request. Every problem is reported at once
 * as StsError('invalid_source') with one detail per problem, paths as `entities.<i>...`.
 */
export function compileEntities(defs: readonly EntityDef[], options: CompileEntitiesOptions): CompiledEntities {
  const analyze = createAnalyzer(options);
  const problems: ErrorLocation[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });

  const entities: CompiledEntity[] = [];
  const phrases: SynonymPhrase[] = [];
  const patterns: { entity: number; record: number }[] = [];
  const names = new Map<string, number>();

  for (const [e, def] of defs.entries()) {
    const where = `entities.${e}`;
    // The schema checks names too; importers may build definitions without it.
    if (!ENTITY_NAME.test(def.name)) problem(`${where}.name`, `"${def.name}" is not a valid entity name`);
    const reserved = reservedNameProblem(def.name);
    if (reserved) problem(`${where}.name`, `entity "${def.name}": ${reserved}`);
    const first = names.get(def.name);
    if (first !== undefined) problem(`${where}.name`, `entity "${def.name}" is already defined at entities.${first}`);
    else names.set(def.name, e);
    if (def.records.length === 0) problem(`${where}.records`, `entity "${def.name}" has no records`);

    const seen = new Map<string, string>(); // one phrase per distinct stem sequence of an entity: the first record's (→ its value)
    const clashes = new Set<string>();
    for (const [r, record] of def.records.entries()) {
      const at = `${where}.records.${r}`;
      if (record.type === 'synonyms') {
        for (const [w, text] of record.words.entries()) {
          const stems = analyze(text).map((word) => word.stem);
          if (stems.length === 0) {
            problem(`${at}.words.${w}`, `entity "${def.name}", record ${r}: "${text}" has no words left after analysis (punctuation or stop words only)`);
            continue;
          }
          const key = stems.join('\u0000');
          const first = seen.get(key);
          if (first !== undefined) {
            // Several sources (or one) giving a word two values (not just two spellings of one): only the first can ever match.
            if (first.toLowerCase() !== record.value.toLowerCase() && !clashes.has(key)) {
              clashes.add(key);
              options.warn?.(`entity ${def.name}: "${text}" means ${JSON.stringify(first)} and ${JSON.stringify(record.value)}; it matches as ${JSON.stringify(first)}`);
            }
            continue;
          }
          seen.set(key, record.value);
          phrases.push({ entity: e, record: r, stems });
        }
      } else {
        const compiled = compileSafeRegex(record.pattern);
        // A pattern that runs too long on a worst-case text is refused here, not met by a request.
        const slow = compiled.ok ? costProblem(scanCost(record.pattern)) : undefined;
        if (compiled.ok && slow === undefined) patterns.push({ entity: e, record: r });
        else problem(`${at}.pattern`, `entity "${def.name}", record ${r}: ${compiled.ok ? '' : 'invalid '}regular expression ${JSON.stringify(record.pattern)}: ${compiled.ok ? slow : compiled.problem}`);
      }
    }
    entities.push({
      name: def.name,
      records: def.records.map((record) =>
        record.type === 'synonyms'
          ? { type: 'synonyms' as const, value: record.value, words: [...record.words] }
          : record.value === undefined
            ? { type: 'pattern' as const, pattern: record.pattern }
            : { type: 'pattern' as const, pattern: record.pattern, value: record.value },
      ),
    });
  }

  if (problems.length > 0) {
    const shown = problems.slice(0, 10).map((p) => `${p.path}: ${p.message}`);
    const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
    throw new StsError('invalid_source', `invalid entities: ${shown.join('; ')}${more}`, problems);
  }
  return {
    version: COMPILED_ENTITIES_VERSION,
    language: options.language,
    entities,
    synonyms: groupByFirstStem(phrases),
    patterns,
    builtins: [...BUILTIN_ENTITIES],
  };
}

/** Groups sorted by stem (code-unit order, as validate checks); longest phrase first inside a group, then declaration order. */
function groupByFirstStem(phrases: SynonymPhrase[]): SynonymGroup[] {
  const groups = new Map<string, SynonymPhrase[]>();
  for (const phrase of phrases) {
    const first = phrase.stems[0] as string;
    const list = groups.get(first);
    if (list) list.push(phrase);
    else groups.set(first, [phrase]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([first, list]) => ({ first, phrases: list.sort((a, b) => b.stems.length - a.stems.length) }));
}
