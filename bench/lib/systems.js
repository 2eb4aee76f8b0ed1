// The three systems under test, behind one interface so the worker measures them alike:
//   const s = await makeSystem(name, settings, language); await s.train(rows); const { top, score } = await s.predict(text);
// `language` ('en' or 'ru') is the data set's: ours is told it (as detection would find it), NLP.js
// loads that language's pack and natural's Bayes that language's Porter stemmer.
// rows are { text, intent } with intent non-null (out-of-scope rows are never trained);
// `top` is an intent path (labelToPath of the label) or null, `score` the system's own top score;
// `native`, where the system has a reject rule of its own, is what it would answer out of the box
// (an intent path, or null for no match), scored separately from the tuned threshold.
import { labelToPath } from '../../dist/model/parse-training-list.js';

export const SYSTEMS = ['ours', 'nlpjs', 'bayes'];

export async function makeSystem(name, settings, language = 'en') {
  if (language !== 'en' && language !== 'ru') throw new Error(`no peer set-up for language "${language}" (known: en, ru)`);
  if (name === 'ours') return ours(settings, language);
  if (name === 'nlpjs') return nlpjs(language);
  if (name === 'bayes') return bayes(language);
  throw new Error(`unknown system "${name}" (known: ${SYSTEMS.join(', ')})`);
}

/** sts-classifier, exactly as a bot would use it: compile, then classifySync with threshold 0. */
async function ours(settings, language) {
  const { compileIntentSet, createClassifier } = await import('../../dist/index.js');
  const { rowsToIntents } = await import('../../dist/model/parse-training-list.js');
  let classifier;
  return {
    /** The trained classifier (bench/speed.js times its calls directly). */
    get classifier() {
      return classifier;
    },
    async train(rows) {
      const { model } = compileIntentSet({ settings, synonyms: [], stopWords: [], intents: rowsToIntents(rows).intents, language });
      classifier = createClassifier(model);
      this.nativeRule = `match if score > ${model.settings.threshold} (the model's threshold)`;
    },
    predict(text) {
      // Threshold 0, nBest 1: we need only the best intent and its score; thresholds are applied later.
      const top = classifier.classifySync(text, { threshold: 0, nBest: 1, explain: false }).alternatives[0];
      const score = top?.score ?? 0;
      // Out of the box a bot gets match only above the model's threshold (the same `>` as decide()).
      const native = top && score > classifier.model.settings.threshold ? top.intent : null;
      return { top: top?.intent ?? null, score, native };
    },
  };
}

/**
 * NLP.js v4 with its defaults (neural NLU, None feature, sentiment on), no model file. English
 * comes with @nlpjs/basic; Russian is its documented plug-in, `use: ['Basic', 'LangRu']` with
 * @nlpjs/lang-ru installed (its tokenizer, Snowball stemmer, stop words, normalizer, sentiment).
 */
async function nlpjs(language) {
  // @nlpjs/logger builds a pino logger with prettyPrint unless NODE_ENV=production, which only
  // prints a deprecation warning; nothing is logged through it here.
  process.env.NODE_ENV ??= 'production';
  const { dockStart } = await import('@nlpjs/basic');
  // Settings given for 'nlp' replace Nlp's registerDefault ones whole, its threshold 0.5
  // included: that 0.5 is restated here, so that its own answers are the ones a user of
  // `dockStart({ use: ['Basic'] })` gets (None below 0.5), with model files off.
  const dock = await dockStart({
    use: language === 'en' ? ['Basic'] : ['Basic', 'LangRu'],
    settings: { nlp: { threshold: 0.5, autoSave: false, autoLoad: false, modelFileName: '', log: false } },
  });
  const nlp = dock.get('nlp');
  nlp.addLanguage(language);
  return {
    /** The trained Nlp instance (bench/speed.js times `nlp.process()` directly). */
    nlp,
    nativeRule: `its own \`intent\`: None below its threshold ${nlp.settings.threshold} or when its None class wins`,
    async train(rows) {
      for (const r of rows) nlp.addDocument(language, r.text, r.intent);
      // Its neural network prints "Epoch N loss …" with console.log whatever the settings say;
      // printing thousands of lines would also be timed, so console.log is muted while training.
      const log = console.log;
      console.log = () => {};
      try {
        await nlp.train();
      } finally {
        console.log = log;
      }
    },
    async predict(text) {
      const r = await nlp.process(language, text);
      // "None" is NLP.js's no-match class: the top-1 is the best real intent, and its score is
      // what the threshold is tuned on; r.intent (None or not) is its own out-of-the-box answer.
      const best = (r.classifications ?? []).find((c) => c.intent !== 'None' && c.score > 0);
      return { top: best ? labelToPath(best.intent) : null, score: best?.score ?? 0, native: r.intent === 'None' ? null : labelToPath(r.intent) };
    },
  };
}

/**
 * natural's multinomial-ish BayesClassifier with its defaults (Porter stemmer, stop words dropped);
 * for Russian, natural's PorterStemmerRu (its Russian tokenizer and stop words come with it).
 */
async function bayes(language) {
  // The deep imports avoid loading all of natural (WordNet, taggers…) and inflating peak RSS.
  const { default: BayesClassifier } = await import('natural/lib/natural/classifiers/bayes_classifier.js');
  const stemmer = language === 'ru' ? (await import('natural/lib/natural/stemmers/porter_stemmer_ru.js')).default : undefined;
  const classifier = new BayesClassifier(stemmer);
  return {
    async train(rows) {
      for (const r of rows) classifier.addDocument(r.text, r.intent);
      classifier.train();
    },
    predict(text) {
      // value is P(class)·ΠP(word|class), unnormalized: comparable within one text, and it is the
      // "top score" the threshold is tuned on, as the brief asks.
      const best = classifier.getClassifications(text)[0];
      return { top: best ? labelToPath(best.label) : null, score: best?.value ?? 0 };
    },
  };
}
