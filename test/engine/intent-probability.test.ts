import { checkProbabilitySize, intentProbabilities, trainingPasses, trainRegression } from '../../src/engine/probability/intent-probability.js';
import { trainsDense } from '../../src/engine/probability/regression-weights.js';
import { PreparedModel } from '../../src/engine/prepare/prepared-model.js';
import { StsError } from '../../src/errors.js';
import { compile } from '../../src/model/compile-source.js';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import { createClassifier } from '../../src/lexicons.js';
import { PRESETS } from '../../src/config.js';
import { classifierFor, compileJaicp } from '../helpers.js';

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
      regression.predict({ stems: s }, out);
      expect(out[intent[p]!]).toBeGreaterThan(0.99);
    });
  });

  test('is the same on every load (training is deterministic)', () => {
    const { model } = compileJaicp(transit);
    const out = [new Float64Array(2), new Float64Array(2)];
    [new PreparedModel(model), new PreparedModel(model)].forEach((pm, k) => pm.probabilities().predict({ stems: [0, 1, 2, 3] }, out[k]!));
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

  // Each phrase: 3 of its intent's 12 stems (neighbouring intents share some) and 3 of 20 common ones.
  test.each([
    { intents: 40, phrasesEach: 8 },
    { intents: 200, phrasesEach: 4 },
  ])('keeps only the weights training changed: dense or sparse rows, the same weights bit for bit ($intents intents)', ({ intents, phrasesEach }) => {
    let seed = 5;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const stemCount = 20 + intents * 7 + 12;
    const stems: number[][] = Array.from({ length: intents * phrasesEach }, (_, p) => {
      const own = Array.from({ length: 3 }, () => 20 + Math.floor(p / phrasesEach) * 7 + Math.floor(random() * 12));
      return [...new Set([...own, ...Array.from({ length: 3 }, () => Math.floor(random() * 20))])];
    });
    const flat = Int32Array.from(stems.flat());
    const start = Int32Array.from({ length: stems.length + 1 }, (_, p) => stems.slice(0, p).reduce((n, s) => n + s.length, 0));
    const intent = Int32Array.from(stems, (_, p) => Math.floor(p / phrasesEach));
    expect(trainsDense(stemCount, intents)).toBe(true);
    const dense = trainRegression(stemCount, flat, start, intent, intents);
    const sparse = trainRegression(stemCount, flat, start, intent, intents, false);
    for (const key of ['stemStart', 'weightIntent', 'weights', 'bias'] as const) expect(Array.from(sparse[key])).toEqual(Array.from(dense[key]));
    expect(sparse.passes).toBe(dense.passes);
    // Sparse rows turn full at a quarter of the intents: common stems do, a stem of few intents does not.
    const kept = Array.from({ length: stemCount }, (_, k) => dense.stemStart[k + 1]! - dense.stemStart[k]!);
    expect(kept.filter((n) => n >= intents / 4).length).toBeGreaterThan(0);
    if (intents === 200) expect(kept.filter((n) => n > 0 && n < intents / 4).length).toBeGreaterThan(100);
    // More than the (stem, intent) pairs of the phrases (intents a phrase was mistaken for get
    // weights too), fewer than stems × intents, none of them 0, each stem's in ascending intent order.
    const pairs = new Set(stems.flatMap((s, p) => s.map((k) => k * intents + intent[p]!)));
    expect(dense.weights.length).toBeGreaterThan(pairs.size);
    expect(dense.weights.length).toBeLessThan(stemCount * intents);
    expect(dense.weights.every((w) => w !== 0)).toBe(true);
    for (let k = 0; k < stemCount; k++) {
      const row = Array.from(dense.weightIntent.subarray(dense.stemStart[k], dense.stemStart[k + 1]));
      expect(row).toEqual([...row].sort((a, b) => a - b));
    }
    // A stem's own intents always have a weight: every phrase is learnt.
    stems.forEach((s, p) => {
      for (const k of s) expect(Array.from(dense.weightIntent.subarray(dense.stemStart[k], dense.stemStart[k + 1]))).toContain(intent[p]);
    });
  });

  test('a model whose dense weights would not fit in memory trains sparse rows instead of being refused', () => {
    // 400,000 stems × 100 intents would be 40 million dense weights (160 MB).
    expect(trainsDense(400_000, 100)).toBe(false);
    const flat = Int32Array.from({ length: 200 }, (_, k) => 1000 * k + (k % 2));
    const start = Int32Array.from({ length: 101 }, (_, p) => 2 * p);
    const intent = Int32Array.from({ length: 100 }, (_, p) => p);
    const trained = trainRegression(400_000, flat, start, intent, 100);
    expect(trained.weights.length).toBeLessThan(100_000);
    const regression = intentProbabilities(trained);
    const out = new Float64Array(100);
    regression.predict({ stems: [1000 * 14, 1000 * 15 + 1] }, out);
    expect(out.indexOf(Math.max(...out))).toBe(7);
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
    expect(() => checkProbabilitySize(1_500_000, 2000)).not.toThrow();
    expect(() => checkProbabilitySize(2_500_000, 2000)).toThrow(/2500000 phrase stems × 2000 intents = 5000000000 multiply-adds a training pass/);
  });

  test('the accurate preset (the default) turns it on over stems, 3-grams and word vectors, scores calibrated; jaicp leaves it all off', () => {
    const untuned = compile({ ...transit, settings: { preset: 'accurate', tuneProbabilityWeight: false } }).model;
    expect(untuned.settings.probabilityWeight).toBe(PRESETS.accurate.probabilityWeight);
    expect(untuned.settings.probabilityWeight).toBeGreaterThan(0);
    const preset = compile({ ...transit, settings: { preset: 'accurate' } });
    const unsaid = compile(transit);
    const tunes = (PRESETS.accurate as { tuneProbabilityWeight?: boolean }).tuneProbabilityWeight === true;
    for (const { model, tuning, crossValidation } of [preset, unsaid]) {
      // Tuning and calibration act when the model is compiled: it holds their outcome as plain values.
      expect(model.settings).toMatchObject({ preset: 'accurate', charGrams: 3, wordVectors: 2, vectorMatch: 0.8, tuneProbabilityWeight: false, calibrate: false });
      expect(crossValidation).toBeDefined();
      expect(tuning !== undefined).toBe(tunes);
      expect(model.settings.probabilityWeight).toBe(tuning?.chosen ?? PRESETS.accurate.probabilityWeight);
      expect(model.vectors).toMatch(/^sha256:/); // the word vectors it was compiled with
    }
    expect(unsaid.model.id).toBe(preset.model.id);
    const jaicp = compileJaicp(transit);
    expect(jaicp.model.settings).toMatchObject({ preset: 'jaicp', probabilityWeight: 0, tuneProbabilityWeight: false, charGrams: 0, wordVectors: 0, vectorMatch: 0, calibrate: false });
    expect([jaicp.tuning, jaicp.crossValidation, jaicp.model.vectors, jaicp.model.regression, jaicp.model.calibration]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  test('weights trained elsewhere: a classifier given them answers as one that trains its own; weights of another model are refused', () => {
    // Stems alone (jaicp): zero weights and biases are then every weight there is.
    const { model } = compileJaicp({ ...transit, settings: { probabilityWeight: 1 } });
    const { regression: _stored, ...untrained } = model; // without the one it stores, it trains its own
    const own = createClassifier(untrained);
    const given = createClassifier(model, { regression: own.trainedRegression() });
    for (const text of ['next train from garching', 'how do i get to odeonsplatz', 'garching']) {
      const { elapsedMs: _a, ...a } = given.classifySync(text, { nBest: 2 });
      const { elapsedMs: _b, ...b } = own.classifySync(text, { nBest: 2 });
      expect(a).toEqual(b);
    }
    // They are the weights it uses: all zero, every intent is as likely as the other.
    const { weights, bias } = own.trainedRegression();
    const flat = createClassifier(model, { regression: { ...own.trainedRegression(), weights: new Float32Array(weights.length), bias: new Float64Array(bias.length) } });
    expect(flat.classifySync('next train from garching').explanation!.probability!.probability).toBe(0.5);
    expect(own.classifySync('next train from garching').explanation!.probability!.probability).toBeGreaterThan(0.6);
    // Another model's weights are refused, even of the same size; so are arrays that do not fit.
    const twin = compileJaicp({ ...transit, intents: transit.intents!.map((i) => ({ ...i, path: i.path + '2' })), settings: { probabilityWeight: 1 } }).model;
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
      message: expect.stringContaining(`0 weights, ${weights.length} weight intents and last stem offset ${weights.length} disagree`),
    });
    const { weightIntent, stemStart } = own.trainedRegression();
    expect(refused({ regression: { ...own.trainedRegression(), weightIntent: new Int32Array(weightIntent.length).fill(7) } }).message).toContain('weight 0 is for intent 7, not one of the 2');
    expect(refused({ regression: { ...own.trainedRegression(), stemStart: new Int32Array(stemStart.length) } }).message).toContain('disagree');
    expect(refused({ regression: { ...own.trainedRegression(), stemStart: stemStart.slice(1) } }).message).toContain(`stem offsets do not fit ${stemStart.length - 1} stems`);
    const falling = Int32Array.from(stemStart);
    falling[1] = weights.length;
    expect(refused({ regression: { ...own.trainedRegression(), stemStart: falling } }).message).toMatch(/stem offsets fall at stem \d+/);
    expect(refused({ regression: { ...own.trainedRegression(), stemStart: Int32Array.from(stemStart, (at, k) => (k === 0 ? 1 : at)) } }).message).toContain('stem offsets start at 1, not 0');
    const unordered = Int32Array.from(weightIntent);
    const long = Array.from(stemStart).findIndex((at, k) => stemStart[k + 1]! - at >= 2);
    [unordered[stemStart[long]!], unordered[stemStart[long]! + 1]] = [unordered[stemStart[long]! + 1]!, unordered[stemStart[long]!]!];
    expect(refused({ regression: { ...own.trainedRegression(), weightIntent: unordered } }).message).toContain(`stem ${long}'s weights are not in rising intent order`);
    // Not the arrays this version trains (plain arrays, or the dense layout of earlier versions).
    expect(refused({ regression: { ...own.trainedRegression(), weightIntent: Array.from(weightIntent) as unknown as Int32Array } }).message).toContain('its weightIntent is not an Int32Array');
    const { stemStart: _s, ...earlier } = own.trainedRegression();
    expect(refused({ regression: earlier as never }).message).toContain('its stemStart is not an Int32Array');
    expect(refused({ regression: { ...own.trainedRegression(), perIntent: NaN } }).message).toContain('perIntent NaN is not a positive number');
    expect(refused({ regression: { ...own.trainedRegression(), bias: new Float64Array(bias.length).fill(NaN) } }).message).toContain('its bias are not all finite numbers');
    const infinite = Float32Array.from(weights);
    infinite[0] = Infinity;
    expect(refused({ regression: { ...own.trainedRegression(), weights: infinite } }).message).toContain('its weights are not all finite numbers');
    // An object that only calls itself an Int32Array is not one.
    const fake = { length: weightIntent.length, [Symbol.toStringTag]: 'Int32Array' } as unknown as Int32Array;
    expect(refused({ regression: { ...own.trainedRegression(), weightIntent: fake } }).message).toContain('its weightIntent is not an Int32Array');
  });
});
