import { z } from 'zod';
import { Language } from '../../config.js';
import type { IntentDef } from '../source-schema.js';
import { invalid, isRecord, LABEL_MESSAGE, labelPath, parseWith, plural, type Imported } from './common.js';

/*
 * An NLP.js corpus (what `nlp.addCorpus` reads):
 *
 *   { "name": "Corpus", "locale": "en-US",
 *     "data": [{ "intent": "agent.acquaintance", "utterances": ["who are you", …], "answers": ["I'm a bot", …] }],
 *     "entities": { "hero": { "options": { "spiderman": ["spiderman", "spider-man"] } }, "email": "/…/gi" } }
 *
 * An intent label becomes a path as it is (`agent.acquaintance` → `/agent.acquaintance`); the first
 * answer is kept. Entities, slot filling and context data are dropped with warnings.
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
  // An intent listed twice gets the phrases of both; its answer is the first one given.
  const byPath = new Map<string, IntentDef>();
  corpus.data.forEach((item, k) => {
    const path = labelPath(item.intent);
    if (path === undefined) throw invalid('NLP.js corpus', [{ path: `data.${k}.intent`, message: `"${item.intent}" is not ${LABEL_MESSAGE}` }]);
    const texts = item.utterances ?? [];
    const dropped: string[] = [];
    // @references in utterances are kept as entity references: compile reports the ones no source defines.
    if (isRecord(item.slotFilling)) dropped.push(`slot filling of ${Object.keys(item.slotFilling).join(', ')}`);
    else if (item.slotFilling !== undefined) dropped.push('slot filling');
    if (dropped.length > 0) warnings.push(`${path}: not supported yet, dropped ${dropped.join('; ')}`);
    const answers = (item.answers ?? []).map((a) => (typeof a === 'string' ? a : a.answer));
    if (answers.length > 1) warnings.push(`${path}: kept the first of ${plural(answers.length, 'answer')}`);
    const phrases = texts.filter((t) => t.trim() !== '');
    const intent = byPath.get(path);
    if (!intent) byPath.set(path, { path, phrases, ...(answers[0] !== undefined && { answer: answers[0] }) });
    else {
      intent.phrases.push(...phrases);
      intent.answer ??= answers[0];
    }
  });
  const intents = [...byPath.values()];
  for (const [name, entity] of Object.entries(corpus.entities ?? {})) {
    warnings.push(`entity ${name}: not supported yet, dropped${entityKind(entity)}`);
  }
  return { source: { ...(language !== undefined && { language }), intents }, warnings };
}

/** " (3 options)", " (a regex)", " (a trim rule)": what kind of entity was dropped. */
function entityKind(entity: unknown): string {
  if (typeof entity === 'string') return ' (a regex)';
  if (!isRecord(entity)) return '';
  if (isRecord(entity.options)) return ` (${plural(Object.keys(entity.options).length, 'option')})`;
  if ('regex' in entity) return ' (a regex)';
  if ('trim' in entity) return ' (a trim rule)';
  return '';
}
