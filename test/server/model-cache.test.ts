import { ModelCache } from '../../src/server/model-cache.js';

test('the cache evicts the least recently used first; peeking does not count as a use, replacing does', () => {
  const cache = new ModelCache<string>(30);
  expect(cache.set('a', 'A', 10)).toEqual([]);
  expect(cache.set('b', 'B', 10)).toEqual([]);
  expect(cache.set('c', 'C', 10)).toEqual([]);
  expect(cache.get('a')).toBe('A'); // a is now the most recently used
  expect(cache.peek('b')).toBe('B'); // not a use
  expect(cache.names()).toEqual(['b', 'c', 'a']);
  expect(cache.set('d', 'D', 10)).toEqual(['b']);
  expect(cache.set('c', 'C2', 10)).toEqual([]); // replaced: the same bytes, now the most recently used
  expect(cache.names()).toEqual(['a', 'd', 'c']);
  expect(cache.set('e', 'E', 20)).toEqual(['a', 'd']);
  expect(cache.names()).toEqual(['c', 'e']);
  expect(cache.usedBytes).toBe(30);
  expect(cache.get('a')).toBeUndefined();
});
