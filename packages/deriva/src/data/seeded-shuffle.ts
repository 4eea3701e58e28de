/**
 * Seeded shuffling: mulberry32, a small 32-bit generator, and a Fisher-Yates permutation driven by
 * it. The data loaders' epoch orders, the dataset splits and the CLI's MNIST split are fixed by
 * these two functions (exported as data.mulberry32 and data.permutation), so a seed gives the same
 * order everywhere; the benchmark workloads are defined with them too, so the bench suite and its
 * peers visit the same samples in the same order.
 */

/**
 * mulberry32: a 32-bit state generator returning uniform numbers in [0, 1) with 32 random bits.
 * The seed is taken modulo 2^32.
 * @example
 * const random = data.mulberry32(42);
 * random(); // 0.6011037519201636
 */
export function mulberry32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random permutation of 0..n-1 by Fisher-Yates: for i from n-1 down to 1, swap i with
 * j = floor(rand() · (i + 1)). `rand` returns uniform numbers in [0, 1).
 * @example
 * const order = data.permutation(8000, data.mulberry32(1000)); // epoch 0's order in the benchmark workloads
 * order.length; // 8000
 */
export function permutation(n: number, rand: () => number): Int32Array {
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) {
    throw new Error(`permutation: n must be an integer in [0, 2^31), got ${n}`);
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i >= 1; i--) {
    const j = Math.floor(rand() * (i + 1));
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  return order;
}
