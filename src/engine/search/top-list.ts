/**
 * Puts `item` into `list`, kept sorted best first and at most `size` long: before every element
 * it is ahead of (`ahead(other)`: it ranks above `other`), and the last element falls off when
 * the list grows past `size`. Returns how many items did not fit: 0, or 1 (`item` itself, or
 * the one it pushed out).
 */
export function insertTop<T>(list: T[], item: T, size: number, ahead: (other: T) => boolean): number {
  let at = list.length;
  while (at > 0 && ahead(list[at - 1] as T)) at--;
  if (at >= size) return 1;
  list.splice(at, 0, item);
  if (list.length <= size) return 0;
  list.pop();
  return 1;
}

/**
 * The positions of the `size` highest values above `above`, highest first (ties: the lower
 * position), and how many values are above it. One pass with a small heap whose root is the
 * worst kept, so most positions cost one comparison: for picking a few among many (an intent's
 * leading phrase bounds, a request's leading intents) without ordering the rest.
 */
export function leadingPositions(values: ArrayLike<number>, size: number, above: number): { best: number[]; count: number } {
  const kept: number[] = []; // a heap, worst at the root
  const worse = (a: number, b: number) => (values[a] as number) < (values[b] as number) || ((values[a] as number) === (values[b] as number) && a > b);
  let count = 0;
  for (let q = 0; q < values.length; q++) {
    const value = values[q] as number;
    if (!(value > above)) continue;
    count++;
    if (kept.length < size) {
      // Sift up.
      let i = kept.length;
      kept.push(q);
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(q, kept[parent] as number)) break;
        kept[i] = kept[parent] as number;
        i = parent;
      }
      kept[i] = q;
    } else if (value > (values[kept[0] as number] as number)) {
      // Better than the worst kept (an equal value is not: its position is higher). Sift down.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        const w = r < size && worse(kept[r] as number, kept[l] as number) ? r : l;
        if (!worse(kept[w] as number, q)) break;
        kept[i] = kept[w] as number;
        i = w;
      }
      kept[i] = q;
    }
  }
  // Highest first, ties by position: an insertion sort, as `size` is a handful and Array.prototype.sort with a comparator costs more for so few.
  for (let i = 1; i < kept.length; i++) {
    const q = kept[i] as number;
    let j = i;
    while (j > 0 && worse(kept[j - 1] as number, q)) {
      kept[j] = kept[j - 1] as number;
      j--;
    }
    kept[j] = q;
  }
  return { best: kept, count };
}
