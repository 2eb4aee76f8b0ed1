import { type ClassifyOptions } from '../../src/engine/classifier.js';
import { createClassifier } from '../../src/lexicons.js';
import { Classification } from '../../src/engine/classify.js';
import { roundScore } from '../../src/engine/score/rounding.js';
import { PreparedModel } from '../../src/engine/prepare/prepared-model.js';
import { Settings } from '../../src/config.js';
import type { Model } from '../../src/model/model-schema.js';
import { compileJaicp, seededRandom } from '../helpers.js';
import { bruteForce } from './brute-force.js';

/*
 * The search against aligning every phrase (brute-force.ts), in the ways search.test.ts does
 * not reach: many classifications of one model stepped in turn and paused at every clock check
 * (they share the model's scratch arrays, and the candidates are gathered lazily); intents whose
 * phrases are not contiguous (no intentStart: bounds phrase by phrase); intents with fewer phrases
 * than intentTopK; phrases repeated across intents (ties).
 */

function makeModel(seed: number, intentCount: number) {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const common = ['what', 'is', 'the', 'my', 'i', 'to', 'a', 'can', 'you', 'how'];
  const rare = Array.from({ length: 120 }, (_, k) => `w${k.toString(36)}${'xyzq'[k % 4]}ord`);
  const word = () => (random() < 0.45 ? pick(common) : pick(rare));
  const intents = Array.from({ length: intentCount }, (_, i) => ({
    path: `/i${i}`,
    phrases: Array.from({ length: 1 + Math.floor(random() ** 2 * 30) }, () => {
      const words = Array.from({ length: 1 + Math.floor(random() * 6) }, word);
      if (random() < 0.05) words.push('@City');
      if (random() < 0.05) words.push('was');
      return words.join(' ');
    }),
  }));
  for (let k = 0; k < 10; k++) pick(intents).phrases.push(pick(pick(intents).phrases)); // ties across intents
  const { model } = compileJaicp({
    language: 'en',
    synonyms: [{ words: [rare[0]!, rare[1]!] }],
    entities: [{ name: 'City', records: [{ type: 'synonyms', value: 'Paris', words: ['Paris'] }, { type: 'synonyms', value: 'New York', words: ['New York'] }] }],
    intents,
  });
  const extras = ['whats', 'about', 'something', 'paris', 'new', 'york', 'ac', 'xq', 'wi'];
  const texts = Array.from({ length: 50 }, () => Array.from({ length: 1 + Math.floor(random() * 7) }, () => (random() < 0.1 ? pick(extras) : word())).join(' '));
  return { model, texts, random };
}

/** The same model with its phrases in a shuffled order, so an intent's phrases are not contiguous. */
function shuffled(model: Model, random: () => number): Model {
  const n = model.phrases.length;
  const order = Array.from({ length: n }, (_, k) => k);
  for (let k = n - 1; k > 0; k--) {
    const j = Math.floor(random() * (k + 1));
    [order[k], order[j]] = [order[j]!, order[k]!];
  }
  const newId = new Array<number>(n);
  order.forEach((old, at) => (newId[old] = at));
  return { ...model, phrases: order.map((old) => model.phrases[old]!), postings: model.postings.map((l) => l.map((p) => newId[p]!).sort((a, b) => a - b)) };
}

const variants: ClassifyOptions[] = [{ intentTopK: 6, nBest: 1 }, { intentTopK: 3, nBest: 3 }];
for (const probabilityWeight of [0.05, 1, 10]) {
  for (const intentTopK of [1, 6]) {
    for (const nBest of [1, 5]) variants.push({ probabilityWeight, intentTopK, nBest, acronymMatch: (intentTopK + nBest) % 2 ? 0 : 0.5 });
  }
}

describe.each([
  [1, 8, false],
  [2, 8, true],
  [3, 30, false],
  [4, 30, true],
] as const)('model %i (%i intents, phrases shuffled: %s)', (seed, intentCount, shuffle) => {
  const made = makeModel(seed, intentCount);
  const model = shuffle ? shuffled(made.model, made.random) : made.model;
  const pm = new PreparedModel(model);
  const classifier = createClassifier(model);
  const rows = (list: { intent: string; score: number; phrase: string | null }[]) => list.map((a) => [a.intent, a.score, a.phrase]);

  test('the model is what the case needs', () => {
    expect(pm.intentStart === undefined).toBe(shuffle);
  });

  test.each(variants.map((v, k) => [k, v] as const))('variant %i: sync, and stepped in turn with the others, equal brute force', (_, options) => {
    const s = Settings.parse({ ...model.settings, ...options, threshold: 0 });
    // Every text at once on one PreparedModel, one step each in turn, each pausing at every clock check.
    let clock = 0;
    const jobs = made.texts.map((text) => new Classification(pm, text, s, { now: () => clock++, explain: false }));
    const stepped: unknown[][] = [];
    for (let left = jobs.length; left > 0; ) {
      jobs.forEach((job, k) => {
        if (stepped[k]) return;
        const step = job.step(clock);
        if (step.done) {
          stepped[k] = rows(step.event.alternatives);
          left--;
        }
      });
    }
    made.texts.forEach((text, k) => {
      const expected = bruteForce(text, s, model, pm).map((r) => [r.intent, roundScore(r.score), r.phrase]);
      expect({ text, got: rows(classifier.classifySync(text, { ...options, threshold: 0, explain: false, timeLimit: 0 }).alternatives) }).toEqual({ text, got: expected });
      expect({ text, stepped: stepped[k] }).toEqual({ text, stepped: expected });
    });
  });
});
