import { FuzzyIndex, jaccard } from '../../src/engine/prepare/fuzzy.js';
import { seededRandom } from '../helpers.js';

test('the fuzzy index finds exactly the words a full Jaccard scan finds, at any threshold', () => {
  const random = seededRandom(31);
  const letters = 'abcdeéfgrstкот';
  const word = () => Array.from({ length: 3 + Math.floor(random() * 9) }, () => letters[Math.floor(random() * letters.length)]).join('');
  const forms = Array.from({ length: 400 }, word);
  const index = new FuzzyIndex(forms, () => true);
  for (const threshold of [0.3, 0.5, 0.7, 0.82, 0.9, 1]) {
    for (let k = 0; k < 60; k++) {
      const query = k % 3 === 0 ? forms[k]! : word();
      const expected = forms.flatMap((f, term) => (jaccard(query, f) >= threshold ? [term] : []));
      expect(index.search(query, threshold).map((h) => h.term).sort((a, b) => a - b)).toEqual(expected);
    }
  }
});
