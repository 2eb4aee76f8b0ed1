import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
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
    // Node's message may hint on a second line ("use '--threshold=-XYZ'"): keep it, on one line.
    throw new UsageError(`sts ${command}: ${(e as Error).message.replace(/\s*\n\s*/g, ' ')}`);
  }
}

/** A numeric option: absent → undefined; anything but a finite number → a usage error naming it. */
export function numberOption(
  command: string,
  name: string,
  value: string | boolean | undefined,
  schema?: z.ZodType<number>,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n)) {
    throw new UsageError(`sts ${command}: --${name} must be a number, got "${String(value)}"`);
  }
  const checked = schema?.safeParse(n);
  if (checked && !checked.success) {
    throw new UsageError(`sts ${command}: --${name} ${n} is out of range (${checked.error.issues[0]?.message})`);
  }
  return n;
}
