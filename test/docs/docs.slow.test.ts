/**
 * Every document's commands, the slow ones (<!-- check: slow -->: training and scoring whole
 * data sets) included: about a minute of processes started one after another, so here rather
 * than in the fast tier, which runs the README's. STS_DOCS_UPDATE=1 writes the new output into
 * the documents where only the output changed; read the diff before committing it.
 */
import { REPO } from '../helpers.js';
import { documents } from './documents.js';
import { runDocument, updateDocument } from './run-document.js';

test.each(documents(REPO))('%s: its commands print what it shows', async (file) => {
  const result = await runDocument(REPO, file, 'slow');
  const updated = process.env.STS_DOCS_UPDATE === '1' ? `${updateDocument(REPO, result)} output(s) updated in ${file}: review the diff\n\n` : '';
  if (result.mismatches.length > 0) throw new Error(updated + result.mismatches.map((m) => m.message).join('\n\n'));
}, 1_800_000);
