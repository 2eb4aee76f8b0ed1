import type { StsEvent } from '../index.js';

/**
 * One readable line for an event, as `rasa shell nlu` prints on a terminal: the event, the
 * intent and its score against the threshold, the closest training phrase, slots and entities.
 */
export function formatEvent(e: StsEvent, threshold: number): string {
  const score = (x: number) => x.toFixed(3);
  const quoted = (s: string | null) => (s === null ? '' : `  "${s}"`);
  switch (e.event) {
    case 'match': {
      const slots = e.slots?.length ? `  slots: ${e.slots.map((s) => `${s.name}=${s.text}`).join(', ')}` : '';
      const missing = e.missingSlots?.length ? `  missing: ${e.missingSlots.join(', ')}` : '';
      const rule = e.rule === 'pattern' ? `  pattern ${e.pattern}` : e.rule === 'probability' ? '  by the regression over its words' : quoted(e.phrase);
      return `match    ${e.intent}  ${score(e.score ?? 0)} > ${threshold}${rule}${slots}${missing}`;
    }
    case 'noMatch': {
      const best = e.alternatives[0];
      return best ? `noMatch  best ${best.intent}  ${score(best.score)} ≤ ${threshold}${quoted(best.phrase)}` : 'noMatch  no intent shares a word with it';
    }
    default:
      return `${e.event}  ${e.limit.kind} ${e.limit.actual} > ${e.limit.max}`;
  }
}
