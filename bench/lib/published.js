// Figures copied from data/README.md, which gives their sources, and for few-shot CLINC150 from
// the README of jianguoz/Few-Shot-Intent-Detection (the source data/README.md quotes). They were
// NOT re-run here; they are printed next to ours only as the published reference points.

/**
 * The few-shot leaderboard of jianguoz/Few-Shot-Intent-Detection for the held-out sets (in-scope
 * accuracy, %): one row a model, its figures in the order of HELD_OUT_SETS.
 */
const HELD_OUT_SETS = ['banking77-5shot', 'banking77-10shot', 'hwu64-5shot', 'hwu64-10shot'];
const HELD_OUT_LEADERBOARD = [
  ['RoBERTa+Classifier', 74.04, 84.27, 75.56, 82.9],
  ['USE', 76.29, 84.23, 77.79, 83.75],
  ['ConveRT', 75.32, 83.32, 76.95, 82.65],
  ['USE+ConveRT', 77.75, 85.19, 80.01, 85.83],
  ['DNNC', 80.4, 86.71, 80.46, 84.72],
  ['CPFT', 80.86, 87.2, 82.03, 87.13],
  ['ICDA', 84.01, 89.79, 82.45, 87.41],
];

/** The summary's cell of each held-out set: the first two models, and the best listed. */
function heldOutCells() {
  return Object.fromEntries(
    HELD_OUT_SETS.map((set, i) => {
      const [first, second] = HELD_OUT_LEADERBOARD;
      const best = HELD_OUT_LEADERBOARD.reduce((a, b) => (b[i + 1] > a[i + 1] ? b : a));
      return [set, `${first[0]} ${first[i + 1].toFixed(2)}, ${second[0]} ${second[i + 1].toFixed(2)}; best listed ${best[0]} ${best[i + 1].toFixed(2)}`];
    }),
  );
}

/** The summary's "published" cell of the few-shot rows (in-scope accuracy, %). */
export const PUBLISHED_FEW_SHOT = {
  'clinc150-5shot': 'RoBERTa+Classifier 87.99, USE 87.82; best listed CPFT 92.34',
  'clinc150-10shot': 'RoBERTa+Classifier 91.55, USE 90.85, ConveRT 92.62, USE+ConveRT 93.26; best listed CPFT 94.18',
  ...heldOutCells(),
};

export const PUBLISHED = `## Published results (not re-run)

These figures are **copied from the literature, not re-run on this machine**; the sources and
the exact protocols are in \`data/README.md\`.

### CLINC150 "full" (Larson et al. 2019)

Larson et al. 2019, *An Evaluation Dataset for Intent Classification and Out-of-Scope
Prediction*, EMNLP-IJCNLP 2019 (https://www.aclweb.org/anthology/D19-1131), table "Benchmark
classifier results under each data condition" (Table 2 in the paper). In-scope accuracy over the
4,500 in-scope test queries, OOS recall over the 1,000 out-of-scope test queries. The
*oos-threshold* columns are the protocol this benchmark follows (threshold tuned on val).

| classifier | oos-train: in-scope acc. | oos-train: OOS recall | oos-threshold: in-scope acc. | oos-threshold: OOS recall |
|---|---|---|---|---|
| FastText | 89.0 | 9.7 | 88.6 | 28.3 |
| SVM | 91.0 | 14.5 | 88.2 | 18.0 |
| CNN | 91.2 | 18.9 | 90.9 | 30.9 |
| DialogFlow | 91.7 | 14.0 | 90.8 | 26.7 |
| Rasa | 91.5 | 45.3 | 90.9 | 31.2 |
| MLP (on USE embeddings) | 93.5 | 47.4 | 93.4 | 49.1 |
| BERT | 96.9 | 40.3 | 96.2 | 52.3 |

### CLINC150 few-shot (5 and 10 examples per intent)

The leaderboard "Few-shot intent detection results" of https://github.com/jianguoz/Few-Shot-Intent-Detection
(\`README.md\` at commit 0b80cf2, CLINC150 column), whose \`Datasets/CLINC150/train_5\` and \`train_10\` are
this benchmark's \`train-5shot.jsonl\` and \`train-10shot.jsonl\`. Its note: "All the results are reported by the
paper authors." In-scope accuracy, %, on CLINC150's in-scope test queries with no out-of-scope rows (Casanueva
et al. 2020 used CLINC150 without them: PolyAI/DialoGLUE \`get_clinc_data.py\`); whether each paper trained on
exactly these files' phrases is not stated there (DNNC's code draws its few-shot samples at random). Compare with the **top-1 acc.** column above,
which is scored on the same 4,500 in-scope test queries. The 10-shot USE, ConveRT and USE+ConveRT figures are those of
Casanueva et al. 2020, *Efficient Intent Detection with Dual Sentence Encoders*, NLP4ConvAI
(https://www.aclweb.org/anthology/2020.nlp4convai-1.5/), as data/README.md says.

| model | 5-shot | 10-shot |
|---|---|---|
| RoBERTa+Classifier (Zhang et al. 2020, DNNC paper) | 87.99 | 91.55 |
| USE (Casanueva et al. 2020) | 87.82 | 90.85 |
| ConveRT (Casanueva et al. 2020) | 89.22 | 92.62 |
| USE+ConveRT (Casanueva et al. 2020) | 90.49 | 93.26 |
| ConvBERT (Mehri et al. 2020) | – | 92.10 |
| ConvBERT+MLM (Mehri et al. 2020) | – | 92.75 |
| ConvBERT+MLM+Example+Observers (Mehri et al. 2020) | – | 93.97 |
| DNNC (Zhang et al. 2020) | 91.02 | 93.76 |
| CPFT (Zhang et al. 2021) | 92.34 | 94.18 |

### Braun et al. 2017 corpora (intent F1)

Intent-only F1 from Botfuel, https://github.com/Botfuel/benchmark-nlp-2018 (\`README.md\`; LUIS,
API.ai, Watson and Rasa taken from Braun et al. 2017, SIGDIAL, http://www.aclweb.org/anthology/W17-3622).
Same train/test split as here; None rows not scored.

| system | Chatbot | AskUbuntu | WebApps | overall |
|---|---|---|---|---|
| LUIS | 0.98 | 0.90 | 0.81 | 0.91 |
| Watson Conversation | 0.97 | 0.92 | 0.83 | 0.92 |
| API.ai (Dialogflow) | 0.93 | 0.85 | 0.80 | 0.87 |
| Rasa | 0.98 | 0.86 | 0.74 | 0.88 |
| Botfuel (Botfuel, 2018) | 0.98 | 0.90 | 0.80 | 0.91 |
| Recast (Botfuel, 2018) | 0.99 | 0.86 | 0.75 | 0.89 |
| Snips (Botfuel, from Snips' results) | 0.96 | 0.83 | 0.78 | 0.89 |

### SNIPS (7 intents, Goo et al. 2018 split, 700 test queries)

Intent accuracy: slot-gated BLSTM with attention (Goo et al. 2018, NAACL-HLT, as listed by
paperswithcode.com) **97.0**; monologg/JointBERT (unofficial reimplementation of Chen et al. 2019,
README table) BERT **99.14**, BERT+CRF **98.57**.
`;

export const PUBLISHED_HELD_OUT = `## Published results (not re-run)

Copied from the leaderboard "Few-shot intent detection baselines" of
https://github.com/jianguoz/Few-Shot-Intent-Detection (\`README.md\` at commit fa95533), whose
\`Datasets/BANKING77\` and \`Datasets/HWU64\` splits are \`data/banking77\` and \`data/hwu64\`. In-scope
accuracy, %, on the same test files; its note: the 5-shot RoBERTa+Classifier, DNNC and CPFT figures
and all the 10-shot figures are the papers' own. Compare with the **top-1 acc.** column above.

| model | BANKING77 5-shot | BANKING77 10-shot | HWU64 5-shot | HWU64 10-shot |
|---|---|---|---|---|
${HELD_OUT_LEADERBOARD.map(([model, ...figures]) => `| ${model} | ${figures.map((x) => x.toFixed(2)).join(' | ')} |`).join('\n')}
`;
