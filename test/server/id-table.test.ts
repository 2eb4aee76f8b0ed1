import { IdTable } from '../../src/server/id-table.js';

test('an id table keeps a value per id, counts them, forgets deleted ids and lists the rest in id order', () => {
  const table = new IdTable<string>();
  for (let id = 0; id < 1000; id++) table.set(id, `v${id}`);
  for (let id = 0; id < 1000; id += 2) expect(table.delete(id)).toBe(true);
  expect(table.delete(0)).toBe(false);
  expect(table.size).toBe(500);
  expect(table.has(2)).toBe(false);
  expect(table.get(2)).toBeUndefined();
  expect(table.get(3)).toBe('v3');
  table.set(3, 'again'); // a second set replaces, and is not counted twice
  expect(table.size).toBe(500);
  expect(table.values().slice(0, 3)).toEqual(['v1', 'again', 'v5']);
  for (let id = 1; id < 1000; id += 2) table.delete(id);
  expect(table.size).toBe(0);
  expect(table.values()).toEqual([]);
});
