import { readFileSync } from 'node:fs';
import path from 'node:path';
import { StsError } from '../src/errors.js';
import { compile } from '../src/model/compile-source.js';
import { REPO } from './helpers.js';

/** test/transform.cjs binds hot globals on each module's first line, so that no line moves. */

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
