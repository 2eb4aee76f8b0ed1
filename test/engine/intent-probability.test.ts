import { checkProbabilitySize, intentProbabilities, trainingPasses, trainRegression } from '../../src/engine/intent-probability.js';
import { PreparedModel } from '../../src/engine/prepared-model.js';
import { StsError } from '../../src/errors.js';
import { compile } from '../../src/model/compile-source.js';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import { createClassifier } from '../../src/engine/classifier.js';
import { classifierFor } from '../helpers.js';

// Two intents whose phrases share most words; "to" belongs to /connection, "next" to /departure.
const transit: IntentsFileInput = {
  language: 'en',
  intents: [
    {
      path: '/departure',
      phrases: ['when is the next train from garching', 'when does the next bus leave', 'next train from odeonsplatz', 'when is the next bus in garching', 'when does the next tram leave from lehel'],
    },
    {
      path: '/connection',
      phrases: ['how do i get from garching to lehel', 'train from odeonsplatz to garching', 'how can i get to lehel', 'a bus from garching to odeonsplatz', 'how do i get to garching'],
    },
  ],
};

const probabilityOf = (c: ReturnType<typeof classifierFor>, text: string, intent: string) => {
  const e = c.classifySync(text, { threshold: 0, nBest: 2, probabilityWeight: 1 });
  const p = e.explanation!.probability!;
  return e.intent === intent ? p.probability : 1 - p.probability;
};

describe('P(intent | words)', () => {
  const c = classifierFor(transit);

  test('learns the words that tell intents apart, whatever else the text shares', () => {
    expect(probabilityOf(c, 'train to lehel', '/connection')).toBeGreaterThan(0.7);
    expect(probabilityOf(c, 'the next train', '/departure')).toBeGreaterThan(0.7);
  });

  test('the explanation gives each known request word its pull: + towards the intent, − away', () => {
    const e = c.classifySync('the next train to lehel', { threshold: 0, probabilityWeight: 1 });
    const words = Object.fromEntries(e.explanation!.probability!.words.map((w) => [w.word, w.evidence]));
    const towards = e.intent === '/connection' ? 1 : -1;
    expect(Math.sign(words['to']!)).toBe(towards);
    expect(Math.sign(words['next']!)).toBe(-towards);
    expect(Object.keys(words)).toEqual(['the', 'next', 'train', 'to', 'lehel']);
  });

  test('a score is the similarity times (P / P_max)^γ′, γ′ = γ × n / (n + 10) for n phrases per intent', () => {
    for (const text of ['when is the next train to garching', 'how do i get to lehel', 'a bus to the next train']) {
      const e = c.classifySync(text, { threshold: 0, probabilityWeight: 2 });
      const p = e.explanation!.probability!;
      expect(p.exponent).toBeCloseTo((2 * 5) / 15, 3);
      // Two intents: P_max is the larger of P and 1 − P; the favoured intent keeps its similarity score.
      expect(p.factor).toBeCloseTo((p.probability / Math.max(p.probability, 1 - p.probability)) ** ((2 * 5) / 15), 5);
      expect(e.score).toBeCloseTo(e.explanation!.score * p.factor, 5);
    }
  });

  test('never raises a score', () => {
    const texts = ['when is the next train to garching', 'the next bus from lehel', 'how do i get to odeonsplatz', 'garching'];
    for (const text of texts) {
      const plain = c.classifySync(text, { threshold: 0, nBest: 2 }).alternatives;
      const weighed = c.classifySync(text, { threshold: 0, nBest: 2, probabilityWeight: 1 }).alternatives;
      for (const a of weighed) expect(a.score).toBeLessThanOrEqual(plain.find((b) => b.intent === a.intent)!.score);
    }
  });

  test('an entity value in the request is the "@Entity" feature its phrases were trained with', () => {
    const weather = classifierFor({
      language: 'en',
      entities: [{ name: 'City', records: [{ type: 'synonyms', value: 'Paris', words: ['Paris'] }] }],
      intents: [
        { path: '/weather', phrases: ['weather in @City', 'is it raining in @City', 'forecast for @City'] },
        { path: '/hello', phrases: ['hello there', 'hi', 'good morning'] },
      ],
    });
    const words = weather.classifySync('weather in Paris', { probabilityWeight: 1 }).explanation!.probability!.words;
    expect(words.map((w) => w.word)).toEqual(['weather', 'in', '@City']);
    expect(words[2]!.evidence).toBeGreaterThan(0);
  });

  test('a per-call probabilityWeight trains the regression once, outside the request\u2019s time limit', () => {
    // 150 intents × 10 phrases: training takes longer than the limit here, classifying far less.
    const big = classifierFor({
      language: 'en',
      intents: Array.from({ length: 150 }, (_, i) => ({ path: `/i${i}`, phrases: Array.from({ length: 10 }, (_, k) => `topic${i} word${k} common${k % 7} filler`) })),
    });
    const first = big.classifySync('topic7 word3 common3', { probabilityWeight: 0.2, timeLimit: 100 });
    expect(first).toMatchObject({ event: 'match', intent: '/i7' });
    expect(first.elapsedMs).toBeLessThan(100);
  });

  test('trains to the fit: a pass that changes nothing ends the training, every phrase then fits', () => {
    // Three intents of 6 phrases: the intent's own stem (0, 1, 2) and one of the phrase's own.
    // Separable, so the fit is reached well before 100 passes.
    const stems = Array.from({ length: 18 }, (_, p) => [Math.floor(p / 6), 3 + p]);
    const flat = Int32Array.from(stems.flat());
    const start = Int32Array.from({ length: 19 }, (_, p) => 2 * p);
    const intent = Int32Array.from(stems, (s) => s[0]!);
    const regression = intentProbabilities(trainRegression(21, flat, start, intent, 3));
    expect(regression.passes).toBeLessThan(100);
    expect(regression.passes).toBeGreaterThan(1);
    const out = new Float64Array(3);
    stems.forEach((s, p) => {
      regression.predict(s, out);
      expect(out[intent[p]!]).toBeGreaterThan(0.99);
    });
  });

  test('is the same on every load (training is deterministic)', () => {
    const { model } = compile(transit);
    const out = [new Float64Array(2), new Float64Array(2)];
    [new PreparedModel(model), new PreparedModel(model)].forEach((pm, k) => pm.probabilities().predict([0, 1, 2, 3], out[k]!));
    expect(Array.from(out[0]!)).toEqual(Array.from(out[1]!));
  });

  test('one intent: P is 1, so scores are the similarity alone', () => {
    const one = classifierFor({ language: 'en', intents: [{ path: '/only', phrases: ['hello there', 'good morning'] }] });
    for (const text of ['hello', 'good evening', 'qwerty']) {
      expect(one.classifySync(text, { probabilityWeight: 1 }).score).toBe(one.classifySync(text).score);
    }
  });

  test('words no phrase has count nothing: a text of unknown words scores 0 (noMatch), not the intents\u2019 priors', () => {
    const e = c.classifySync('qwerty zxcvb', { probabilityWeight: 1 });
    expect(e.event).toBe('noMatch');
    expect(e.score).toBe(0);
  });

  test('refuses a model whose weights would not fit in memory, saying which setting to change', () => {
    const train = () => trainRegression(400_000, new Int32Array(0), new Int32Array(1), new Int32Array(0), 100);
    expect(train).toThrow(StsError);
    expect(train).toThrow(/probabilityWeight needs 400000 stems × 100 intents/);
  });

  test('training takes 10,000 steps in 10 to 100 passes, cut to a work budget; too big models are refused', () => {
    // features: the phrases' distinct stems summed (CLINC150: 14,958 phrases, 122,072; SNIPS 12,859, 112,169).
    expect(trainingPasses(2, 800, 100)).toBe(100);
    expect(trainingPasses(4, 400, 50)).toBe(100);
    expect(trainingPasses(20, 4_000, 400)).toBe(25);
    expect(trainingPasses(7, 112_169, 12_859)).toBe(10);
    expect(trainingPasses(150, 122_072, 14_958)).toBe(10);
    expect(trainingPasses(1000, 80_000, 20_000)).toBe(2);
    expect(trainingPasses(2000, 500_000, 60_000)).toBe(1);
    expect(() => checkProbabilitySize(1000, 2000, 500_000)).not.toThrow();
    expect(() => checkProbabilitySize(1000, 2000, 1_500_000)).toThrow(/1500000 phrase stems × 2000 intents = 3000000000 multiply-adds a training pass/);
  });

  test('the accurate preset turns it on (γ 0.2 before tuning); the JAICP defaults leave it off', () => {
    expect(classifierFor({ ...transit, settings: { preset: 'accurate', tuneProbabilityWeight: false } }).model.settings.probabilityWeight).toBe(0.2);
    expect(c.model.settings.probabilityWeight).toBe(0);
  });

  test('weights trained elsewhere: a classifier given them answers as one that trains its own; weights of another model are refused', () => {
    const { model } = compile({ ...transit, settings: { probabilityWeight: 1 } });
    const own = createClassifier(model);
    const given = createClassifier(model, { regression: own.trainedRegression() });
    for (const text of ['next train from garching', 'how do i get to odeonsplatz', 'garching']) {
      const { elapsedMs: _a, ...a } = given.classifySync(text, { nBest: 2 });
      const { elapsedMs: _b, ...b } = own.classifySync(text, { nBest: 2 });
      expect(a).toEqual(b);
    }
    // They are the weights it uses: all zero, every intent is as likely as the other.
    const { weights, bias } = own.trainedRegression();
    const flat = createClassifier(model, { regression: { modelId: model.id, weights: new Float32Array(weights.length), bias: new Float64Array(bias.length), passes: 0, perIntent: 5 } });
    expect(flat.classifySync('next train from garching').explanation!.probability!.probability).toBe(0.5);
    expect(own.classifySync('next train from garching').explanation!.probability!.probability).toBeGreaterThan(0.6);
    // Another model's weights are refused, even of the same size; so are arrays that do not fit.
    const twin = compile({ ...transit, intents: transit.intents!.map((i) => ({ ...i, path: i.path + '2' })), settings: { probabilityWeight: 1 } }).model;
    const twinRegression = createClassifier(twin).trainedRegression();
    expect(twinRegression.weights.length).toBe(weights.length);
    const refused = (regression: Parameters<typeof createClassifier>[1]) => {
      try {
        createClassifier(model, regression);
      } catch (e) {
        return e as StsError;
      }
      throw new Error('not refused');
    };
    expect(refused({ regression: twinRegression })).toMatchObject({ code: 'invalid_input', message: expect.stringContaining(`trained for model ${twin.id}, not ${model.id}`) });
    expect(refused({ regression: { ...own.trainedRegression(), weights: new Float32Array(0) } })).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('0 weights and 2 biases do not fit'),
    });
  });
});
