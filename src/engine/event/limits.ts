import type { Settings } from '../../config.js';
import { countSymbols, countWords } from '../../text/normalize.js';
import type { LimitInfo, UntimedEvent } from './events.js';

/** The event of a classification a limit stopped: which limit, and nothing else decided. */
export function limitEvent(event: 'lengthLimit' | 'timeLimit', limit: LimitInfo, modelId: string): UntimedEvent {
  return { event, intent: null, score: null, phrase: null, alternatives: [], limit, modelId };
}

/** lengthLimit: characters (Unicode code points) first, then words as JAICP counts them; before any other work. */
export function checkLength(text: string, s: Pick<Settings, 'lengthLimit' | 'wordLimit'>): LimitInfo | undefined {
  if (text.length > s.lengthLimit) {
    const symbols = countSymbols(text);
    if (symbols > s.lengthLimit) return { kind: 'symbols', max: s.lengthLimit, actual: symbols };
  }
  if (text.length > s.wordLimit) {
    const words = countWords(text);
    if (words > s.wordLimit) return { kind: 'words', max: s.wordLimit, actual: words };
  }
  return undefined;
}
