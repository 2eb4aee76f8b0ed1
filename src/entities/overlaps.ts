/**
 * How overlapping entity matches are settled: the longest match (in characters) wins, then
 * the one that starts first, then the entity declared first (custom entities in file order,
 * then built-ins), then the record declared first. Every tie is broken, so the same request
 * always gives the same entities.
 */
export interface Candidate {
  start: number;
  end: number;
  /** Declaration order of the entity: custom entities first, then built-ins. */
  entityOrder: number;
  /** Declaration order of the record inside its entity. */
  recordOrder: number;
}

export function compareCandidates(a: Candidate, b: Candidate): number {
  return (
    b.end - b.start - (a.end - a.start) ||
    a.start - b.start ||
    a.entityOrder - b.entityOrder ||
    a.recordOrder - b.recordOrder
  );
}

/**
 * The winners: no two overlap, sorted by start. Greedy over the candidates in preference
 * order, each taken if its characters are still free; at most `limit` are kept, the earliest
 * in the text (the preference order decides who wins, the position who is kept).
 */
export function resolveOverlaps<C extends Candidate>(candidates: readonly C[], textLength: number, limit: number): C[] {
  const taken = new Uint8Array(textLength);
  const winners: C[] = [];
  for (const c of [...candidates].sort(compareCandidates)) {
    let free = true;
    for (let k = c.start; k < c.end && free; k++) if (taken[k]) free = false;
    if (!free) continue;
    taken.fill(1, c.start, c.end);
    winners.push(c);
  }
  return winners.sort((a, b) => a.start - b.start).slice(0, limit);
}
