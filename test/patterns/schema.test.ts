import { parsePattern } from '../../src/patterns/parse.js';
import { PatternNodeSchema, PatternTree } from '../../src/patterns/schema.js';

describe('PatternNodeSchema / PatternTree: stored trees', () => {
  test.each([
    'book a table',
    '* {(book|reserve) [a] ~table} [for @duckling.number] *',
    'привет* *put *info* $regex<[^>]+> (a|b c) [x|y]',
  ])('a parsed tree, through JSON, is valid: %s', (source) => {
    const stored = JSON.parse(JSON.stringify(parsePattern(source)));
    expect(PatternNodeSchema.parse(stored)).toEqual(stored);
    expect(PatternTree.parse(stored)).toEqual(stored);
  });

  test.each<[string, unknown]>([
    ['an unknown kind', { kind: 'morph', form: 'x' }],
    ['an extra field', { kind: 'word', form: 'x', weight: 2 }],
    ['a word that is not normalized text', { kind: 'word', form: 'two words' }],
    ['a bad regex', { kind: 'regex', source: '(a' }],
    ['an empty regex', { kind: 'regex', source: '' }],
    ['a sequence of one', { kind: 'sequence', items: [{ kind: 'word', form: 'x' }] }],
    ['alternatives of one', { kind: 'alternatives', options: [{ kind: 'word', form: 'x' }] }],
    ['a bad node deep inside', { kind: 'optional', item: { kind: 'sequence', items: [{ kind: 'any' }, { kind: 'word' }] } }],
    ['an entity without a name', { kind: 'entity', name: '' }],
  ])('rejects %s', (_name, tree) => {
    expect(PatternNodeSchema.safeParse(tree).success).toBe(false);
    expect(PatternTree.safeParse(tree).success).toBe(false);
  });

  test.each<[string, unknown]>([
    ['a nested sequence (parsing flattens it)', { kind: 'sequence', items: [{ kind: 'word', form: 'a' }, { kind: 'sequence', items: [{ kind: 'word', form: 'b' }, { kind: 'word', form: 'c' }] }] }],
    ['an upper-case form (parsing lowers it)', { kind: 'word', form: 'Book' }],
    ['an entity name with a space', { kind: 'entity', name: 'my city' }],
  ])('PatternTree also rejects a tree parsing never gives: %s', (_name, tree) => {
    expect(PatternNodeSchema.safeParse(tree).success).toBe(true);
    expect(PatternTree.safeParse(tree).success).toBe(false);
  });
});
