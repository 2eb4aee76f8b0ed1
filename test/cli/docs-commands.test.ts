import fs from 'node:fs';
import path from 'node:path';
import { cleanupTempDirs, REPO, tempDir } from '../helpers.js';
import { sts } from './run-cli.js';

/**
 * Every `sts …` command in the ```sh blocks of the pages below runs, in order, in a folder laid
 * out like this repository (models/demo, test/fixtures), and succeeds. `sts serve` (it runs
 * until stopped) and npm scripts (other tests run them) are left out.
 */

afterAll(cleanupTempDirs);

const PAGES = ['docs/cli.md', 'docs/web.md', 'docs/package.md'];
/** Commands whose exit code 1 means "findings", not failure. */
const FINDINGS_EXIT_1 = new Set(['doctor']);

/** Splits a command line as a shell would for plain words and double or single quotes. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

const commands = PAGES.flatMap((page) =>
  [...fs.readFileSync(path.join(REPO, page), 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) =>
    block[1]!
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('sts ') && !l.startsWith('sts serve'))
      .map((l) => [page, l] as const),
  ),
);

const dir = tempDir('sts-docs-');
fs.cpSync(path.join(REPO, 'models/demo'), path.join(dir, 'models/demo'), { recursive: true });
fs.cpSync(path.join(REPO, 'test/fixtures'), path.join(dir, 'test/fixtures'), { recursive: true });

test('the pages have commands to check', () => {
  expect(commands.length).toBeGreaterThan(10);
});

test.each(commands)('%s: %s', async (_page, line) => {
  const [, command, ...args] = words(line);
  const r = await sts([command!, ...args], { cwd: dir });
  const ok = r.code === 0 || (r.code === 1 && FINDINGS_EXIT_1.has(command!) && r.stdout !== '');
  if (!ok) throw new Error(`exit ${r.code}\n${r.stderr}`);
});
