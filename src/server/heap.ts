import v8 from 'node:v8';

/**
 * How far V8 lets the heap grow past what the last full collection kept, in percent. V8's own
 * factor goes up to 4× when memory is allocated fast, as loading and evicting models does: with
 * 2,000 models under a 512 MB budget a server reached 2 GB resident, mostly garbage not yet
 * collected; at 25 % it stayed under 750 MB (npm run bench:fleet), for some more collection work
 * while models load.
 */
export const HEAP_GROWING_PERCENT = 25;

/**
 * Makes V8 collect before the heap grows far past what it holds: a server process keeps its
 * models under a memory budget, and its resident memory should follow. Called by the server's
 * shells (a library that merely imports the server keeps V8's defaults); a
 * `--heap-growing-percent` given to node wins.
 */
export function boundHeapGrowth(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((a) => a.startsWith('--heap-growing-percent') || a.startsWith('--heap_growing_percent'))) return;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
