import type { Model } from '../../model/model-schema.js';
import { createAnalyzer } from '../../text/analyze.js';
import { regressionInput, type FeatureSpace } from './features.js';
import type { ExtraRow } from './intent-probability.js';

/**
 * `intentNames`: each intent's name as one more training row of the regression, weighing as
 * much as one phrase. With five phrases an intent, its name ("pto_request", "/Billing/
 * PayInvoice") is often the plainest statement of what it is about. The name is read by the
 * regression only, not searched as a phrase: a name of one to three words aligned with a
 * request that shares one of them scores high, and out-of-scope text got through more often
 * (docs/experiments.md, "Intent names").
 *
 * A name is left out where it cannot describe: an intent without phrases (patterns alone decide
 * it), and a name not in the phrases' script (English names over Russian phrases). Words in
 * the names of more than half the intents ("main" of "/Main/Hello", "/Main/Bye") and numbers
 * tell nothing apart and are dropped.
 */
export function nameRows(model: Model, space: FeatureSpace, phraseIntent: Int32Array): ExtraRow[] {
  if (!model.settings.intentNames) return [];
  const phrasesOf = new Int32Array(model.intents.length);
  for (const c of phraseIntent) phrasesOf[c] = (phrasesOf[c] as number) + 1;
  const phraseScript = scriptOf(model.phrases.map((p) => p.text).join(' '));
  const analyze = createAnalyzer({ language: model.language, stopWords: model.stopWords, compounds: model.compounds });
  const named = model.intents.map((intent, c) => ((phrasesOf[c] as number) > 0 && scriptOf(nameText(intent.path)) === phraseScript ? analyze(nameText(intent.path)) : []));
  const inNames = new Map<string, number>();
  for (const words of named) for (const stem of new Set(words.map((w) => w.stem))) inNames.set(stem, (inNames.get(stem) ?? 0) + 1);
  const common = (stem: string) => model.intents.length > 2 && (inNames.get(stem) as number) * 2 > model.intents.length;
  const stemId = new Map(model.stems.map((stem, id) => [stem, id]));
  const rows: ExtraRow[] = [];
  named.forEach((all, intent) => {
    const words = all.filter((w) => !common(w.stem) && !/^\d+$/.test(w.form));
    if (words.length === 0) return;
    const stems = [...new Set(words.flatMap((w) => stemId.get(w.stem) ?? []))];
    rows.push({ input: regressionInput(space, stems, words.map((w) => w.form)), intent, weight: 1 });
  });
  return rows;
}

/**
 * The words of an intent's path: segments, "_", "-", "." and changes of case or from letters to
 * digits split it ("/Billing/PayInvoice2" → "billing pay invoice 2").
 */
export function nameText(path: string): string {
  return path
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{L})(\p{N})|(\p{N})(\p{L})/gu, '$1$3 $2$4')
    .split(/[\s/_.\-]+/)
    .filter((w) => w.length > 0)
    .join(' ')
    .toLowerCase();
}

/** Which of the two scripts the models read a text's letters are mostly in. */
function scriptOf(text: string): 'latin' | 'cyrillic' | 'none' {
  let latin = 0;
  let cyrillic = 0;
  for (const ch of text) {
    if (/\p{Script=Latin}/u.test(ch)) latin++;
    else if (/\p{Script=Cyrillic}/u.test(ch)) cyrillic++;
  }
  return latin === 0 && cyrillic === 0 ? 'none' : cyrillic > latin ? 'cyrillic' : 'latin';
}
