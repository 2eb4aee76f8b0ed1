import { readFileSync } from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import { StsError } from '../src/errors.js';
import { compile } from '../src/model/compile-source.js';
import { made } from './fixtures/transform/uses-own-map.js';
import { REPO } from './helpers.js';

/** test/transform.cjs binds hot globals on each module's first line (docs/development.md). */

test('the globals are bound in the module: replacing the global object afterwards does not reach it', () => {
  const real = Math;
  const replaced = jest.replaceProperty(globalThis, 'Math', Object.create(real) as Math);
  try {
    expect(globalThis.Math).not.toBe(real);
    expect(Math).toBe(real);
  } finally {
    replaced.restore();
  }
});

test('a module keeps its line numbers: a stack names the line of the source that threw', () => {
  const source = readFileSync(path.join(REPO, 'src/errors.ts'), 'utf8').split('\n');
  const line = source.findIndex((l) => l.includes('return new StsError(code, `${what}')) + 1;
  expect(line).toBeGreaterThan(1);
  let thrown: unknown;
  try {
    compile({ language: 'en', intents: 'not a list' } as never);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(StsError);
  expect((thrown as Error).stack).toMatch(new RegExp(`src/errors\\.ts:${line}:`));
});

test('a module that imports a name of its own, such as Map, keeps it', () => {
  expect(made.hello()).toBe('own Map');
});
