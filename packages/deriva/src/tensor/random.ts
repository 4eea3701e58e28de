/**
 * Seeded pseudo-random numbers: xoshiro128** (fast, 2^128 period, good statistical quality)
 * seeded through splitmix32. One global generator drives rand/randn/randint and layer
 * initialization; manualSeed(seed) makes a program reproducible.
 */

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * A seeded pseudo-random generator (xoshiro128**, period 2^128). The global one, reseeded by
 * manualSeed, drives rand, randn, randint, layer initialization and dropout; give one of your own
 * in `{ generator }` to draw an independent, reproducible stream.
 *
 * @example
 * const g = new Generator(42);
 * rand([3], { generator: g }).shape; // [3]
 */
export class Generator {
  /** xoshiro128**'s four state words. */
  readonly #state = new Int32Array(4);
  #spareNormal: number | null = null;

  constructor(seed: number) {
    this.seed(seed);
  }

  /**
   * Restarts the stream from `seed` (any finite number; seeds above 2^32 still differ). Throws on NaN or
   * ±Infinity.
   */
  seed(seed: number): void {
    if (!Number.isFinite(seed)) throw new Error(`manualSeed: the seed must be a finite number, got ${seed}`);
    // fold the seed's high bits in, so seeds above 2^32 still differ
    const next = splitmix32((seed >>> 0) ^ Math.floor(seed / 2 ** 32));
    for (let i = 0; i < 4; i++) this.#state[i] = next();
    this.#spareNormal = null;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    return step(this.#state);
  }

  /** @internal Fills `out` with what uniform() would give, one value after another (rand's loop). */
  fillUniform(out: { length: number; [index: number]: number }): void {
    // xoshiro128** with its state in locals: the same stream, at a fraction of the cost of the
    // state array's loads and stores per step. uniformOf's two steps per value are written out
    // twice on purpose: one step per iteration with a branch on its parity took 0.88 ms for
    // 131,072 values, the two written out 0.56
    const state = this.#state;
    let s0 = state[0]!;
    let s1 = state[1]!;
    let s2 = state[2]!;
    let s3 = state[3]!;
    for (let i = 0; i < out.length; i++) {
      const high = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 5;
      let t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      const low = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 6;
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      out[i] = (high * 67108864 + low) / 9007199254740992;
    }
    state[0] = s0;
    state[1] = s1;
    state[2] = s2;
    state[3] = s3;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    return uniformOf(this.#state);
  }

  /** Standard normal by the Box-Muller transform (the second value of each pair is kept). */
  normal(): number {
    if (this.#spareNormal !== null) {
      const spare = this.#spareNormal;
      this.#spareNormal = null;
      return spare;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** One xoshiro128** step on its state words: a uniform 32-bit unsigned integer. */
function step(s: Int32Array): number {
  const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
  const t = s[1]! << 9;
  s[2]! ^= s[0]!;
  s[3]! ^= s[1]!;
  s[1]! ^= s[2]!;
  s[0]! ^= s[3]!;
  s[2]! ^= t;
  s[3] = rotl(s[3]!, 11);
  return result;
}

/** Uniform in [0, 1) with 53 random bits, from two steps. */
function uniformOf(s: Int32Array): number {
  const high = step(s) >>> 5; // 27 bits
  const low = step(s) >>> 6; // 26 bits
  return (high * 67108864 + low) / 9007199254740992;
}

/** The generator behind rand, randn, randint, dropout and layer initialization. */
export const globalGenerator = new Generator(0x5eed);

/** Seeds the global generator: the same seed gives the same random tensors and initial weights. */
export function manualSeed(seed: number): void {
  globalGenerator.seed(seed);
}
