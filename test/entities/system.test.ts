import { findEntityReferences } from '../../src/entities/names.js';
import {
  KNOWN_CAILA_SYSTEM_ENTITIES,
  isSystemEntityName,
  resolveBuiltinEntity,
  unsupportedSystemEntities,
} from '../../src/entities/system.js';

describe('system entities', () => {
  test('duckling.number and number are our number; nothing else resolves', () => {
    expect(resolveBuiltinEntity('number')).toBe('number');
    expect(resolveBuiltinEntity('duckling.number')).toBe('number');
    for (const name of ['zb.number', 'pymorphy.numb', 'sys.number', 'City', 'toString', '__proto__']) {
      expect(resolveBuiltinEntity(name)).toBeUndefined();
    }
  });

  test('unsupportedSystemEntities lists the system names we cannot find, once each, in order', () => {
    expect(
      unsupportedSystemEntities(['duckling.time', 'City', 'duckling.number', 'pymorphy.name', 'duckling.time', 'mystem.geo', 'zb.datetime', 'number']),
    ).toEqual(['duckling.time', 'pymorphy.name', 'mystem.geo', 'zb.datetime']);
  });

  test('every known Caila system entity but duckling.number is unsupported', () => {
    expect(KNOWN_CAILA_SYSTEM_ENTITIES.every(isSystemEntityName)).toBe(true);
    expect(unsupportedSystemEntities(KNOWN_CAILA_SYSTEM_ENTITIES)).toEqual(KNOWN_CAILA_SYSTEM_ENTITIES.filter((n) => n !== 'duckling.number'));
  });
});

describe('entity references in phrases', () => {
  test.each<[string, string[]]>([
    ['Мне нужно @duckling.number яблок', ['duckling.number']],
    ['fly from @City to @City.', ['City', 'City']],
    ['call @duckling.phone-number now', ['duckling.phone-number']],
    ['write to me@example.com', []],
    ['@Город, пожалуйста', ['Город']],
    ['no references', []],
  ])('%s', (phrase, names) => {
    expect(findEntityReferences(phrase).map((r) => r.name)).toEqual(names);
  });

  test('offsets cover the @ and the name', () => {
    const phrase = 'to @City.';
    const [ref] = findEntityReferences(phrase);
    expect(phrase.slice(ref!.start, ref!.end)).toBe('@City');
  });
});
