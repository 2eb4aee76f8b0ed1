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
  let count = 0;
  // The worst kept value once `size` are kept. Positions come in increasing order, so a new one
  // ranks below every kept one of equal value: the comparisons below need no position but in
  // the final sort, and no closure (this runs over every phrase of each intent the search re-ranks).
  let worst = Infinity;
  for (let q = 0; q < values.length; q++) {
    const value = values[q] as number;
    if (!(value > above)) continue;
    count++;
    if (kept.length < size) {
      // Sift up past the parents it is worse than (lower value, or equal at a lower position).
      let i = kept.length;
      kept.push(q);
      while (i > 0) {
        const parent = (i - 1) >> 1;
        const p = kept[parent] as number;
        if (!(value <= (values[p] as number))) break;
        kept[i] = p;
        i = parent;
      }
      kept[i] = q;
      if (kept.length === size) worst = values[kept[0] as number] as number;
    } else if (value > worst) {
      // Better than the worst kept (an equal value is not: its position is higher). Sift down.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        let w = l;
        let wv = values[kept[l] as number] as number;
        if (r < size) {
          const rv = values[kept[r] as number] as number;
          if (rv < wv || (rv === wv && (kept[r] as number) > (kept[l] as number))) {
            w = r;
            wv = rv;
          }
        }
        if (!(wv < value)) break;
        kept[i] = kept[w] as number;
        i = w;
      }
      kept[i] = q;
      worst = values[kept[0] as number] as number;
    }
  }
  // Highest first, ties by position: an insertion sort, as `size` is a handful and Array.prototype.sort with a comparator costs more for so few.
  for (let i = 1; i < kept.length; i++) {
    const q = kept[i] as number;
    const value = values[q] as number;
    let j = i;
    for (; j > 0; j--) {
      const o = kept[j - 1] as number;
      const ov = values[o] as number;
      if (!(ov < value || (ov === value && o > q))) break;
      kept[j] = o;
    }
    kept[j] = q;
  }
  return { best: kept, count };
}
