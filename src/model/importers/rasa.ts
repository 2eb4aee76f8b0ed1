import { z } from 'zod';
import { ENTITY_NAME, compilePattern as compileEntityRegex, isSystemEntityName, resolveBuiltinEntity } from '../../entities/index.js';
import type { IntentDef } from '../source-schema.js';
import { invalid, isRecord, LABEL_MESSAGE, labelPath, parseWith, plural, unique, type Imported } from './common.js';

/*
 * Rasa NLU training data in YAML (Rasa 2 and 3):
 *
 *   version: "3.1"
 *   nlu:
 *   - intent: greet
 *     examples: |
 *       - hey
 *       - good morning
 *   - synonym: savings
 *     examples: |
 *       - pink pig
 *   - lookup: bank          (entities: dropped for now, with a warning)
 *   - regex: account_number (entities: dropped for now, with a warning)
 *
 * Other sections (responses, stories, rules, domain keys) are not training data; they are ignored
 * with a warning. Examples may also be a list of {text, metadata}, as Rasa allows.
 */

const ITEM_KINDS = ['intent', 'synonym', 'regex', 'lookup'] as const;
type ItemKind = (typeof ITEM_KINDS)[number];

/** Sections of Rasa files other than nlu: their presence beside `version` marks a Rasa file. */
const RASA_SECTIONS = ['stories', 'rules', 'responses', 'slots', 'forms', 'actions', 'entities', 'session_config', 'e2e_actions'];

const Name = z
  .union([z.string(), z.number()], { error: 'a name' })
  .transform(String)
  .pipe(z.string().trim().min(1, 'a non-empty name'));
const Examples = z
  .union([z.string(), z.array(z.union([z.string(), z.looseObject({ text: z.string() })]))], {
    error: 'a block of "- example" lines, or a list of {text}',
  })
  .nullish();
const Item = z.looseObject({ examples: Examples, metadata: z.unknown().optional() });

export const RasaNlu = z.looseObject({
  version: z.union([z.string(), z.number()]).nullish(),
  nlu: z.array(z.unknown()).nullish(),
});

/** `nlu:`, or `version:` beside another Rasa section (a domain or stories file, which has no examples). */
export function isRasaNlu(value: unknown): boolean {
  return isRecord(value) && ('nlu' in value || ('version' in value && RASA_SECTIONS.some((k) => k in value)));
}

/**
 * Entity annotations, replaced by their text: `[Berlin](city)`, `[NYC](city:New York)`,
 * `[Berlin]{"entity": "city", "role": "to"}`, `[Berlin][{"entity": "city"}, {"entity": "place"}]`.
 */
const ANNOTATION = /\[([^\]]+?)\](?:\([^)]*\)|\{[^}]*\}|\[[^\]]*\])/g;

interface Examples {
  texts: string[];
  /** Examples that had entity annotations (their text is kept). */
  annotated: number;
  /** Lines of a block that do not start with "-" (Rasa skips them too). */
  skipped: string[];
}

function readExamples(examples: z.output<typeof Examples>): Examples {
  const out: Examples = { texts: [], annotated: 0, skipped: [] };
  const raw: string[] = [];
  if (typeof examples === 'string') {
    for (const line of examples.split(/\r?\n/)) {
      const t = line.trim();
      if (t === '') continue;
      if (t.startsWith('-')) raw.push(t.slice(1));
      else out.skipped.push(t);
    }
  } else {
    for (const e of examples ?? []) raw.push(typeof e === 'string' ? e : e.text);
  }
  for (const r of raw) {
    const text = r.replace(ANNOTATION, '$1').trim();
    if (text !== r.trim()) out.annotated++;
    if (text !== '') out.texts.push(text);
  }
  return out;
}

/** Intents (phrases only) and synonym groups; entities (annotations, lookups, regexes) and other sections dropped with warnings. */
export function rasaNluToSource(value: unknown): Imported {
  const data = parseWith(RasaNlu, value, 'Rasa NLU data');
  const warnings: string[] = [];
  const version = data.version == null ? undefined : String(data.version);
  if (version !== undefined && !/^[23](\.|$)/.test(version)) {
    warnings.push(`version "${version}": not a Rasa 2 or 3 training data format; read as Rasa 3`);
  }
  for (const key of Object.keys(data)) {
    if (key !== 'version' && key !== 'nlu') warnings.push(`${key}: only the nlu section is imported; ignored`);
  }
  if (data.nlu == null) warnings.push('no nlu section: no intents imported');

  const intents = new Map<string, IntentDef & { annotated: number; skipped: string[] }>();
  const synonyms: { words: string[] }[] = [];
  // Rasa's lookup tables and regexes name an entity: they become its synonyms and pattern records.
  const entities = new Map<string, { name: string; records: ({ type: 'synonyms'; value: string; words: string[] } | { type: 'pattern'; pattern: string })[] }>();
  const entityOf = (name: string) => {
    let e = entities.get(name);
    if (!e) entities.set(name, (e = { name, records: [] }));
    return e;
  };
  (data.nlu ?? []).forEach((item, k) => {
    const at = ['nlu', k];
    const kinds = isRecord(item) ? ITEM_KINDS.filter((kind) => kind in item) : [];
    if (kinds.length !== 1) {
      const message = `an item with one of ${ITEM_KINDS.join(', ')}${kinds.length > 1 ? ` (not ${kinds.join(' and ')})` : ''}`;
      throw invalid('Rasa NLU data', [{ path: `nlu.${k}`, message }]);
    }
    const kind = kinds[0] as ItemKind;
    const name = parseWith(Name, (item as Record<string, unknown>)[kind], 'Rasa NLU data', [...at, kind]);
    const { texts, annotated, skipped } = readExamples(parseWith(Item, item, 'Rasa NLU data', at).examples);
    if (kind === 'intent') {
      const path = labelPath(name);
      if (path === undefined) throw invalid('Rasa NLU data', [{ path: `nlu.${k}.intent`, message: `"${name}" is not ${LABEL_MESSAGE}` }]);
      let intent = intents.get(path);
      if (!intent) intents.set(path, (intent = { path, phrases: [], annotated: 0, skipped: [] }));
      intent.phrases.push(...texts);
      intent.annotated += annotated;
      intent.skipped.push(...skipped);
      return;
    }
    if (skipped.length > 0) warnings.push(`${kind} ${name}: ${skippedLines(skipped)}`);
    if (kind === 'synonym') {
      const words = unique([name, ...texts]);
      if (words.length < 2) warnings.push(`synonym ${name}: no examples besides itself; skipped`);
      else synonyms.push({ words });
      return;
    }
    if (!ENTITY_NAME.test(name) || isSystemEntityName(name) || resolveBuiltinEntity(name) !== undefined) {
      warnings.push(`${kind} ${name}: not a name we can give an entity; dropped`);
      return;
    }
    if (kind === 'lookup') {
      for (const value of texts) entityOf(name).records.push({ type: 'synonyms', value, words: [value] });
      return;
    }
    for (const pattern of texts) {
      const compiled = compileEntityRegex(pattern);
      if (compiled.ok) entityOf(name).records.push({ type: 'pattern', pattern });
      else warnings.push(`regex ${name}: pattern ${JSON.stringify(pattern)} dropped: ${compiled.problem}`);
    }
  });

  for (const { path, annotated, skipped } of intents.values()) {
    if (annotated > 0) warnings.push(`${path}: dropped the entity annotations of ${plural(annotated, 'example')} (their text is kept)`);
    if (skipped.length > 0) warnings.push(`${path}: ${skippedLines(skipped)}`);
  }
  const defs = [...intents.values()].map(({ path, phrases }) => ({ path, phrases }));
  const entityDefs = [...entities.values()].filter((e) => e.records.length > 0);
  return { source: { intents: defs, synonyms, ...(entityDefs.length > 0 && { entities: entityDefs }) }, warnings };
}

function skippedLines(lines: string[]): string {
  return `skipped ${plural(lines.length, 'example line')} not starting with "-" (${lines.map((l) => JSON.stringify(l)).join(', ')})`;
}
