import path from 'node:path';
import { CallOverride, DEFAULT_SETTINGS } from '../config.js';
import type { ClassifyOptions } from '../engine/classifier.js';
import { createClassifier } from '../lexicons.js';
import { readModel } from '../model/io.js';
import { numberOption, parse } from './args.js';
import { formatEvent } from './format-event.js';
import { UsageError, type CliIo } from './io.js';

export const CLASSIFY_HELP = `Usage: sts classify --model MODEL.json [options] [TEXT...]

Classifies each TEXT, or each line of standard input when no TEXT is given. Into a pipe or a
file it prints one JSON event per line (JSON Lines): {"event": "match" | "noMatch" |
"lengthLimit" | "timeLimit", ...}. On a terminal it prints one readable line per phrase (event,
intent, score against the threshold, closest training phrase, slots) and, with no TEXT, asks
for phrases one after another until Ctrl-D.

Options:
  -m, --model FILE        compiled model (from sts train) (required)
  -t, --threshold X       match only when the best score is > X (default: the model's; JAICP's is ${DEFAULT_SETTINGS.threshold})
  -n, --n-best N          how many intents to list in "alternatives" (default: the model's, ${DEFAULT_SETTINGS.nBest} unless set)
      --time-limit MS     deadline per text in milliseconds (default: the model's, ${DEFAULT_SETTINGS.timeLimit} unless set; 0 = none)
      --no-explain        leave out the word alignment of the best phrase
      --json              JSON Lines on a terminal too
      --pretty            indent the JSON (implies --json)
  -h, --help              this help
`;

export async function classify(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('classify', argv, {
    model: { type: 'string', short: 'm' },
    threshold: { type: 'string', short: 't' },
    'n-best': { type: 'string', short: 'n' },
    'time-limit': { type: 'string' },
    'no-explain': { type: 'boolean' },
    pretty: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) return io.stdout(CLASSIFY_HELP), 0;
  if (!values.model) throw new UsageError('sts classify: --model FILE is required');
  const { model, regression } = await readModel(path.resolve(io.cwd, values.model as string));
  const classifier = createClassifier(model, { regression });
  const options: ClassifyOptions = { explain: !values['no-explain'] };
  const shape = CallOverride.shape;
  const threshold = numberOption('classify', 'threshold', values.threshold, shape.threshold.unwrap());
  const nBest = numberOption('classify', 'n-best', values['n-best'], shape.nBest.unwrap());
  const timeLimit = numberOption('classify', 'time-limit', values['time-limit'], shape.timeLimit.unwrap());
  if (threshold !== undefined) options.threshold = threshold;
  if (nBest !== undefined) options.nBest = nBest;
  if (timeLimit !== undefined) options.timeLimit = timeLimit;
  const readable = io.stdoutIsTTY === true && !values.json && !values.pretty;
  const shownThreshold = threshold ?? classifier.model.settings.threshold;
  const print = async (text: string) => {
    const event = await classifier.classify(text, options);
    io.stdout((readable ? formatEvent(event, shownThreshold) : JSON.stringify(event, null, values.pretty ? 2 : undefined)) + '\n');
  };
  if (positionals.length > 0) {
    for (const text of positionals) await print(text);
    return 0;
  }
  const lines = io.stdinLines();
  if (!lines) throw new UsageError('sts classify: give TEXT arguments or pipe lines on standard input');
  const interactive = io.stdinIsTTY;
  if (interactive) io.stderr(`model ${classifier.model.id}: type a phrase, Ctrl-D to quit\n> `);
  for await (const line of lines) {
    if (line.trim() !== '') await print(line);
    if (interactive) io.stderr('> ');
  }
  return 0;
}
