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
