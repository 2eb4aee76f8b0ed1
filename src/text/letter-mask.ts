/**
 * Which letters (UTF-16 code units) a word has, hashed into 32 bits by code modulo 32: within
 * the Latin alphabet, and within the Russian one, each letter gets a bit of its own (but "ё"
 * shares "б"'s). Each set bit of maskA ^ maskB needs a letter in one word and not the other
 * (a bucket differs only if one of its letters does), so popcount(maskA ^ maskB) is at most
 * the size of the symmetric difference of the two words' letter multisets.
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
