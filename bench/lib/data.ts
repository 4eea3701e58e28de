/**
 * The workloads' data, exactly as bench/WORKLOADS.md defines it: MNIST in its fixed split
 * and epoch orders, Glorot-uniform weights from mulberry32 seeds, and the two Gaussian blobs.
 */

import { loadMnist } from "@deriva/cli/datasets";
import { data } from "deriva";

const { mulberry32, permutation } = data;

export interface Mnist {
  /** 8,000 × 784 training pixels in [0, 1], row-major, and their labels. */
  readonly trainX: Float32Array;
  readonly trainY: Int32Array;
  readonly testX: Float32Array;
  readonly testY: Int32Array;
}

export async function mnist(): Promise<Mnist> {
  const { train, test } = await loadMnist({ flat: true });
  return {
    trainX: train.x.data() as Float32Array,
    trainY: train.y.data() as Int32Array,
    testX: test.x.data() as Float32Array,
    testY: test.y.data() as Int32Array,
  };
}

export const BATCH = 64;
export const PIXELS = 784;

/** The order epoch e visits the 8,000 training samples in. */
export function epochOrder(epoch: number): Int32Array {
  return permutation(8000, mulberry32(1000 + epoch));
}

/** Batch s of an epoch order: its pixels [64·784] and labels [64], gathered from the training arrays. */
export function gatherBatch(set: Mnist, order: Int32Array, s: number): { x: Float32Array; y: Int32Array } {
  const x = new Float32Array(BATCH * PIXELS);
  const y = new Int32Array(BATCH);
  for (let k = 0; k < BATCH; k++) {
    const i = order[s * BATCH + k]!;
    x.set(set.trainX.subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
    y[k] = set.trainY[i]!;
  }
  return { x, y };
}

/** Glorot/Xavier uniform U(±√(6/(fanIn+fanOut))) from mulberry32(seed), in the order the JS peers draw them. */
export function glorot(size: number, fanIn: number, fanOut: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = (2 * rand() - 1) * limit;
  return out;
}

/**
 * A [rows, cols] row-major matrix transposed to [cols, rows] (tfjs dense kernels are [in, out],
 * deriva's Linear weights [out, in]).
 */
export function transposed(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

/**
 * The two blobs of W4: N points, the first half label 0 around (−1, −1), the rest label 1
 * around (1, 1), each coordinate plus a Box-Muller normal √(−2 ln u)·cos(2πv) (u redrawn if 0).
 */
export function twoBlobs(n: number): { x: Float32Array; y: Float32Array } {
  const rand = mulberry32(7);
  const normal = () => {
    let u = rand();
    while (u === 0) u = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const x = new Float32Array(2 * n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const centre = i < n / 2 ? -1 : 1;
    y[i] = i < n / 2 ? 0 : 1;
    x[2 * i] = centre + normal();
    x[2 * i + 1] = centre + normal();
  }
  return { x, y };
}
