import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const script = path.resolve('scripts/convert-fewshot.mjs');
const SPLITS = { train_5: 'train-5shot', train_10: 'train-10shot', valid: 'val', test: 'test' } as const;

/**
 * A clone of the few-shot repository's layout, committed: each split a seq.in and a label file
 * (`broken` gets other labels).
 */
function source(root: string, texts: string, labels: string, broken?: { split: string; labels: string }): void {
  for (const set of ['BANKING77', 'HWU64']) {
    for (const split of Object.keys(SPLITS)) {
      const dir = path.join(root, 'Datasets', set, split);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'seq.in'), texts);
      writeFileSync(path.join(dir, 'label'), `${set}/${split}` === broken?.split ? broken.labels : labels);
    }
  }
  const git = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args]);
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'data');
}

const convert = (src: string, out: string) => spawnSync(process.execPath, [script, src, out, '--commit', 'HEAD'], { encoding: 'utf8' });

describe('scripts/convert-fewshot.mjs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sts-fewshot-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes each split as JSONL, in order, with whitespace normalised', () => {
    source(path.join(dir, 'src'), 'how do i  top up\tmy card \r\nwhere\ris my card?', 'top_up\r\ncard_arrival\n');
    const run = convert(path.join(dir, 'src'), path.join(dir, 'out'));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    for (const name of ['banking77', 'hwu64']) {
      for (const file of Object.values(SPLITS)) {
        const text = readFileSync(path.join(dir, 'out', name, `${file}.jsonl`), 'utf8');
        expect(text).toBe('{"text":"how do i top up my card","intent":"top_up"}\n{"text":"where is my card?","intent":"card_arrival"}\n');
      }
    }
  });

  it('refuses a split whose texts and labels do not pair up, naming it, and writes nothing', () => {
    source(path.join(dir, 'src'), 'a\nb\n', 'x\ny\n', { split: 'HWU64/valid', labels: 'x\n' });
    const run = convert(path.join(dir, 'src'), path.join(dir, 'out'));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('HWU64/valid: 2 texts but 1 labels');
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('refuses an empty text or label, naming its line', () => {
    source(path.join(dir, 'src'), 'a\n \n', 'x\ny\n');
    const run = convert(path.join(dir, 'src'), path.join(dir, 'out'));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('BANKING77/train_5: line 2 has an empty text or label');
  });
});
