/**
 * A binary max-heap of (id, key) pairs in typed arrays. Fill with push(), heapify() once
 * (linear), then pop() in key order, highest first; or insert() one at a time (the arrays
 * grow as needed). Ties pop the lower id first, so results do not depend on insertion order.
 */
export class MaxHeap {
  private ids: Int32Array;
  private keys: Float64Array;
  private size = 0;

  constructor(capacity: number) {
    this.ids = new Int32Array(Math.max(1, capacity));
    this.keys = new Float64Array(Math.max(1, capacity));
  }

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
    if (this.size === this.ids.length) {
      const ids = new Int32Array(this.size * 2);
      const keys = new Float64Array(this.size * 2);
      ids.set(this.ids);
      keys.set(this.keys);
      this.ids = ids;
      this.keys = keys;
    }
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
