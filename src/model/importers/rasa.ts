import { z } from 'zod';
import { compileSafeRegex, resolveBuiltinEntity } from '../../entities/index.js';
import type { IntentDef } from '../source-schema.js';
import { invalid, isRecord, LABEL_MESSAGE, labelPath, parseWith, plural, unique, usableEntityName, type Imported } from './common.js';

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
 *   - lookup: bank          (an entity: a synonyms record per entry)
 *   - regex: account_number (an entity: a pattern record per regex)
 *
 * Entity annotations in examples ("send [50](amount) to [Anna](person)") keep their text in the
 * phrase and become the entity's synonyms records (value: the annotation's, or the Rasa synonym
 * the text belongs to, or the text) and a slot of the intent named after the entity. Other
 * sections (responses, stories, rules, domain keys) are not training data; they are ignored
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
 * Entity annotations, as Rasa 3 reads them (rasa/shared/nlu/training_data/entities_parser.py):
 * `[Berlin](city)`, `[NYC](city:New York)`, `[Berlin]{"entity": "city", "role": "to"}`,
 * `[Berlin][{"entity": "city"}, {"entity": "place"}]`. What does not fit (`[x]()`, `[x](:v)`)
 * is not an annotation and stays as written, as in Rasa.
 */
const ANNOTATION = /\[([^\]]+?)\](?:\(([^:)]+?)(?::([^)]+))?\)|\{([^}]+?)\}|\[(.*?)\])/g;
/** Each `{…}` of a list annotation, read one by one as Rasa does. */
const LIST_ITEM = /\{[^}]+?\}/g;

/** One entity an annotation names for its text; `value` when the annotation gives one. */
interface Annotation {
  entity: string;
  text: string;
  value?: string;
  /** Which annotation of its example it comes from (a list annotation names several entities for one text). */
  span: number;
  /** It had a role or a group (Rasa's way to tell "from" and "to" cities apart): not imported. */
  roleOrGroup: boolean;
}

interface Examples {
  texts: string[];
  /** Per text, the entities its annotations name (their text is kept in the phrase). */
  annotations: Annotation[][];
  /** Annotations that name no entity (JSON without "entity", or not JSON) or hold a blank text: dropped, their text kept. */
  unreadable: number;
  /** Lines of a block that do not start with "-" (Rasa skips them too). */
  skipped: string[];
}

function readExamples(examples: z.output<typeof Examples>): Examples {
  const out: Examples = { texts: [], annotations: [], unreadable: 0, skipped: [] };
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
    const annotations: Annotation[] = [];
    let span = 0;
    const text = r
      .replace(ANNOTATION, (_, shown: string, entity?: string, value?: string, dict?: string, list?: string) => {
        const found = shown.trim() === '' ? [] : readAnnotation(shown.trim(), span++, entity, value, dict, list);
        if (found.length === 0) out.unreadable++;
        annotations.push(...found);
        return shown;
      })
      .trim();
    if (text === '') continue;
    out.texts.push(text);
    out.annotations.push(annotations);
  }
  return out;
}

/** The entities of one annotation: `(entity)` / `(entity:value)`, one `{"entity", "value"?, "role"?, "group"?}`, or a list of them. */
function readAnnotation(text: string, span: number, entity?: string, value?: string, dict?: string, list?: string): Annotation[] {
  if (entity !== undefined) {
    const v = value?.trim();
    return [{ entity: entity.trim(), text, span, ...(v && { value: v }), roleOrGroup: false }];
  }
  const items = dict !== undefined ? [`{${dict}}`] : [...(list ?? '').matchAll(LIST_ITEM)].map((m) => m[0]);
  const found: Annotation[] = [];
  for (const item of items) {
    let a: unknown;
    try {
      a = JSON.parse(item);
    } catch {
      return [];
    }
    if (!isRecord(a) || typeof a.entity !== 'string' || a.entity.trim() === '') return [];
    const v = typeof a.value === 'string' || typeof a.value === 'number' ? String(a.value).trim() : undefined;
    found.push({ entity: a.entity.trim(), text, span, ...(v && { value: v }), roleOrGroup: a.role !== undefined || a.group !== undefined });
  }
  return found;
}

/** What a Rasa file's import may know of the rest of its project. */
export interface RasaContext {
  /**
   * The synonyms of the project's other files (name first, then its examples), as Rasa merges
   * all training files before mapping entity values: an annotation takes their value too.
   */
  synonyms?: readonly (readonly string[])[];
  /** The values annotations of the other files give texts ([checking](account_type:current) → ["checking", "current"]). */
  values?: readonly (readonly [text: string, value: string])[];
}

/** Intents (with slots for their annotated entities), synonym groups and entities (annotations, lookups, regexes); other sections dropped with warnings. */
export function rasaNluToSource(value: unknown, context: RasaContext = {}): Imported {
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

  const items = readItems(data.nlu ?? [], warnings);
  const { resolve, twoValues } = entityValues(items, context);
  for (const { record, text } of items.lookups) Object.assign(record, resolve(text));
  const { defs, unusable } = intentDefs(items, resolve, warnings);
  warnings.push(...twoValues);
  for (const name of unusable) warnings.push(`entity annotations of ${name}: not a name we can give an entity; dropped (the text is kept)`);
  const entityDefs = items.entities.defs();
  return {
    source: { intents: defs, synonyms: items.synonyms.map(({ words }) => ({ words })), ...(entityDefs.length > 0 && { entities: entityDefs }) },
    warnings,
  };
}

type EntityRecord = { type: 'synonyms'; value: string; words: string[] } | { type: 'pattern'; pattern: string };

/** Rasa's lookup tables, regexes and annotations name an entity: they become its synonyms and pattern records. */
class EntityTable {
  private readonly entities = new Map<string, { name: string; records: EntityRecord[] }>();

  /** The entity's records, the entity made on first use (in the order entities are first named). */
  recordsOf(name: string): EntityRecord[] {
    let e = this.entities.get(name);
    if (!e) this.entities.set(name, (e = { name, records: [] }));
    return e.records;
  }

  /** The entity's synonyms record of this value, made on first use (values of lookups and annotations share it). */
  recordOf(name: string, value: string): { value: string; words: string[] } {
    const records = this.recordsOf(name);
    const found = records.find((r) => r.type === 'synonyms' && r.value === value);
    if (found?.type === 'synonyms') return found;
    const made = { type: 'synonyms' as const, value, words: [] as string[] };
    records.push(made);
    return made;
  }

  /** The entities that have records, each value's records joined. */
  defs(): { name: string; records: EntityRecord[] }[] {
    return [...this.entities.values()].map((e) => ({ ...e, records: joinValues(e.records) })).filter((e) => e.records.length > 0);
  }
}

/** An intent's examples as read, before their annotations are resolved. */
type ReadIntent = IntentDef & { annotations: Annotation[][]; unreadable: number; skipped: string[] };

/** The nlu items of a file, read. */
interface Items {
  intents: Map<string, ReadIntent>;
  synonyms: { name: string; words: string[] }[];
  entities: EntityTable;
  /** Lookup entries, in place in their entity, valued once the file is read (a synonym or an annotation may map an entry). */
  lookups: { record: { value: string; words: string[] }; text: string }[];
}

/** Reads the nlu items: intents with their examples, synonyms, lookups and regexes; what is dropped goes to `warnings`. */
function readItems(nlu: readonly unknown[], warnings: string[]): Items {
  const items: Items = { intents: new Map(), synonyms: [], entities: new EntityTable(), lookups: [] };
  nlu.forEach((item, k) => {
    const at = ['nlu', k];
    const kinds = isRecord(item) ? ITEM_KINDS.filter((kind) => kind in item) : [];
    if (kinds.length !== 1) {
      const message = `an item with one of ${ITEM_KINDS.join(', ')}${kinds.length > 1 ? ` (not ${kinds.join(' and ')})` : ''}`;
      throw invalid('Rasa NLU data', [{ path: `nlu.${k}`, message }]);
    }
    const kind = kinds[0] as ItemKind;
    const name = parseWith(Name, (item as Record<string, unknown>)[kind], 'Rasa NLU data', [...at, kind]);
    const examples = readExamples(parseWith(Item, item, 'Rasa NLU data', at).examples);
    if (kind === 'intent') return addIntent(items.intents, name, examples, k);
    const { texts, skipped } = examples;
    if (skipped.length > 0) warnings.push(`${kind} ${name}: ${skippedLines(skipped)}`);
    if (kind === 'synonym') {
      const words = unique([name, ...texts]);
      if (words.length < 2) warnings.push(`synonym ${name}: no examples besides itself; skipped`);
      else items.synonyms.push({ name, words });
      return;
    }
    if (!usableEntityName(name)) {
      warnings.push(`${kind} ${name}: not a name we can give an entity; dropped`);
      return;
    }
    if (kind === 'lookup') {
      const records = items.entities.recordsOf(name); // its place among the entities, even with no entries
      for (const text of texts) {
        const record = { type: 'synonyms' as const, value: text, words: [] as string[] };
        records.push(record);
        items.lookups.push({ record, text });
      }
      return;
    }
    for (const pattern of texts) {
      const compiled = compileSafeRegex(pattern);
      if (compiled.ok) items.entities.recordsOf(name).push({ type: 'pattern', pattern });
      else warnings.push(`regex ${name}: pattern ${JSON.stringify(pattern)} dropped: ${compiled.problem}`);
    }
  });
  return items;
}

/** Adds an intent item's examples to the intent of its path (an intent may come in several items). */
function addIntent(intents: Map<string, ReadIntent>, name: string, { texts, annotations, unreadable, skipped }: Examples, k: number): void {
  const path = labelPath(name);
  if (path === undefined) throw invalid('Rasa NLU data', [{ path: `nlu.${k}.intent`, message: `"${name}" is not ${LABEL_MESSAGE}` }]);
  let intent = intents.get(path);
  if (!intent) intents.set(path, (intent = { path, phrases: [], annotations: [], unreadable: 0, skipped: [] }));
  intent.phrases.push(...texts);
  intent.annotations.push(...annotations);
  intent.unreadable += unreadable;
  intent.skipped.push(...skipped);
}

/** An intent as imported: its phrases (annotations stripped), and a slot per annotated entity. */
type ImportedIntent = { path: string; phrases: string[]; slots?: { name: string; entity: string; array?: true }[] };

/** A text's entity value, and the words that come with it. */
type Resolve = (text: string) => { value: string; words: string[] };

/**
 * As Rasa's EntitySynonymMapper: a text an annotation gives a value ([checking](account_type:current)),
 * or a synonym's example, takes that value wherever it is found (other annotations, lookup
 * entries); this file's mappings first, then the project's other files' (context). `twoValues`:
 * the texts given two values (warnings).
 */
function entityValues({ intents, synonyms }: Items, context: RasaContext): { resolve: Resolve; twoValues: Set<string> } {
  const twoValues = new Set<string>();
  const valueOf = new Map<string, { value: string; words: readonly string[] }>();
  const map = (text: string, value: string, words: readonly string[], explicit: boolean) => {
    const key = text.toLowerCase();
    const known = valueOf.get(key);
    if (!known) valueOf.set(key, { value, words });
    else if (explicit && known.value.toLowerCase() !== value.toLowerCase()) twoValues.add(`"${text}" is given the values ${JSON.stringify(known.value)} and ${JSON.stringify(value)}; the first is kept`);
  };
  // Values given in this file (annotations, then synonyms' examples), then the other files'; the
  // synonyms' own names last (a name maps to itself unless a value was given it somewhere).
  const contextSynonyms = context.synonyms ?? [];
  for (const intent of intents.values()) for (const found of intent.annotations) for (const a of found) if (a.value !== undefined && a.value !== a.text) map(a.text, a.value, [], true);
  for (const g of synonyms) for (const w of g.words.slice(1)) map(w, g.name, g.words, true);
  for (const words of contextSynonyms) for (const w of words.slice(1)) map(w, words[0]!, words, false);
  for (const [text, value] of context.values ?? []) map(text, value, [], false);
  for (const g of synonyms) map(g.name, g.name, g.words, false);
  for (const words of contextSynonyms) map(words[0]!, words[0]!, words, false);
  const valueOfText = (text: string) => valueOf.get(text.toLowerCase())?.value ?? text;
  /**
   * A text's value, and the words that come with it (its synonym's words that have that value
   * too). An annotation's own value is in the map already (first given, first kept).
   */
  const resolve = (text: string) => {
    const known = valueOf.get(text.toLowerCase());
    const resolved = known?.value ?? text;
    return { value: resolved, words: [text, ...(known?.words ?? []).filter((w) => valueOfText(w) === resolved)] };
  };
  return { resolve, twoValues };
}

/**
 * The intents with a slot for each entity their annotations name (an array slot when one
 * example names it twice); each annotated text goes to its entity's records, under its value.
 * `unusable`: entity names of annotations we cannot give an entity (dropped, the text kept).
 */
function intentDefs({ intents, entities }: Items, resolve: Resolve, warnings: string[]): { defs: ImportedIntent[]; unusable: Set<string> } {
  const unusable = new Set<string>();
  const defs = [...intents.values()].map(({ path, phrases, annotations, unreadable, skipped }) => {
    const slots = new Map<string, { name: string; entity: string; array?: true }>();
    let rolesOrGroups = 0;
    for (const found of annotations) {
      const spans = new Map<string, Set<number>>(); // entity → the annotations of this example naming it
      for (const a of found) {
        const builtin = resolveBuiltinEntity(a.entity) !== undefined; // [5](number): our number fills the slot, no records
        if (!builtin && !usableEntityName(a.entity)) {
          unusable.add(a.entity);
          continue;
        }
        if (!builtin) {
          const { value, words } = resolve(a.text);
          entities.recordOf(a.entity, value).words.push(...words);
        }
        if (a.roleOrGroup) rolesOrGroups++;
        spans.set(a.entity, (spans.get(a.entity) ?? new Set()).add(a.span));
      }
      for (const [entity, at] of spans) {
        const slot = slots.get(entity) ?? { name: entity, entity };
        if (at.size > 1) slot.array = true; // an example holds two: the slot collects every value
        slots.set(entity, slot);
      }
    }
    if (rolesOrGroups > 0) warnings.push(`${path}: the roles and groups of ${plural(rolesOrGroups, 'entity annotation')} are not imported; their values fill the entity's slot`);
    if (unreadable > 0) warnings.push(`${path}: ${plural(unreadable, 'entity annotation')} naming no entity or holding no text dropped (the text is kept)`);
    if (skipped.length > 0) warnings.push(`${path}: ${skippedLines(skipped)}`);
    return { path, phrases, ...(slots.size > 0 && { slots: [...slots.values()] }) };
  });
  return { defs, unusable };
}

/** One synonyms record per value (at the first's place, the words of all, once each); pattern records as they are. */
function joinValues<R extends EntityRecord>(records: readonly R[]): R[] {
  const out: R[] = [];
  for (const r of records) {
    const same = r.type === 'synonyms' ? out.find((o) => o.type === 'synonyms' && o.value === r.value) : undefined;
    if (same?.type === 'synonyms' && r.type === 'synonyms') same.words = unique([...same.words, ...r.words]);
    else out.push(r.type === 'synonyms' ? { ...r, words: unique(r.words) } : r);
  }
  return out;
}

function skippedLines(lines: string[]): string {
  return `skipped ${plural(lines.length, 'example line')} not starting with "-" (${lines.map((l) => JSON.stringify(l)).join(', ')})`;
}
