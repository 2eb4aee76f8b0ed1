/**
 * What a loaded model is counted as against the memory budget: its file's size times this. A
 * model of about 300 phrases (JAICP-sized) takes about 29 times its file on the heap once loaded
 * (its parsed JSON, the prepared search tables and the acronym index); bigger models take less
 * per byte (21 times for 3,000 phrases). `npm run bench:fleet` prints the resident memory this
 * gives against the budget.
 */
export const MEMORY_PER_FILE_BYTE = 30;

/** The memory a model file's model takes once loaded, as the budget counts it. */
export function memoryCost(fileBytes: number): number {
  return fileBytes * MEMORY_PER_FILE_BYTE;
}

/**
 * The models loaded from a store, kept under a memory budget: adding one evicts the least
 * recently used until the total fits. An evicted model that a request still holds finishes that
 * request; the next one loads it again. A use is counted, not recorded by moving the entry to the
 * end of the map: every request reads the cache, and a long-lived map whose entries are deleted
 * and set again rebuilds its table over and over, garbage that outlives the event loop's young
 * generation (docs/experiments.md, "What survived the young generation").
 */
export class ModelCache<T> {
  private readonly items = new Map<string, { value: T; bytes: number; lastUse: number }>();
  private used = 0;
  private uses = 0;

  constructor(readonly budgetBytes: number) {}

  /** The value, marked as the most recently used. */
  get(name: string): T | undefined {
    const item = this.items.get(name);
    if (!item) return undefined;
    item.lastUse = ++this.uses;
    return item.value;
  }

  /** The value, without marking it as used (a listing reads every model). */
  peek(name: string): T | undefined {
    return this.items.get(name)?.value;
  }

  has(name: string): boolean {
    return this.items.has(name);
  }

  /** Adds (or replaces) a value and returns the names evicted to make room, least recently used first. */
  set(name: string, value: T, bytes: number): string[] {
    this.delete(name);
    const evicted: string[] = [];
    for (const other of this.names()) {
      if (this.used + bytes <= this.budgetBytes) break;
      this.delete(other);
      evicted.push(other);
    }
    this.items.set(name, { value, bytes, lastUse: ++this.uses });
    this.used += bytes;
    return evicted;
  }

  delete(name: string): boolean {
    const item = this.items.get(name);
    if (!item) return false;
    this.items.delete(name);
    this.used -= item.bytes;
    return true;
  }

  /** Names from the least to the most recently used. */
  names(): string[] {
    return [...this.items].sort(([, a], [, b]) => a.lastUse - b.lastUse).map(([name]) => name);
  }

  get size(): number {
    return this.items.size;
  }

  get usedBytes(): number {
    return this.used;
  }
}
