// How `split r1:...:rk` cuts n features into rows (LANGUAGE.md, "Meaning").

/**
 * Row i gets floor(n * ri / R); the units left over go one each to the rows with the
 * largest fractional remainders, ties to the earlier row. Exact for any sizes (BigInt).
 */
export function splitSizes(n: number, ratios: readonly number[]): number[] {
  const total = ratios.reduce((a, b) => a + BigInt(b), 0n);
  const big = BigInt(n);
  const sizes = ratios.map((r) => (big * BigInt(r)) / total);
  const remainders = ratios.map((r, i) => ({ i, rem: (big * BigInt(r)) % total }));
  let left = big - sizes.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    sizes[i] += 1n;
    left -= 1n;
  }
  return sizes.map(Number);
}

/** Start offsets of contiguous rows of the given sizes. */
export function rowStarts(sizes: readonly number[]): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const s of sizes) {
    starts.push(at);
    at += s;
  }
  return starts;
}
