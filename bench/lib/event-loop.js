// The server's own event-loop figures, read from its /metrics, for the benchmarks that load it.

/**
 * The figures so far (cumulative, so a run's are the difference of two reads): garbage-collection
 * pauses of the event loop (how many, their total ms, how many over 5 and over 20 ms, all kinds),
 * and ticks of its 10 ms timer that fired over 5 and over 20 ms late.
 */
export async function eventLoop(url) {
  const text = await fetch(`${url}/metrics`).then((r) => r.text());
  if (!text.includes('sts_event_loop_delay_seconds_count')) throw new Error('the server exports no event-loop metrics: rebuild dist/ (npm run build)');
  const lines = text.split('\n');
  const total = (series, le) => lines.filter((l) => l.startsWith(`${series}{`) && (le === undefined || l.includes(`le="${le}"`))).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
  const over = (metric, le) => total(`${metric}_bucket`, '+Inf') - total(`${metric}_bucket`, le);
  const gc = 'sts_event_loop_gc_pause_seconds';
  const delay = 'sts_event_loop_delay_seconds';
  return {
    gcPauses: total(`${gc}_count`),
    gcMs: total(`${gc}_sum`) * 1000,
    gc5: over(gc, '0.005'),
    gc20: over(gc, '0.02'),
    late5: over(delay, '0.005'),
    late20: over(delay, '0.02'),
  };
}

/** The figures of a run: what `after` counted past `before`. */
export function eventLoopDuring(before, after) {
  return Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - before[k]]));
}
