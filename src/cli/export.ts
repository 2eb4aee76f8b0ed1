import path from 'node:path';
import { modelToCailaProject } from '../model/caila-export.js';
import { loadModel, writeFileAtomic } from '../model/io.js';
import { parse } from './args.js';
import { UsageError, type CliIo } from './io.js';

export const EXPORT_HELP = `Usage: sts export --model MODEL.json --format caila [--out FILE]

Writes a compiled model in another tool's format.

Formats:
  caila                   a Caila / JAICP NLU project export (JSON): intents with their phrases,
                          patterns, slots and answers, entities, and the settings (JAICP's under
                          extendedSettings.stsSettings; ours, stop words and synonyms under
                          extendedSettings.stsClassifier, which Caila ignores). The project is
                          named after the model file. "sts train" reads the file back into the
                          same model.

Options:
  -m, --model FILE        compiled model (from sts train) (required)
  -f, --format FORMAT     the format to write: caila (required)
  -o, --out FILE          where to write (atomically); default: standard output
  -h, --help              this help
`;

const FORMATS = ['caila'];

/** "bots/pizza.model.json" → "pizza": the project name of an exported model. */
export function modelName(file: string): string {
  const base = path.basename(file).replace(/\.json$/i, '').replace(/\.model$/i, '');
  return base || 'model';
}

export async function exportModel(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('export', argv, {
    model: { type: 'string', short: 'm' },
    format: { type: 'string', short: 'f' },
    out: { type: 'string', short: 'o' },
  });
  if (values.help) return io.stdout(EXPORT_HELP), 0;
  if (positionals.length > 0) throw new UsageError(`sts export: unexpected argument "${positionals[0]}"`);
  if (!values.model) throw new UsageError('sts export: --model FILE is required');
  if (!values.format) throw new UsageError(`sts export: --format is required (${FORMATS.join(', ')})`);
  if (!FORMATS.includes(values.format as string)) {
    throw new UsageError(`sts export: --format must be one of ${FORMATS.join(', ')}, got "${String(values.format)}"`);
  }
  const file = path.resolve(io.cwd, values.model as string);
  const model = await loadModel(file);
  const json = JSON.stringify(modelToCailaProject(model, modelName(file)), null, 2) + '\n';
  if (!values.out) {
    io.stdout(json);
    return 0;
  }
  const out = path.resolve(io.cwd, values.out as string);
  await writeFileAtomic(out, json);
  io.stderr(
    `exported ${model.intents.length} intents, ${model.phrases.length} phrases (${model.id}) as a Caila project → ${path.relative(io.cwd, out) || out}\n`,
  );
  return 0;
}
