import { coversWholeWords, findEntities, findEntityReferences, resolveBuiltinEntity, type CompiledEntities } from '../entities/index.js';
import type { Analyzer, Word } from '../text/analyze.js';
import { ENTITY_TERM_PREFIX } from './model-schema.js';

export function entityTerm(name: string): string {
  return ENTITY_TERM_PREFIX + name;
}

export interface PhraseAnalyzer {
  (text: string): { words: Word[]; unknownEntities: string[] };
}

/**
 * Analyzes training phrases, where `@Name` stands for any value of an entity (JAICP's
 * "Мне нужно @duckling.number яблок"). A reference becomes one word "@Name" (Caila aliases
 * resolved: @duckling.number → @number); an entity we do not have stays as written and is
 * reported. With allowedPatterns, literal values of those entities in a phrase are replaced by
 * the entity too, so "weather in Moscow" also matches "weather in Paris" when both are @City.
 */
export function createPhraseAnalyzer(
  analyze: Analyzer,
  entities: CompiledEntities,
  customNames: ReadonlySet<string>,
  allowedPatterns: readonly string[],
): PhraseAnalyzer {
  const canonical = (name: string) => (customNames.has(name) ? name : resolveBuiltinEntity(name));
  const generalize = (text: string, words: Word[]): Word[] => {
    if (allowedPatterns.length === 0 || words.length === 0) return words;
    const found = findEntities(entities, text, words, { entities: allowedPatterns }).filter((m) => coversWholeWords(words, m));
    const out: Word[] = [];
    let next = 0;
    for (const m of found) {
      if (m.wordStart < next) continue;
      out.push(...words.slice(next, m.wordStart));
      out.push({ form: entityTerm(m.entity), stem: entityTerm(m.entity), start: m.start, end: m.end });
      next = m.wordEnd;
    }
    return [...out, ...words.slice(next)];
  };
  return (text) => {
    const words: Word[] = [];
    const unknownEntities: string[] = [];
    let at = 0;
    const chunk = (end: number) => {
      const part = text.slice(at, end);
      const analyzed = analyze(part).map((w) => ({ ...w, start: w.start + at, end: w.end + at }));
      words.push(...generalize(text, analyzed));
    };
    for (const ref of findEntityReferences(text)) {
      chunk(ref.start);
      const name = canonical(ref.name);
      if (name === undefined) unknownEntities.push(ref.name);
      const term = entityTerm(name ?? ref.name);
      words.push({ form: term, stem: term, start: ref.start, end: ref.end });
      at = ref.end;
    }
    chunk(text.length);
    return { words, unknownEntities };
  };
}
