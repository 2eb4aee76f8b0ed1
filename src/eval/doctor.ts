import { findEntityReferences } from '../entities/names.js';
import { uncalibrated } from '../engine/score/calibration.js';
import { compileIntentSet, createClassifier, type CompileDeps, type IntentDef, type IntentSet, type Model } from '../index.js';

/**
 * `sts doctor`: what to fix in training data before shipping it. Each check is a function of
 * the intent set (and models compiled from it); each finding says what is wrong and what to do.
 */
export type FindingKind = 'near-duplicate' | 'confused-intents' | 'few-phrases' | 'unused-entity' | 'unmatched-pattern';

export interface Finding {
  kind: FindingKind;
  /** The intents concerned (the entity's name for unused-entity). */
  subjects: string[];
  /** What is wrong, in one sentence. */
  message: string;
  /** What to do about it. */
  advice: string;
  /** Examples: the phrases or patterns concerned. */
  examples: string[];
}

export interface DoctorOptions {
  /** An intent with fewer phrases (and no pattern) is reported. */
  minPhrases?: number;
  /** Phrases of two intents at or above this similarity are near duplicates. */
  duplicateScore?: number;
  /** Cross-validation folds for the confused-intents check. */
  folds?: number;
  /** A pair of intents is reported when at least this many held-out phrases of one went to the other… */
  minConfused?: number;
  /** …and they are at least this share of its held-out phrases (a stray phrase or two is noise). */
  minConfusedShare?: number;
  /** The WordNet lookup, when the set asks for WordNet. */
  deps?: CompileDeps;
  /** Called as work is done, for a progress bar: the step and how far it is. */
  onProgress?: (step: string, done: number, total: number) => void;
}

export const DOCTOR_DEFAULTS = { minPhrases: 5, duplicateScore: 0.9, folds: 5, minConfused: 2, minConfusedShare: 0.3 } as const;

export interface DoctorReport {
  intents: number;
  phrases: number;
  findings: Finding[];
}

export async function examine(set: IntentSet, options: DoctorOptions = {}): Promise<DoctorReport> {
  const o = { ...DOCTOR_DEFAULTS, ...options };
  const untuned: IntentSet = { ...set, settings: { ...set.settings, tuneProbabilityWeight: false } };
  const compile = (s: IntentSet): Model => compileIntentSet(s, o.deps ?? {}).model;
  const model = compile(untuned);
  const findings = [
    ...fewPhrases(set.intents, o.minPhrases),
    ...(await nearDuplicates(model, o.duplicateScore, o.onProgress)),
    ...(await confusedIntents(untuned, compile, o, o.onProgress)),
    ...unusedEntities(set),
    ...(await unmatchedPatterns(untuned, compile, o.onProgress)),
  ];
  return { intents: model.intents.length, phrases: model.phrases.length, findings };
}

function fewPhrases(intents: readonly IntentDef[], min: number): Finding[] {
  return intents
    .filter((i) => i.phrases.length < min && (i.patterns ?? []).length === 0)
    .map((i) => ({
      kind: 'few-phrases' as const,
      subjects: [i.path],
      message: `${i.path} has ${i.phrases.length} training phrase${i.phrases.length === 1 ? '' : 's'} (fewer than ${min})`,
      advice: `add phrases as users would say them, in different words, until it has at least ${min}`,
      examples: i.phrases.slice(0, 3),
    }));
}

/** Phrases of different intents that the model finds (nearly) the same: one of them is in the wrong intent, or the intents overlap. */
async function nearDuplicates(model: Model, minScore: number, onProgress: DoctorOptions['onProgress']): Promise<Finding[]> {
  const classifier = createClassifier(model);
  const pairs = new Map<string, { a: string; b: string; intentA: string; intentB: string; score: number }>();
  for (const [k, p] of model.phrases.entries()) {
    const own = model.intents[p.intent]!.path;
    // The phrases' own similarity: without the regression's factors, and as scored before calibration.
    const e = classifier.classifySync(p.text, { threshold: 0, nBest: 3, explain: false, probabilityWeight: 0, probabilityFloor: 0 });
    for (const alt of e.alternatives) {
      const similarity = uncalibrated(model.calibration, alt.score);
      if (alt.intent === own || alt.pattern !== undefined || similarity < minScore) continue;
      const [first, second] = [`${own}\u0000${p.text}`, `${alt.intent}\u0000${alt.phrase}`].sort() as [string, string];
      const key = `${first}\u0001${second}`;
      const seen = pairs.get(key);
      if (!seen || seen.score < similarity) pairs.set(key, { a: p.text, b: alt.phrase, intentA: own, intentB: alt.intent, score: similarity });
    }
    onProgress?.('near duplicates', k + 1, model.phrases.length);
  }
  return [...pairs.values()]
    .sort((x, y) => y.score - x.score)
    .map((d) => ({
      kind: 'near-duplicate' as const,
      subjects: [d.intentA, d.intentB],
      message: `"${d.a}" (${d.intentA}) and "${d.b}" (${d.intentB}) are near duplicates (similarity ${d.score.toFixed(2)})`,
      advice: `keep the phrase in the one intent it belongs to and reword or remove the other; if both intents mean the same, merge them`,
      examples: [d.a, d.b],
    }));
}

/**
 * Cross-validation on the intents' own phrases: each phrase of an intent with two or more is
 * held out once (fold by its place in its intent, so the result is the same every run), the rest
 * compiled, and the held-out phrase classified. Pairs of intents that trade phrases are reported.
 */
async function confusedIntents(
  set: IntentSet,
  compile: (s: IntentSet) => Model,
  { folds, minConfused, minConfusedShare }: { folds: number; minConfused: number; minConfusedShare: number },
  onProgress: DoctorOptions['onProgress'],
): Promise<Finding[]> {
  const confusions = new Map<string, { gold: string; predicted: string; phrases: string[] }>();
  const heldOutOf = new Map<string, number>();
  for (let f = 0; f < folds; f++) {
    const heldOut: { intent: string; text: string }[] = [];
    const intents = set.intents.map((i) => {
      if (i.phrases.length < 2) return i;
      const kept = i.phrases.filter((text, k) => {
        const out = k % folds === f;
        if (out) heldOut.push({ intent: i.path, text });
        return !out;
      });
      return { ...i, phrases: kept };
    });
    if (heldOut.length > 0) {
      const classifier = createClassifier(compile({ ...set, intents }));
      for (const h of heldOut) {
        heldOutOf.set(h.intent, (heldOutOf.get(h.intent) ?? 0) + 1);
        const top = classifier.classifySync(h.text, { threshold: 0, nBest: 1, explain: false }).alternatives[0]?.intent;
        if (top === undefined || top === h.intent) continue;
        const key = `${h.intent}\u0000${top}`;
        const c = confusions.get(key) ?? { gold: h.intent, predicted: top, phrases: [] };
        c.phrases.push(h.text);
        confusions.set(key, c);
      }
    }
    onProgress?.('cross-validation', f + 1, folds);
  }
  // One finding per unordered pair, with both directions counted.
  const pairs = new Map<string, { a: string; b: string; aToB: string[]; bToA: string[] }>();
  for (const c of confusions.values()) {
    const [a, b] = [c.gold, c.predicted].sort() as [string, string];
    const pair = pairs.get(`${a}\u0000${b}`) ?? { a, b, aToB: [], bToA: [] };
    (c.gold === a ? pair.aToB : pair.bToA).push(...c.phrases);
    pairs.set(`${a}\u0000${b}`, pair);
  }
  return [...pairs.values()]
    .filter((p) => {
      const strong = (from: string, n: number) => n >= minConfused && n >= minConfusedShare * (heldOutOf.get(from) ?? 0);
      return strong(p.a, p.aToB.length) || strong(p.b, p.bToA.length);
    })
    .sort((x, y) => y.aToB.length + y.bToA.length - (x.aToB.length + x.bToA.length))
    .map((p) => {
      const of = (from: string, to: string, n: number) => `${n} of ${heldOutOf.get(from) ?? 0} held-out phrases of ${from} went to ${to}`;
      const parts = [p.aToB.length > 0 && of(p.a, p.b, p.aToB.length), p.bToA.length > 0 && of(p.b, p.a, p.bToA.length)].filter(Boolean);
      return {
        kind: 'confused-intents' as const,
        subjects: [p.a, p.b],
        message: `cross-validation confuses ${p.a} and ${p.b}: ${parts.join('; ')}`,
        advice: `if they mean the same, merge them; else add phrases that say what tells them apart, and move phrases that belong to the other intent`,
        examples: [...p.aToB, ...p.bToA].slice(0, 5),
      };
    });
}

/** Custom entities that no phrase, pattern or slot refers to: they are only ever listed in events' entities. */
function unusedEntities(set: IntentSet): Finding[] {
  const used = new Set<string>(set.allowedPatterns ?? []);
  for (const i of set.intents) {
    for (const text of [...i.phrases, ...(i.patterns ?? [])]) for (const r of findEntityReferences(text)) used.add(r.name);
    for (const s of i.slots ?? []) used.add(s.entity);
  }
  return (set.entities ?? [])
    .filter((e) => !used.has(e.name))
    .map((e) => ({
      kind: 'unused-entity' as const,
      subjects: [e.name],
      message: `entity ${e.name} is used by no phrase, pattern or slot`,
      advice: `refer to it as @${e.name} in phrases or patterns, or fill a slot with it; remove it if nothing needs it`,
      examples: [],
    }));
}

/**
 * Patterns that match none of the training phrases. Each pattern gets an intent of its own in a
 * probe model with no phrases, so the classifier tells which patterns a phrase matches.
 */
async function unmatchedPatterns(set: IntentSet, compile: (s: IntentSet) => Model, onProgress: DoctorOptions['onProgress']): Promise<Finding[]> {
  const owners: { intent: string; pattern: string }[] = [];
  const probeIntents = set.intents.flatMap((i) => (i.patterns ?? []).map((pattern) => ({ path: `/p${owners.push({ intent: i.path, pattern }) - 1}`, phrases: [], patterns: [pattern] })));
  if (probeIntents.length === 0) return [];
  const texts = set.intents.flatMap((i) => i.phrases);
  const probe = createClassifier(compile({ ...set, synonyms: set.synonyms, intents: probeIntents }));
  const matched = new Set<string>();
  for (const [k, text] of texts.entries()) {
    const e = probe.classifySync(text, { threshold: 0, nBest: Math.min(probeIntents.length, MAX_N_BEST), explain: false });
    for (const alt of e.alternatives) if (alt.score > 0) matched.add(alt.intent);
    onProgress?.('patterns', k + 1, texts.length);
  }
  return owners.flatMap((o, k) =>
    matched.has(`/p${k}`)
      ? []
      : [
          {
            kind: 'unmatched-pattern' as const,
            subjects: [o.intent],
            message: `pattern "${o.pattern}" of ${o.intent} matches none of the ${texts.length} training phrases`,
            advice: `add a phrase the pattern is meant to catch to ${o.intent}, and check with "sts classify" that the pattern matches it`,
            examples: [o.pattern],
          },
        ],
  );
}

/** The largest nBest a call may ask for (config.ts); a phrase matches far fewer patterns. */
const MAX_N_BEST = 1000;
