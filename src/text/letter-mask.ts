/**
 * Which letters a word has, hashed into 32 bits (a letter's code modulo 32: the Latin letters
 * and the Russian alphabet but "ё" each get a bit of their own). A letter in one word but not
 * the other adds at least 1 to the size of the two words' letter multisets' symmetric
 * difference, and so does each set bit of maskA ^ maskB (a bucket differs only if one of its
 * letters does): popcount(maskA ^ maskB) is at most that size.
 */
export function letterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i++) mask |= 1 << (word.charCodeAt(i) & 31);
  return mask;
}

/** The number of set bits of a 32-bit integer. */
export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
