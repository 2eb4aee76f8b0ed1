import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { Histogram, type Registry } from 'prom-client';

/** perf_hooks' garbage-collection kinds, as the metric labels them. */
const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** Fine below the 5 ms a late answer may take, where the stalls that matter lie. */
const BUCKETS = [0.001, 0.003, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5];

/** How often the event loop's timer lateness is sampled (ms). */
const DELAY_TICK_MS = 10;

/**
 * The event loop's own stalls, which delay every answer and health check however the
 * classification goes (docs/limits.md): its garbage-collection pauses, by kind, and how late a
 * timer set every 10 ms fired. Both are cumulative histograms, so any number of scrapers (or
 * workers scraped in turn) read the same counts. For a server process: the observer and the
 * timer stay for the life of the process (neither keeps it alive); `stop()` ends them (tests).
 */
export function eventLoopMetrics(registry: Registry): { stop(): void } {
  const pauses = new Histogram({
    name: 'sts_event_loop_gc_pause_seconds',
    help: "Garbage-collection pauses of the server's event loop, by kind (major, minor, incremental, weakcb, other)",
    labelNames: ['kind'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  // Every entry: entries that come in one callback are several pauses.
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      pauses.observe({ kind: (kind !== undefined && GC_KINDS[kind]) || 'other' }, entry.duration / 1000);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const delays = new Histogram({
    name: 'sts_event_loop_delay_seconds',
    help: `How late a timer of the server's event loop, due every ${DELAY_TICK_MS} ms, fired: what an answer due at its timeLimit waits on top of it`,
    buckets: BUCKETS,
    registers: [registry],
  });
  let last = performance.now();
  const tick = setInterval(() => {
    const now = performance.now();
    delays.observe(Math.max(0, now - last - DELAY_TICK_MS) / 1000);
    last = now;
  }, DELAY_TICK_MS).unref();
  return {
    stop() {
      observer.disconnect();
      clearInterval(tick);
    },
  };
}
