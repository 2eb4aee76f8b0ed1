/**
 * A binary max-heap of (id, key) pairs in typed arrays. Fill with push(), heapify() once
 * (linear), then pop() in key order, highest first; ties pop the lower id first, so results
 * do not depend on insertion order.
 */
export class MaxHeap {
  private readonly ids: Int32Array;
  private readonly keys: Float64Array;
  private size = 0;

  constructor(capacity: number) {
    this.ids = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
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
      const id = this.ids[i] as number;
      const key = this.keys[i] as number;
      this.ids[i] = this.ids[top] as number;
      this.keys[i] = this.keys[top] as number;
      this.ids[top] = id;
      this.keys[top] = key;
      i = top;
    }
  }
}
