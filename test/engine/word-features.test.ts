import { featureSpace, regressionInput, WordFeatures } from '../../src/engine/probability/features.js';
import { englishVectors } from '../../src/lexicons.js';
import { compile } from '../../src/model/compile-source.js';

const { model } = compile({
  language: 'en',
  settings: { probabilityWeight: 1, tuneProbabilityWeight: false },
  intents: [
    { path: '/balance', phrases: ['what is my balance', 'how much money is in my account', 'show the banana balance'] },
    { path: '/transfer', phrases: ['send money to anna', 'transfer cash to my savings', 'move funds between accounts'] },
  ],
});

/** The input as arrays, so that toEqual compares the numbers, their order and the vector's bits. */
const plain = (input: ReturnType<typeof regressionInput>) => ({ ...input, dense: input.dense && [...input.dense] });

describe('WordFeatures gives what regressionInput gives', () => {
  const space = featureSpace(model, englishVectors());
  const words = new WordFeatures(space);
  const texts = [
    ['what', 'is', 'my', 'balance'],
    ['banana', 'banana', 'anna'], // n-grams repeated within a word and across words
    ['zxqv', 'qvzx', 'balance'], // n-grams no phrase has, in two words and once shared
    ['money', 'in', 'my', 'savings account'], // a form of two words
    [],
    ['what', 'is', 'my', 'balance'], // every form read before
  ];

  test.each(texts.map((forms) => [forms.join(' ') || '(no words)', forms]))('%s', (_, forms) => {
    const stems = [0, 2];
    expect(plain(words.input(stems, forms))).toEqual(plain(regressionInput(space, stems, forms)));
  });

  test('without n-grams or vectors, only the stems', () => {
    const stemsOnly = featureSpace({ ...model, settings: { ...model.settings, charGrams: 0 } });
    expect(new WordFeatures(stemsOnly).input([1], ['what'])).toEqual({ stems: [1] });
  });
});
