import path from 'node:path';
import { DOCTOR_DEFAULTS, examine, type DoctorReport, type Finding, type FindingKind } from '../eval/doctor.js';
import { loadWordNet } from '../index.js';
import { readIntentSet, type ImportFormat } from '../model/io.js';
import { numberOption, parse } from './args.js';
import { progress, UsageError, type CliIo } from './io.js';
import { expandSources } from './sources.js';

export const DOCTOR_HELP = `Usage: sts doctor SOURCE_OR_DIR... [--json] [options]

Checks training data before you ship it, and says what to do about each finding:
  near-duplicate      phrases of two intents that are (nearly) the same
  confused-intents    intents that cross-validation on their own phrases mixes up
  few-phrases         intents with too few phrases (and no pattern)
  unused-entity       entities that no phrase, pattern or slot uses
  unmatched-pattern   patterns that match none of the training phrases
Sources are read as "sts train" reads them (files or folders, any supported format).
Exits 0 when there is nothing to report, 1 when there are findings.

Options:
      --json              print the findings as JSON
      --min-phrases N     report intents with fewer phrases (default ${DOCTOR_DEFAULTS.minPhrases})
      --duplicate X       similarity from which two phrases are near duplicates (default ${DOCTOR_DEFAULTS.duplicateScore})
      --folds K           cross-validation folds (default ${DOCTOR_DEFAULTS.folds})
  -f, --format FORMAT     read every source as FORMAT (as sts train)
  -l, --language CODE     language of sources that do not say
  -h, --help              this help
`;

export async function doctor(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('doctor', argv, {
    json: { type: 'boolean' },
    'min-phrases': { type: 'string' },
    duplicate: { type: 'string' },
    folds: { type: 'string' },
    format: { type: 'string', short: 'f' },
    language: { type: 'string', short: 'l' },
  });
  if (values.help) return io.stdout(DOCTOR_HELP), 0;
  if (positionals.length === 0) throw new UsageError('sts doctor: give at least one source file or folder');
  const minPhrases = numberOption('doctor', 'min-phrases', values['min-phrases']);
  const duplicateScore = numberOption('doctor', 'duplicate', values.duplicate);
  const folds = numberOption('doctor', 'folds', values.folds);
  if (folds !== undefined && (!Number.isInteger(folds) || folds < 2)) throw new UsageError(`sts doctor: --folds must be a whole number of 2 or more, got ${folds}`);
  const { files } = await expandSources(positionals, io.cwd);
  const { set } = await readIntentSet(files, {
    format: (values.format as ImportFormat | 'auto' | undefined) ?? 'auto',
    language: values.language as string | undefined,
  });
  const bars = new Map<string, ReturnType<typeof progress>>();
  const report = await examine(set, {
    ...(minPhrases !== undefined && { minPhrases }),
    ...(duplicateScore !== undefined && { duplicateScore }),
    ...(folds !== undefined && { folds }),
    ...(set.wordNet && { deps: { wordNet: loadWordNet() } }),
    onProgress: (step, done, total) => {
      let bar = bars.get(step);
      if (!bar) bars.set(step, (bar = progress(io, step, total)));
      bar.tick(done);
      if (done === total) bar.end();
    },
  });
  if (values.json) io.stdout(JSON.stringify({ files: files.map((f) => path.relative(io.cwd, f) || f), ...report }, null, 2) + '\n');
  else io.stdout(formatReport(report));
  return report.findings.length === 0 ? 0 : 1;
}

const TITLES: Record<FindingKind, string> = {
  'near-duplicate': 'Near-duplicate phrases across intents',
  'confused-intents': 'Intents cross-validation confuses',
  'few-phrases': 'Intents with too few phrases',
  'unused-entity': 'Entities nothing uses',
  'unmatched-pattern': 'Patterns that match no training phrase',
};

export function formatReport(r: DoctorReport): string {
  const lines = [`${r.intents} intents, ${r.phrases} phrases: ${r.findings.length === 0 ? 'nothing to report' : `${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}`}`];
  for (const kind of Object.keys(TITLES) as FindingKind[]) {
    const of: Finding[] = r.findings.filter((f) => f.kind === kind);
    if (of.length === 0) continue;
    lines.push('', `${TITLES[kind]} (${of.length}):`);
    for (const f of of) {
      lines.push(`  - ${f.message}`, `    → ${f.advice}`);
      if (kind === 'confused-intents' && f.examples.length > 0) lines.push(`    e.g. ${f.examples.map((e) => `"${e}"`).join(', ')}`);
    }
  }
  return lines.join('\n') + '\n';
}
