/**
 * The documents' examples that take long (<!-- check: slow -->: training and scoring whole data
 * sets), run with the rest of their document. docs.test.ts runs the others in the fast tier.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from '../helpers.js';
import { documents } from './documents.js';
import { codeBlocks } from './markdown.js';
import { hasSlowBlocks, runDocument, updateDocument } from './run-document.js';

const SLOW_DOCS = documents(REPO).filter((file) => hasSlowBlocks(codeBlocks(readFileSync(path.join(REPO, file), 'utf8'), file)));

test('some document has slow examples (else this file checks nothing)', () => {
  expect(SLOW_DOCS.length).toBeGreaterThan(0);
});

test.each(SLOW_DOCS)('%s: all its commands, the slow ones too, print what it shows', async (file) => {
  const result = await runDocument(REPO, file, 'slow');
  const updated = process.env.STS_DOCS_UPDATE === '1' ? `${updateDocument(REPO, result)} output(s) updated in ${file}: review the diff\n\n` : '';
  if (result.mismatches.length > 0) throw new Error(updated + result.mismatches.map((m) => m.message).join('\n\n'));
}, 1_800_000);
