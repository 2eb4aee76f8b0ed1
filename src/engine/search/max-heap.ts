/**
 * A binary max-heap of (id, key) pairs. Fill with push(), heapify() once (linear), then pop()
 * in key order, highest first; or insert() one at a time. Ties pop the lower id first, so
 * results do not depend on insertion order. Plain arrays rather than typed ones: a search makes
 * several short-lived heaps, and typed arrays cost more to allocate than they save here.
 */
export class MaxHeap {
  private readonly ids: number[] = [];
  private readonly keys: number[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  /** Appends without ordering; call heapify() before the first pop. */
  push(id: number, key: number): void {
    this.ids[this.size] = id;
    this.keys[this.size] = key;
    this.size++;
  }

  /** Adds one pair to a heap that is already in order. */
  insert(id: number, key: number): void {
    let i = this.size++;
    this.ids[i] = id;
    this.keys[i] = key;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.above(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  heapify(): void {
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /** The highest key (without removing it); -Infinity when empty. */
  peekKey(): number {
    return this.size > 0 ? (this.keys[0] as number) : -Infinity;
  }

  /** Removes and returns the id with the highest key; -1 when empty. */
  pop(): number {
    if (this.size === 0) return -1;
    const top = this.ids[0] as number;
    this.size--;
    if (this.size > 0) {
      this.ids[0] = this.ids[this.size] as number;
      this.keys[0] = this.keys[this.size] as number;
      this.siftDown(0);
    }
    return top;
  }

  private above(a: number, b: number): boolean {
    const ka = this.keys[a] as number;
    const kb = this.keys[b] as number;
    return ka > kb || (ka === kb && (this.ids[a] as number) < (this.ids[b] as number));
  }

  private siftDown(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < this.size && this.above(l, top)) top = l;
      if (r < this.size && this.above(r, top)) top = r;
      if (top === i) return;
      this.swap(i, top);
      i = top;
    }
  }

  private swap(a: number, b: number): void {
    const id = this.ids[a] as number;
    const key = this.keys[a] as number;
    this.ids[a] = this.ids[b] as number;
    this.keys[a] = this.keys[b] as number;
    this.ids[b] = id;
    this.keys[b] = key;
  }
}
