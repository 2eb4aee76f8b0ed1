import { ENTITY_TERM_PREFIX, type Model } from '../../model/model-schema.js';
import { createAnalyzer } from '../../text/analyze.js';
import { scriptLetters } from '../../text/stem.js';
import { regressionInput, type FeatureSpace } from './features.js';
import type { ExtraRow } from './intent-probability.js';

/**
 * `intentNames`: each intent's name as one more training row of the regression, weighing as
 * much as one phrase (docs/scoring.md, "What the regression reads", says why and what is left
 * out). A row is made only where the name can describe its intent:
 * - the name is in the script of the intent's own phrases, entity references aside (an English
 *   path over Russian phrases names them in a language its requests are not in), so an intent
 *   without phrases, which patterns alone decide, has none;
 * - words in more than half of those names ("main" of "/Main/Hello", "/Main/Bye" and
 *   "/Main/Help"), once there are FEWEST_FOR_COMMON of them, and numbers are dropped: they tell
 *   no intent apart;
 * - what is left gives the regression something to read (a known stem, a trigram or a vector):
 *   a row of nothing would move its intent's bias alone.
 */
export function nameRows(model: Model, space: FeatureSpace): ExtraRow[] {
  if (!model.settings.intentNames) return [];
  const scripts = intentScripts(model);
  const analyze = createAnalyzer({ language: model.language, stopWords: model.stopWords, compounds: model.compounds });
  const named = model.intents.map((intent, c) => {
    const text = nameText(intent.path);
    const script = scripts[c] as Script;
    return script !== 'none' && scriptOf(text) === script ? analyze(text).filter((w) => !/^\p{N}+$/u.test(w.form)) : [];
  });
  const withName = named.filter((words) => words.length > 0).length;
  const inNames = new Map<string, number>();
  for (const words of named) for (const stem of new Set(words.map((w) => w.stem))) inNames.set(stem, (inNames.get(stem) ?? 0) + 1);
  const common = (stem: string) => withName >= FEWEST_FOR_COMMON && (inNames.get(stem) as number) * 2 > withName;
  const stemId = new Map(model.stems.map((stem, id) => [stem, id]));
  const rows: ExtraRow[] = [];
  named.forEach((all, intent) => {
    const words = all.filter((w) => !common(w.stem));
    if (words.length === 0) return;
    const stems = [...new Set(words.flatMap((w) => stemId.get(w.stem) ?? []))];
    const input = regressionInput(space, stems, words.map((w) => w.form));
    if (input.stems.length > 0 || (input.grams?.length ?? 0) > 0 || input.dense !== undefined) rows.push({ input, intent, weight: 1 });
  });
  return rows;
}

/**
 * Names a word must be common to before it is dropped: of two names, any shared word is in both
 * ("/Taxi/Order", "/Taxi/Cancel"), and dropping it would leave each name one word.
 */
const FEWEST_FOR_COMMON = 3;

/**
 * The words of an intent's path: segments, "_", "-", ".", changes of case (an acronym ends
 * before its last capital when a lower-case letter follows) and changes between letters and
 * digits split it ("/Billing/PayInvoice2" → "billing pay invoice 2", "HTTPError" → "http error").
 */
export function nameText(path: string): string {
  return path
    .replace(/(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})|(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/gu, ' ')
    .split(/[\s/_.\-]+/)
    .filter((w) => w.length > 0)
    .join(' ')
    .toLowerCase();
}

type Script = 'latin' | 'cyrillic' | 'none';

/**
 * Each intent's script: the one most letters of its phrases' words are in, entity references
 * aside; 'none' for an intent without phrases.
 */
function intentScripts(model: Model): Script[] {
  const none = { latin: 0, cyrillic: 0 };
  const termLetters = model.terms.map((term) => (term.startsWith(ENTITY_TERM_PREFIX) ? none : scriptLetters(term)));
  const latin = new Float64Array(model.intents.length);
  const cyrillic = new Float64Array(model.intents.length);
  for (const phrase of model.phrases) {
    for (const t of phrase.terms) {
      const letters = termLetters[t] ?? none;
      latin[phrase.intent] = (latin[phrase.intent] as number) + letters.latin;
      cyrillic[phrase.intent] = (cyrillic[phrase.intent] as number) + letters.cyrillic;
    }
  }
  return model.intents.map((_, c) => decide(latin[c] as number, cyrillic[c] as number));
}

function scriptOf(text: string): Script {
  const { latin, cyrillic } = scriptLetters(text);
  return decide(latin, cyrillic);
}

function decide(latin: number, cyrillic: number): Script {
  return latin === 0 && cyrillic === 0 ? 'none' : cyrillic > latin ? 'cyrillic' : 'latin';
}
