import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Language, PresetName } from '../config.js';
import { IMPORT_FORMATS, saveModel, trainFromFiles, type ImportFormat } from '../model/io.js';
import type { ProbabilityTuning } from '../model/tune-probability.js';
import { parse } from './args.js';
import { status, UsageError, type CliIo } from './io.js';
import { expandSources, modelNameOf } from './sources.js';

export const TRAIN_HELP = `Usage: sts train SOURCE_OR_DIR... [--out MODEL.json] [--preset NAME] [--format FORMAT] [--language CODE] [--wordnet] [--json]

Compiles intent sources into one model file (written atomically).

A folder stands for its source files (recursively, in name order; compiled *.model.json files,
hidden folders and a Rasa project's config, domain, stories and rules files are left out).
Sources (several may be given, in different formats; their settings must not conflict):
  *.yaml, *.yml, *.json   told apart by their content:
                            our intents file (see docs/intents-file.md)
                            a Caila / JAICP NLU project export ({project, settings, intents, entities})
                            a JAICP intents export (a list of {path, answer, phrases: [{text}], ...})
                            Rasa NLU training data (YAML, "nlu:" with intent, synonym, lookup, regex items)
                            an NLP.js corpus ({locale, data: [{intent, utterances, answers}]})
  *.jsonl                 lines {"text": ..., "intent": ...}; intent null = out of scope, not trained
  *.csv                   a header "text,intent"; an empty intent = out of scope
What another tool's file has that the classifier cannot use (disabled intents, extra answers,
phrase markup, patterns outside our subset, regexes RE2 cannot run) is left out with a warning.

Options:
  -o, --out FILE          where to write the compiled model (default: models/NAME.model.json,
                          NAME the first source's folder or file name without extensions)
  -f, --format FORMAT     read every source as FORMAT, whatever its name: auto (default),
                          intents, jsonl, csv, caila, jaicp, rasa, nlpjs
  -p, --preset NAME       the settings the sources leave out: accurate (default; ours) or jaicp
                          (JAICP's documented defaults); a source that names another is a conflict
  -l, --language CODE     language of sources that do not say (en, ru, de, ...); default: from the text's script
      --wordnet           expand English words with WordNet synonyms
      --json              print the summary as JSON on stdout (warnings included)
  -h, --help              this help
`;

const FORMATS: readonly string[] = ['auto', ...IMPORT_FORMATS];

export async function train(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('train', argv, {
    out: { type: 'string', short: 'o' },
    format: { type: 'string', short: 'f' },
    language: { type: 'string', short: 'l' },
    preset: { type: 'string', short: 'p' },
    wordnet: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) return io.stdout(TRAIN_HELP), 0;
  if (positionals.length === 0) throw new UsageError('sts train: give at least one source file or folder');
  if (values.language !== undefined && !Language.safeParse(values.language).success) {
    throw new UsageError(`sts train: --language must be a language code such as "en" or "ru", got "${String(values.language)}"`);
  }
  const preset = values.preset === undefined ? undefined : PresetName.safeParse(values.preset);
  if (preset && !preset.success) throw new UsageError(`sts train: --preset must be one of ${PresetName.options.join(', ')}, got "${String(values.preset)}"`);
  const format = (values.format ?? 'auto') as ImportFormat | 'auto';
  if (!FORMATS.includes(format)) throw new UsageError(`sts train: --format must be one of ${FORMATS.join(', ')}, got "${format}"`);
  const started = performance.now();
  const { files, skipped: skippedFiles } = await expandSources(positionals, io.cwd);
  const out = path.resolve(io.cwd, (values.out as string | undefined) ?? path.join('models', `${modelNameOf(positionals, io.cwd)}.model.json`));
  const busy = status(io, `compiling ${files.length} source file${files.length === 1 ? '' : 's'}`);
  const { model, warnings, sources, tuning, crossValidation } = await trainFromFiles(files, {
    language: values.language as string | undefined,
    wordNet: values.wordnet ? true : undefined,
    preset: preset?.data,
    format,
  }).finally(busy.end);
  await mkdir(path.dirname(out), { recursive: true });
  await saveModel(out, model);
  const outOfScope = sources.reduce((n, s) => n + (s.outOfScope ?? 0), 0);
  const ms = Math.round(performance.now() - started);
  const where = path.relative(io.cwd, out) || out;
  if (values.json) {
    const summary = {
      out: where,
      id: model.id,
      language: model.language,
      intents: model.intents.length,
      phrases: model.phrases.length,
      outOfScopeRows: outOfScope,
      sources: sources.map((s) => ({ file: path.relative(io.cwd, s.file) || s.file, format: s.format })),
      skippedFiles: skippedFiles.map((s) => ({ file: path.relative(io.cwd, s.file), reason: s.reason })),
      warnings,
      ...(tuning && { tuning }),
      ...(crossValidation && { crossValidation }),
      ms,
    };
    io.stdout(JSON.stringify(summary, null, 2) + '\n');
    return 0;
  }
  for (const s of skippedFiles) io.stderr(`skipped ${path.relative(io.cwd, s.file)}: ${s.reason}\n`);
  for (const w of warnings) io.stderr(`warning: ${w}\n`);
  if (tuning) io.stderr(`${describeTuning(tuning)}\n`);
  io.stderr(
    `compiled ${model.intents.length} intents, ${model.phrases.length} phrases` +
      (outOfScope ? ` (${outOfScope} out-of-scope rows not trained)` : '') +
      `, language ${model.language} → ${where} (${model.id}) in ${ms} ms\n`,
  );
  return 0;
}

/** One line on how probabilityWeight was chosen (tuneProbabilityWeight). */
export function describeTuning(t: ProbabilityTuning): string {
  if (t.skipped) return `probabilityWeight ${t.configured} kept, not tuned: ${t.skipped}`;
  const at = (g: number) => t.correct.find((c) => c.probabilityWeight === g)?.count;
  return (
    `probabilityWeight ${t.chosen} by ${t.folds}-fold cross-validation: ${at(t.chosen)} of ${t.heldOut} held-out phrases right` +
    (t.chosen === t.configured ? ' (no other value did better)' : `, against ${at(t.configured)} at the configured ${t.configured}`)
  );
}
