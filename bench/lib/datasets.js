// The data sets bench:accuracy runs, in report order: where each one's files are (data/<dir>/,
// <train>.jsonl → test.jsonl, val.jsonl where present) and its language, which picks each peer's
// language pack (NLP.js) or stemmer (natural). The few-shot rows train on a subset of CLINC150's
// train split and are scored on its full test split, out-of-scope rows included.
//
// The held-out sets (BANKING77 and HWU64 with 5 and 10 phrases per intent) run only under
// `--held-out` (npm run bench:held-out), into a section of their own: no setting was chosen on
// them, and they say how the default does on data nobody tuned it for.
export const DATASETS = {
  clinc150: { dir: 'clinc150', train: 'train', language: 'en', title: 'CLINC150 (full train)' },
  'clinc150-5shot': { dir: 'clinc150', train: 'train-5shot', language: 'en', title: 'CLINC150, 5 phrases/intent (`train-5shot.jsonl`)' },
  'clinc150-10shot': { dir: 'clinc150', train: 'train-10shot', language: 'en', title: 'CLINC150, 10 phrases/intent (`train-10shot.jsonl`)' },
  'ru-support': { dir: 'ru-support', train: 'train', language: 'ru', title: '`ru-support` (Russian, 7–8 phrases/intent)' },
  snips: { dir: 'snips', train: 'train', language: 'en', title: 'SNIPS' },
  'braun-chatbot': { dir: 'braun-chatbot', train: 'train', language: 'en', title: 'Braun Chatbot' },
  'braun-askubuntu': { dir: 'braun-askubuntu', train: 'train', language: 'en', title: 'Braun AskUbuntu' },
  'braun-webapps': { dir: 'braun-webapps', train: 'train', language: 'en', title: 'Braun WebApps' },
  'banking77-5shot': { dir: 'banking77', train: 'train-5shot', language: 'en', title: 'BANKING77, 5 phrases/intent (held out)', heldOut: true },
  'banking77-10shot': { dir: 'banking77', train: 'train-10shot', language: 'en', title: 'BANKING77, 10 phrases/intent (held out)', heldOut: true },
  'hwu64-5shot': { dir: 'hwu64', train: 'train-5shot', language: 'en', title: 'HWU64, 5 phrases/intent (held out)', heldOut: true },
  'hwu64-10shot': { dir: 'hwu64', train: 'train-10shot', language: 'en', title: 'HWU64, 10 phrases/intent (held out)', heldOut: true },
};

/** What bench:accuracy runs. */
export const DATASET_NAMES = Object.keys(DATASETS).filter((d) => !DATASETS[d].heldOut);
/** What bench:held-out runs. */
export const HELD_OUT_NAMES = Object.keys(DATASETS).filter((d) => DATASETS[d].heldOut);
