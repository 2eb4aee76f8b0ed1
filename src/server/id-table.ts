/**
 * Values by a whole-number id, for a long-lived table that gains and loses an entry with every
 * request (jobs in a thread, responses in flight). Not a Map: a long-lived Map churned so
 * rebuilds its hash table again and again, and V8 links each table it replaces to the next one,
 * so replaced tables already in the old generation keep the newer ones, and the jobs, requests
 * and responses they held, alive through the event loop's young-generation collections
 * (docs/experiments.md, "What survived the young generation"). Numbered properties of a plain
 * object have no such link.
 */
export class IdTable<V> {
  private entries: Record<number, V> = Object.create(null) as Record<number, V>;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(id: number): V | undefined {
    return this.entries[id];
  }

  has(id: number): boolean {
    return id in this.entries;
  }

  set(id: number, value: V): void {
    if (!(id in this.entries)) this.count++;
    this.entries[id] = value;
  }

  delete(id: number): boolean {
    if (!(id in this.entries)) return false;
    delete this.entries[id];
    this.count--;
    return true;
  }

  /** The values, in the order of their ids. */
  values(): V[] {
    return Object.values(this.entries);
  }
}
