import { z } from 'zod';
import { Language } from '../../config.js';
import { compileSafeRegex, findEntityReferences, resolveBuiltinEntity } from '../../entities/index.js';
import type { EntityDef } from '../../entities/index.js';
import type { IntentDef } from '../source-schema.js';
import { invalid, isRecord, LABEL_MESSAGE, labelPath, parseWith, plural, unique, usableEntityName, type Imported } from './common.js';

/*
 * An NLP.js corpus (what `nlp.addCorpus` reads):
 *
 *   { "name": "Corpus", "locale": "en-US",
 *     "data": [{ "intent": "agent.acquaintance", "utterances": ["who are you", …], "answers": ["I'm a bot", …] }],
 *     "entities": { "hero": { "options": { "spiderman": ["spiderman", "spider-man"] } }, "email": "/…/gi" } }
 *
 * An intent label becomes a path as it is (`agent.acquaintance` → `/agent.acquaintance`); the first
 * answer is kept. An entity's options become synonyms records, a regex entity a pattern record
 * (RE2; the flags `i`, `m`, `s` kept); an intent gets a slot per entity its utterances reference
 * (`@pet`), required when its slot filling names it (its question becomes the slot's prompt). Trim entities and
 * context data are dropped with warnings.
 */

const Answer = z.union([z.string(), z.looseObject({ answer: z.string() })], { error: 'a string or {answer}' });
const Item = z.looseObject({
  intent: z.string({ error: 'an intent name' }).trim().min(1, 'a non-empty intent name'),
  utterances: z.array(z.string()).nullish(),
  answers: z.array(Answer).nullish(),
  slotFilling: z.unknown().optional(),
});
export const NlpjsCorpus = z.looseObject({
  name: z.string().nullish(),
  locale: z.string().nullish(),
  data: z.array(Item),
  entities: z.record(z.string(), z.unknown()).nullish(),
  contextData: z.unknown().optional(),
});

/** `data: [...]` of items with an intent or utterances, and no `intents` (which would be ours or Caila's). */
export function isNlpjsCorpus(value: unknown): boolean {
  if (!isRecord(value) || !Array.isArray(value.data) || 'intents' in value) return false;
  return value.data.length === 0 || value.data.some((d) => isRecord(d) && ('intent' in d || 'utterances' in d));
}

/** "en-US", "en_us", "en" → "en": our languages are language codes, not locales. */
function localeLanguage(locale: string): string | undefined {
  const code = locale.trim().split(/[-_]/)[0]!.toLowerCase();
  return Language.safeParse(code).success ? code : undefined;
}

export function nlpjsCorpusToSource(value: unknown): Imported {
  const corpus = parseWith(NlpjsCorpus, value, 'NLP.js corpus');
  const warnings: string[] = [];
  let language: string | undefined;
  if (corpus.locale != null) {
    language = localeLanguage(corpus.locale);
    if (language === undefined) throw invalid('NLP.js corpus', [{ path: 'locale', message: `"${corpus.locale}" is not a locale such as "en-US" or "en"` }]);
  }
  if (corpus.contextData !== undefined) warnings.push('contextData: not supported; ignored');
  const entities = readEntities(corpus.entities ?? {}, warnings);
  const known = (name: string) => entities.some((e) => e.name === name) || resolveBuiltinEntity(name) !== undefined;
  // An intent listed twice gets the phrases of both; its answer is the first one given.
  const byPath = new Map<string, Omit<IntentDef, 'slots'> & { slots: { name: string; entity: string; required?: true; array?: true; prompts?: string[] }[] }>();
  corpus.data.forEach((item, k) => {
    const path = labelPath(item.intent);
    if (path === undefined) throw invalid('NLP.js corpus', [{ path: `data.${k}.intent`, message: `"${item.intent}" is not ${LABEL_MESSAGE}` }]);
    const answers = (item.answers ?? []).map((a) => (typeof a === 'string' ? a : a.answer));
    if (answers.length > 1) warnings.push(`${path}: kept the first of ${plural(answers.length, 'answer')}`);
    // @references are kept as entity references (compile reports the ones no source defines);
    // NLP.js's numbered ones (@hero_0, @hero_1: two heroes in one utterance) refer to @hero.
    const counted = (item.utterances ?? []).filter((t) => t.trim() !== '').map((t) => numbered(t, known));
    const phrases = counted.map((c) => c.text);
    let intent = byPath.get(path);
    if (!intent) byPath.set(path, (intent = { path, phrases: [], slots: [], ...(answers[0] !== undefined && { answer: answers[0] }) }));
    intent.phrases.push(...phrases);
    if (intent.answer === undefined && answers[0] !== undefined) intent.answer = answers[0];
    const slotOf = (entity: string) => {
      let slot = intent.slots.find((x) => x.entity === entity);
      if (!slot) intent.slots.push((slot = { name: entity, entity }));
      return slot;
    };
    for (const { text, several } of counted) {
      for (const { name } of findEntityReferences(text)) if (known(name)) slotOf(name);
      for (const name of several) slotOf(name).array = true;
    }
    // { "pet": "Which pet?" } (or { "pet": { "mandatory": true, "question": … } }): NLP.js asks
    // until the entity is found; here the slot is required, missingSlots says it is missing and
    // missingSlotPrompts gives the question.
    if (isRecord(item.slotFilling)) {
      for (const [name, fill] of Object.entries(item.slotFilling)) {
        if (!known(name)) {
          warnings.push(`${path}: slot filling of ${name}: no entity ${name} is imported; dropped`);
          continue;
        }
        const slot = slotOf(name);
        if (typeof fill === 'string' || (isRecord(fill) && fill.mandatory === true)) slot.required = true;
        const question = isRecord(fill) ? fill.question : fill;
        if (typeof question === 'string' && question.trim() !== '') slot.prompts = [...new Set([...(slot.prompts ?? []), question.trim()])];
        else if (question !== undefined && question !== null) {
          const where = `data.${k}.slotFilling.${name}${isRecord(fill) ? '.question' : ''}`;
          warnings.push(`${path}: slot filling of ${name}: ${typeof question === 'string' ? 'an empty question' : 'a question that is not a text'} (${where}); not imported`);
        }
      }
    } else if (item.slotFilling !== undefined) warnings.push(`${path}: slot filling that is not {entity: question}; dropped`);
  });
  const intents = [...byPath.values()].map(({ slots, ...intent }) => ({ ...intent, ...(slots.length > 0 && { slots }) }));
  return { source: { ...(language !== undefined && { language }), intents, ...(entities.length > 0 && { entities }) }, warnings };
}

/**
 * An utterance with NLP.js's numbered references (`@hero_0`, `@hero_1`) written as ours
 * (`@hero`) when `hero` is known and `hero_0` is not; `several`: the entities it holds twice or more.
 */
function numbered(utterance: string, known: (name: string) => boolean): { text: string; several: string[] } {
  const counts = new Map<string, number>();
  let text = utterance;
  for (const ref of findEntityReferences(utterance).reverse()) {
    const m = /^(.+)_\d+$/.exec(ref.name);
    const name = m && !known(ref.name) && known(m[1]!) ? m[1]! : ref.name;
    counts.set(name, (counts.get(name) ?? 0) + 1);
    if (name !== ref.name) text = `${text.slice(0, ref.start)}@${name}${text.slice(ref.end)}`;
  }
  return { text, several: [...counts].filter(([name, n]) => n > 1 && known(name)).map(([name]) => name) };
}

/** Options → synonyms records and "/regex/flags" (or {regex}, one or a list) → pattern records, both if given; trim rules dropped with a warning. */
function readEntities(defs: Record<string, unknown>, warnings: string[]): EntityDef[] {
  const entities: EntityDef[] = [];
  for (const [name, entity] of Object.entries(defs)) {
    if (!usableEntityName(name)) {
      warnings.push(`entity ${name}: not a name we can give an entity; dropped${entityKind(entity)}`);
      continue;
    }
    const records: EntityDef['records'] = [];
    const regexes = typeof entity === 'string' ? [entity] : isRecord(entity) && 'regex' in entity ? [entity.regex].flat() : [];
    for (const r of regexes) {
      const pattern = typeof r === 'string' ? re2Pattern(r) : undefined;
      const compiled = pattern === undefined ? { ok: false as const, problem: 'not a regex written as "/…/flags"' } : compileSafeRegex(pattern);
      if (compiled.ok) records.push({ type: 'pattern', pattern: pattern! });
      else warnings.push(`entity ${name}: regex ${JSON.stringify(r)} dropped: ${compiled.problem}`);
    }
    if (isRecord(entity) && isRecord(entity.options)) {
      for (const [value, texts] of Object.entries(entity.options)) {
        const words = unique([value, ...[texts].flat()].filter((w): w is string => typeof w === 'string').map((w) => w.trim()).filter((w) => w !== ''));
        if (value.trim() === '') warnings.push(`entity ${name}: an option without a name dropped`);
        else records.push({ type: 'synonyms', value: value.trim(), words });
      }
    }
    const trim = isRecord(entity) && 'trim' in entity;
    if (trim) warnings.push(`entity ${name}: its trim rules are not supported; dropped`);
    if (records.length > 0) entities.push({ name, records });
    // An entity of none of the three kinds; one of them with nothing usable was warned about above.
    else if (!trim && regexes.length === 0 && !(isRecord(entity) && isRecord(entity.options))) warnings.push(`entity ${name}: not an entity NLP.js defines (options, regex or trim); dropped`);
  }
  return entities;
}

/** "/\\d{4}/gi" as RE2 reads it: ours are case-insensitive unless (?-i); m and s become inline flags; g, u, y, d change nothing here. */
function re2Pattern(literal: string): string | undefined {
  const m = /^\/(.*)\/([dgimsuy]*)$/s.exec(literal.trim());
  if (!m) return undefined;
  const [, body, flags] = m as unknown as [string, string, string];
  const set = (flags.includes('m') ? 'm' : '') + (flags.includes('s') ? 's' : '');
  const clear = flags.includes('i') ? '' : '-i';
  return set || clear ? `(?${set}${clear})${body}` : body;
}

/** " (3 options)", " (a regex)", " (a trim rule)": what kind of entity a name we cannot use was given. */
function entityKind(entity: unknown): string {
  if (typeof entity === 'string') return ' (a regex)';
  if (!isRecord(entity)) return '';
  if (isRecord(entity.options)) return ` (${plural(Object.keys(entity.options).length, 'option')})`;
  if ('regex' in entity) return ' (a regex)';
  if ('trim' in entity) return ' (a trim rule)';
  return '';
}
