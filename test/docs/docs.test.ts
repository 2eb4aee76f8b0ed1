/**
 * The documents say what the program does (docs/development.md, "Documented commands"). This
 * fast tier checks every document's links, paths and shell blocks, and runs the README's
 * commands; docs.slow.test.ts runs every document's. STS_DOCS_UPDATE=1 writes the new output
 * into the document where only the output changed; read the diff before committing it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from '../helpers.js';
import { documents } from './documents.js';
import { checkReferences } from './references.js';
import { runDocument, updateDocument } from './run-document.js';

const README_MAX_LINES = 300;

test(`README.md has at most ${README_MAX_LINES} lines`, () => {
  expect(readFileSync(path.join(REPO, 'README.md'), 'utf8').trimEnd().split('\n').length).toBeLessThanOrEqual(README_MAX_LINES);
});

test.each(documents(REPO))('%s: its links, paths and npm scripts exist, and each shell block is run or says why not', (file) => {
  const problems = checkReferences(REPO, file);
  if (problems.length > 0) throw new Error(problems.join('\n'));
});

test('README.md: its commands print what it shows', async () => {
  const result = await runDocument(REPO, 'README.md', 'fast');
  const updated = process.env.STS_DOCS_UPDATE === '1' ? `${updateDocument(REPO, result)} output(s) updated in README.md: review the diff\n\n` : '';
  if (result.mismatches.length > 0) throw new Error(updated + result.mismatches.map((m) => m.message).join('\n\n'));
}, 300_000);
