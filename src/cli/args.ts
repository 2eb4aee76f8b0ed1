import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with its errors turned into usage errors that name the command. */
export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(command: string, argv: string[], options: Options): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (e) {
    throw new UsageError(`sts ${command}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** A numeric option: absent → undefined; anything but a finite number → a usage error naming it. */
export function numberOption(command: string, name: string, value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n)) {
    throw new UsageError(`sts ${command}: --${name} must be a number, got "${String(value)}"`);
  }
  return n;
}
