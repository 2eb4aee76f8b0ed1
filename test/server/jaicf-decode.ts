/**
 * JAICF's DTOs (activators/caila/.../dto/*.kt), as its kotlinx decoder reads them: every
 * property without a default must be present (a nullable one too), a non-nullable one non-null.
 * A type ending in "?" is nullable; [T] is a list of T; unknown keys are ignored.
 */
type Shape = string | [Shape] | { [key: string]: Shape };
const DTO: Record<string, Record<string, Shape>> = {
  CailaAnalyzeResponseData: { markup: 'CailaMarkupData', entitiesLookup: 'CailaPhraseMarkupData', inference: 'CailaInferenceResultsData' },
  CailaMarkupData: { source: 'string', correctedText: 'string', words: ['CailaWordData'] },
  CailaWordData: { startPos: 'number', endPos: 'number', source: 'string', word: 'string', punctuation: 'boolean' },
  CailaPhraseMarkupData: { text: 'string', entities: ['CailaEntityMarkupData'] },
  CailaEntitiesLookupResults: { text: 'string', entities: ['CailaEntityMarkupData'] },
  // slot has a default (= null): it may be left out.
  CailaEntityMarkupData: { entity: 'string', startPos: 'number', endPos: 'number', text: 'string', value: 'string', default: 'boolean?', system: 'boolean?', entityId: 'number?' },
  CailaInferenceResultsData: { phrase: 'CailaPhraseMarkupData', variants: ['CailaInferenceResultData'] },
  CailaInferenceResultData: { intent: 'CailaIntentData', confidence: 'number', slots: ['CailaKnownSlotData?'], debug: 'object?' },
  CailaIntentData: { id: 'number', path: 'string', answer: 'string?', customData: 'string?', slots: ['CailaSlotData?'] },
  CailaSlotData: { name: 'string', entity: 'string', required: 'boolean', prompts: ['string?'], array: 'boolean?' },
  // JAICF 1.x (since 4b012ef) reads array too.
  CailaKnownSlotData: { name: 'string', value: 'string', array: 'boolean?' },
};

/** Decodes `value` as JAICF would, throwing with the path of the first field it would fail on. */
export function jaicfDecode(type: Shape, value: unknown, at = '$'): void {
  if (Array.isArray(type)) {
    const element = type[0] as string;
    if (value === null && element.endsWith('?')) return; // a nullable list (List<T>?)
    if (!Array.isArray(value)) throw new Error(`${at}: expected a list, got ${JSON.stringify(value)}`);
    value.forEach((v, i) => jaicfDecode(element.replace(/\?$/, ''), v, `${at}[${i}]`));
    return;
  }
  if (typeof type !== 'string') throw new Error('unreachable');
  const nullable = type.endsWith('?');
  const name = type.replace(/\?$/, '');
  if (value === null) {
    if (!nullable) throw new Error(`${at}: null for a non-nullable ${name}`);
    return;
  }
  const fields = DTO[name];
  if (!fields) {
    if (typeof value !== name) throw new Error(`${at}: expected ${name}, got ${JSON.stringify(value)}`);
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${at}: expected an object ${name}`);
  for (const [key, shape] of Object.entries(fields)) {
    if (!(key in value)) throw new Error(`${at}.${key}: missing (Field '${key}' is required)`);
    jaicfDecode(shape, (value as Record<string, unknown>)[key], `${at}.${key}`);
  }
}
