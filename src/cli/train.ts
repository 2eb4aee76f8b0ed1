import path from 'node:path';
import { Language } from '../config.js';
import { saveModel, trainFromFiles } from '../model/io.js';
import { parse } from './args.js';
import { UsageError, type CliIo } from './io.js';

export const TRAIN_HELP = `Usage: sts train SOURCE... --out MODEL.json [--language CODE] [--wordnet]

Compiles intent sources into one model file (written atomically).

Sources (several may be given; their settings must not conflict):
  *.yaml, *.yml, *.json   an intents file (see README, "Intents file")
  *.jsonl                 lines {"text": ..., "intent": ...}; intent null = out of scope, not trained
  *.csv                   a header "text,intent"; an empty intent = out of scope

Options:
  -o, --out FILE          where to write the compiled model (required)
  -l, --language CODE     language of list sources (en, ru, de, ...); default: from the text's script
      --wordnet           expand English words with WordNet synonyms
  -h, --help              this help
`;

export async function train(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('train', argv, {
    out: { type: 'string', short: 'o' },
    language: { type: 'string', short: 'l' },
    wordnet: { type: 'boolean' },
  });
  if (values.help) return io.stdout(TRAIN_HELP), 0;
  if (positionals.length === 0) throw new UsageError('sts train: give at least one source file');
  if (!values.out) throw new UsageError('sts train: --out FILE is required');
  if (values.language !== undefined && !Language.safeParse(values.language).success) {
    throw new UsageError(`sts train: --language must be a language code such as "en" or "ru", got "${String(values.language)}"`);
  }
  const started = performance.now();
  const files = positionals.map((f) => path.resolve(io.cwd, f));
  const { model, warnings, sources } = await trainFromFiles(files, {
    language: values.language as string | undefined,
    wordNet: values.wordnet ? true : undefined,
  });
  const out = path.resolve(io.cwd, values.out as string);
  await saveModel(out, model);
  for (const w of warnings) io.stderr(`warning: ${w}\n`);
  const skipped = sources.reduce((n, s) => n + (s.outOfScope ?? 0), 0);
  const ms = Math.round(performance.now() - started);
  io.stderr(
    `compiled ${model.intents.length} intents, ${model.phrases.length} phrases` +
      (skipped ? ` (${skipped} out-of-scope rows not trained)` : '') +
      `, language ${model.language} → ${path.relative(io.cwd, out) || out} (${model.id}) in ${ms} ms\n`,
  );
  return 0;
}
