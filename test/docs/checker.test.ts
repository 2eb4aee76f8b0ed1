import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cleanupTempDirs, REPO, tempDir } from '../helpers.js';
import { compareOutput, fitLine } from './expected-output.js';
import { codeBlocks, commandsOf } from './markdown.js';
import { headingAnchors } from './references.js';
import { runDocument, updateDocument } from './run-document.js';

describe('compareOutput', () => {
  test.each([
    [['{"event":"match","score":0.5,…,"elapsedMs":…}'], ['{"event":"match","score":0.5,"alternatives":[],"elapsedMs":3.1}']],
    [['a', '…', 'z'], ['a', 'b', 'c', 'z']],
    [['a', '…', 'z'], ['a', 'z']],
    [['compiled (sha256:e860…) in …'], ['compiled (sha256:e8601fbd) in 12 ms   ', '', '']],
    [[], ['']],
  ])('%j matches %j', (expected, actual) => {
    expect(compareOutput(expected, actual).matches).toBe(true);
  });

  test.each([
    [['score 0.5'], ['score 0.6']],
    [['a', 'z'], ['a', 'b', 'z']],
    [['a', '…'], ['b']],
    [['(sha256:e860…)'], ['(sha256:e861ff)']],
    [[], ['unexpected']],
    [['expected'], []],
  ])('%j does not match %j', (expected, actual) => {
    expect(compareOutput(expected, actual).matches).toBe(false);
  });

  test('lists the lines that differ, and rewrites only what changed, keeping each …', () => {
    const result = compareOutput(
      ['compiled 2 intents → a.json (sha256:3314…) in …', '…', '{"score":0.438532,…}'],
      ['compiled 2 intents → a.json (sha256:02d8ccba4d79) in 75 ms', 'warning: x', 'warning: y', '{"score":0.5,"phrase":"x"}'],
    );
    expect(result.matches).toBe(false);
    expect(result.diff).toEqual([
      '- compiled 2 intents → a.json (sha256:3314…) in …',
      '+ compiled 2 intents → a.json (sha256:02d8ccba4d79) in 75 ms',
      '  …  (2 lines)',
      '- {"score":0.438532,…}',
      '+ {"score":0.5,"phrase":"x"}',
    ]);
    expect(result.updated).toEqual(['compiled 2 intents → a.json (sha256:02d8…) in …', '…', '{"score":0.5,…}']);
    expect(compareOutput(result.updated, ['compiled 2 intents → a.json (sha256:02d8ccba4d79) in 75 ms', 'warning: x', '{"score":0.5,"phrase":"x"}']).matches).toBe(true);
  });

  test.each([
    ['in …', 'in 75 ms'],
    ['(sha256:3314…) in …', '(sha256:02d8ccba) in 1 ms'],
    ['{"a":1,…,"z":9}', '{"a":2,"b":[1,2],"z":9,"extra":true}'],
    ['no ellipsis here', 'something else entirely'],
  ])('fitLine(%j, %j) matches the actual line', (expected, actual) => {
    const fitted = fitLine(expected, actual);
    expect(compareOutput([fitted], [actual]).matches).toBe(true);
    expect(fitted.split('…').length).toBe(expected.split('…').length);
  });
});

describe('codeBlocks and commandsOf', () => {
  const doc = [
    '# Title',
    '',
    '<!-- check: file a.yaml -->',
    '```yaml',
    'x: 1',
    '```',
    '',
    '- a list item:',
    '',
    '  ```console',
    '  $ npx sts train a.yaml \\',
    '      --out a.json',
    '  compiled …',
    '  $ npx sts classify -m nope.json hi   # exit 1',
    '  sts classify: error',
    '',
    '  ```',
  ].join('\n');

  test('reads directives, indented blocks, continued commands, exit codes and output lines', () => {
    const blocks = codeBlocks(doc, 'doc.md');
    expect(blocks.map((b) => [b.line, b.language, b.indent, b.directives])).toEqual([
      [4, 'yaml', '', [{ kind: 'file', name: 'a.yaml' }]],
      [10, 'console', '  ', []],
    ]);
    expect(commandsOf(blocks[1]!, 'doc.md')).toEqual([
      { line: 11, text: 'npx sts train a.yaml \\\n    --out a.json', exitCode: 0, expected: ['compiled …'], expectedLine: 13 },
      { line: 14, text: 'npx sts classify -m nope.json hi   # exit 1', exitCode: 1, expected: ['sts classify: error'], expectedLine: 15 },
    ]);
  });

  test.each([
    ['<!-- check: skip -->\n```sh\nx\n```', /needs a reason/],
    ['<!-- check: file ../x -->\n```sh\nx\n```', /relative file name/],
    ['<!-- check: maybe -->\n```sh\nx\n```', /unknown check directive/],
    ['<!-- check: slow -->\ntext\n```sh\nx\n```', /must be followed by a code block/],
    ['```sh\n$ x\n', /never closed/],
  ])('refuses %j', (text, error) => {
    expect(() => codeBlocks(text, 'doc.md')).toThrow(error);
  });

  test('a shell block must start with a "$ " command', () => {
    const [block] = codeBlocks('```console\nnpm test\n```', 'doc.md');
    expect(() => commandsOf(block!, 'doc.md')).toThrow(/doc.md:2: a shell block starts with a "\$ " command line/);
  });
});

test('headingAnchors spells anchors as GitHub does', () => {
  expect([...headingAnchors('# The `sts` CLI: a tour\n## Settings\n## Settings\n```\n# not a heading\n```')]).toEqual([
    'the-sts-cli-a-tour',
    'settings',
    'settings-1',
  ]);
});

describe('runDocument and updateDocument', () => {
  afterAll(cleanupTempDirs);

  test('report a wrong output and a wrong exit code with the lines to fix, and write the new output back', async () => {
    const repo = tempDir('sts-docs-check-');
    for (const name of ['bin', 'data', 'models', 'node_modules']) symlinkSync(path.join(REPO, name), path.join(repo, name));
    const doc = [
      '# A page',
      '',
      '```console',
      '$ npx sts classify -m models/demo.model.json --no-explain "cancel my order please"',
      '{"event":"match","intent":"/Order/Status","score":1,…}',
      '$ npx sts classify -m nope.json hi',
      '…',
      '$ echo fine',
      'fine',
      '```',
      '',
    ].join('\n');
    writeFileSync(path.join(repo, 'page.md'), doc);

    const result = await runDocument(repo, 'page.md', 'fast');
    expect(result.ran).toBe(3);
    expect(result.mismatches.map((m) => m.command.line)).toEqual([4, 6]);
    expect(result.mismatches[0]!.message).toContain('- {"event":"match","intent":"/Order/Status","score":1,…}');
    expect(result.mismatches[0]!.message).toContain('+ {"event":"match","intent":"/Order/Cancel","score":1,');
    expect(result.mismatches[1]!.message).toContain('exit code 1, the document expects 0');

    expect(updateDocument(repo, result)).toBe(1);
    expect(readFileSync(path.join(repo, 'page.md'), 'utf8')).toBe(
      doc.replace('{"event":"match","intent":"/Order/Status","score":1,…}', '{"event":"match","intent":"/Order/Cancel","score":1,…}'),
    );
    const again = await runDocument(repo, 'page.md', 'fast');
    expect(again.mismatches.map((m) => m.command.line)).toEqual([6]);
  }, 60_000);
});
