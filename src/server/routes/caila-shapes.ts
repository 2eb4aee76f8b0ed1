import { resolveBuiltinEntity, SYSTEM_ENTITY_ALIASES } from '../../entities/index.js';
import type { FoundEntity, SlotValue, StsEvent } from '../../engine/event/events.js';
import type { ModelHead } from '../../model/model-head.js';
import type { SlotDef } from '../../model/source-schema.js';
import { tokenizeWithOffsets } from '../../text/normalize.js';
import { createStemmer } from '../../text/stem.js';

/*
 * The bodies of Caila's NLU API (reference §3), built from our events: pure functions of the
 * model and the event, so the routes stay thin. Shapes follow Caila's recorded answers that JAICF
 * tests with (its caila_responses fixtures): what JAICF's activator and slot filling read.
 */

/** A Caila client knows built-ins by Caila's names (number → duckling.number), custom entities by theirs. */
export function cailaEntityName(model: ModelHead, name: string): string {
  if (model.entityNames.includes(name)) return name;
  const builtin = resolveBuiltinEntity(name);
  if (builtin === undefined) return name;
  return Object.entries(SYSTEM_ENTITY_ALIASES).find(([, ours]) => ours === builtin)?.[0] ?? builtin;
}

/** Entities found in a text, as Caila's entitiesLookup lists them (positions, text, value as a string). */
export function cailaEntities(model: ModelHead, found: readonly FoundEntity[]) {
  return found.map((e) => {
    const id = model.entityNames.indexOf(e.entity);
    return {
      entity: cailaEntityName(model, e.entity),
      // Caila's lookup leaves the slot to the client (JAICF's slot filling sets it): null, as Caila answers.
      slot: null,
      startPos: e.start,
      endPos: e.end,
      text: e.text,
      value: String(e.value),
      default: false,
      system: id < 0,
      entityId: id < 0 ? null : id + 1,
    };
  });
}

/**
 * An intent's slot definitions as Caila gives them in `variants[].intent.slots`:
 * `{name, entity, required, prompts, array}`. JAICF's slot filling asks a missing required
 * slot's prompts, and fills it from the lookup's entity of the same name: so built-ins are
 * named as the lookup names them.
 */
export function cailaSlotDefs(model: ModelHead, defs: readonly SlotDef[]) {
  return defs.map((d) => ({ name: d.name, entity: cailaEntityName(model, d.entity), required: d.required, prompts: d.prompts ?? [], array: d.array }));
}

/** Caila's slot values, as JAICF reads them: `{name, value: string, array}`, one entry per value of an array slot. */
export function cailaSlots(filled: readonly SlotValue[], defs: readonly SlotDef[]) {
  return defs.flatMap((d) => filled.filter((f) => f.name === d.name).map((f) => ({ name: d.name, value: String(f.value), array: d.array })));
}

/**
 * The variants of an event classified with onlyAboveThreshold, as Caila lists them: only those
 * above the threshold (a noMatch is an empty list). Slot values are the matched intent's (the
 * first variant).
 */
export function cailaVariants(model: ModelHead, event: StsEvent, debug: boolean) {
  return event.alternatives.map((a) => {
    const index = model.intents.findIndex((i) => i.path === a.intent);
    const intent = model.intents[index]!;
    const filled = a.intent === event.intent ? (event.slots ?? []) : [];
    return {
      intent: { id: index + 1, path: intent.path, answer: intent.answer ?? null, customData: null, slots: cailaSlotDefs(model, intent.slots ?? []) },
      confidence: a.score,
      slots: cailaSlots(filled, intent.slots ?? []),
      // Always there, null unless asked for: JAICF's decoder requires the key (Caila sends "debug": null).
      debug: debug ? { phrase: a.phrase, event: event.event } : null,
    };
  });
}

const stemmers = new Map<string, (word: string) => string>();
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Spaces and invisible format characters (a zero-width joiner, a soft hyphen) are no marks. */
const SPACE = /^[\s\p{Cf}]+$/u;

/**
 * The text's markup, Caila's `markup.words` / `phraseMarkup`: each word and each punctuation
 * mark (a grapheme: an emoji sequence is one) with its offsets. `word` is the normalized form,
 * `annotations.lemma` its stem in the model's language (we have stems, not dictionary lemmas)
 * and `pos` null (no tagger). A span that normalizes to several words ("½" is "1⁄2") is one
 * entry, its forms and stems joined by spaces.
 */
export function cailaMarkup(language: string, text: string) {
  let stem = stemmers.get(language);
  if (!stem) stemmers.set(language, (stem = createStemmer(language)));
  const entry = (startPos: number, endPos: number, word: string, lemma: string, punctuation: boolean) => ({
    annotations: { lemma, pos: null },
    startPos,
    endPos,
    pattern: false,
    punctuation,
    source: text.slice(startPos, endPos),
    word,
  });
  const words: ReturnType<typeof entry>[] = [];
  const marks = (from: number, to: number) => {
    for (const g of graphemes.segment(text.slice(from, to))) {
      if (!SPACE.test(g.segment)) words.push(entry(from + g.index, from + g.index + g.segment.length, g.segment, g.segment, true));
    }
  };
  let at = 0;
  for (const t of tokenizeWithOffsets(text)) {
    const last = words.at(-1);
    if (last && !last.punctuation && last.startPos === t.start && last.endPos === t.end) {
      last.word += ` ${t.form}`;
      last.annotations.lemma += ` ${stem(t.form)}`;
      continue;
    }
    marks(at, t.start);
    words.push(entry(t.start, t.end, t.form, stem(t.form), false));
    at = t.end;
  }
  marks(at, text.length);
  return words;
}
