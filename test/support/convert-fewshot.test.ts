import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const script = path.resolve('scripts/convert-fewshot.mjs');
const SPLITS = { train_5: 'train-5shot', train_10: 'train-10shot', valid: 'val', test: 'test' } as const;

/** A checkout of the few-shot repository's layout: each split a seq.in and a label file. */
function source(root: string, texts: string, labels: string, broken?: string): void {
  for (const set of ['BANKING77', 'HWU64']) {
    for (const split of Object.keys(SPLITS)) {
      const dir = path.join(root, 'Datasets', set, split);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'seq.in'), texts);
      writeFileSync(path.join(dir, 'label'), `${set}/${split}` === broken ? 'one_label_only\n' : labels);
    }
  }
}

describe('scripts/convert-fewshot.mjs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sts-fewshot-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes each split as JSONL, in order, with whitespace normalised', () => {
    source(path.join(dir, 'src'), 'how do i  top up\tmy card \r\nwhere is my card?\n', 'top_up\r\ncard_arrival\n');
    const run = spawnSync(process.execPath, [script, path.join(dir, 'src'), path.join(dir, 'out')], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    for (const name of ['banking77', 'hwu64']) {
      for (const file of Object.values(SPLITS)) {
        const text = readFileSync(path.join(dir, 'out', name, `${file}.jsonl`), 'utf8');
        expect(text).toBe('{"text":"how do i top up my card","intent":"top_up"}\n{"text":"where is my card?","intent":"card_arrival"}\n');
      }
    }
  });

  it('refuses a split whose texts and labels do not pair up, naming it', () => {
    source(path.join(dir, 'src'), 'a\nb\n', 'x\ny\n', 'HWU64/valid');
    const run = spawnSync(process.execPath, [script, path.join(dir, 'src'), path.join(dir, 'out')], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('HWU64/valid: 2 texts but 1 labels');
  });
});
