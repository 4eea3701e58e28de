/** Mini-batches over a data set: seeded per-epoch shuffling, optional drop of the last short batch. */
import type { Tensor } from "../tensor/tensor.js";
import { gatherRows } from "./gather.js";
import { mulberry32, permutation } from "./seeded-shuffle.js";

/** One mini-batch: the rows of x and y that a DataLoader gathered, and which samples they are. */
export interface Batch {
  /** Inputs of the batch: [B, ...]. */
  readonly x: Tensor;
  /** Targets of the batch: [B] or [B, k]. */
  readonly y: Tensor;
  /** Which samples of the data set the batch holds, in batch order. */
  readonly indices: Int32Array;
}

/** Options of a DataLoader. */
export interface DataLoaderOptions {
  /** Samples per batch (default 32). */
  batchSize?: number;
  /** Visit the samples in a new seeded random order every epoch (default false: data set order). */
  shuffle?: boolean;
  /** Seed of the shuffles (default 0). */
  seed?: number;
  /** Leave out the last batch when it is shorter than batchSize (default false). */
  dropLast?: boolean;
}

/** Anything with inputs and targets along axis 0, such as a Dataset. */
export interface Samples {
  /** Inputs, one sample per entry of axis 0. */
  readonly x: Tensor;
  /** Targets, as many along axis 0 as x has samples. */
  readonly y: Tensor;
}

/**
 * Iterates over mini-batches `{ x, y, indices }`. Each `for...of` over the loader is one epoch;
 * with `shuffle`, epoch e visits the samples in the order permutation(N, mulberry32(seed + e)),
 * so the same seed gives the same orders, and each epoch's order differs. (With seed 1000 and
 * batch size 64 on the 8,000 MNIST training digits this is exactly the order of the benchmark
 * workloads.) Batches are gathered by copying rows of the flat arrays.
 * @example
 * const samples = { x: randn([100, 4]), y: randint(0, 3, [100], { dtype: "int32" }) };
 * const loader = new data.DataLoader(samples, { batchSize: 64, shuffle: true, seed: 1 });
 * loader.length; // 2
 * [...loader].map((batch) => batch.x.shape[0]); // [64, 36]: one epoch
 */
export class DataLoader implements Iterable<Batch> {
  /** The data set the batches are cut from. */
  readonly data: Samples;
  /** Samples per batch (the last one may be shorter unless dropLast). */
  readonly batchSize: number;
  /** Whether each epoch visits the samples in a new seeded random order. */
  readonly shuffle: boolean;
  /** The seed of the shuffles: epoch e uses seed + e. */
  readonly seed: number;
  /** Whether the last batch is left out when it is shorter than batchSize. */
  readonly dropLast: boolean;
  #nextEpoch = 0;

  constructor(data: Samples, opts: DataLoaderOptions = {}) {
    const { batchSize = 32, shuffle = false, seed = 0, dropLast = false } = opts;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new Error(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    }
    if (!Number.isFinite(seed)) throw new Error(`DataLoader: the seed must be a finite number, got ${seed}`);
    if (data.x.ndim === 0 || data.y.ndim === 0 || data.x.shape[0] !== data.y.shape[0]) {
      throw new Error(
        `DataLoader: x and y must hold the same number of samples along axis 0, got x [${data.x.shape}] and y [${data.y.shape}]`,
      );
    }
    this.data = data;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.dropLast = dropLast;
  }

  /** Number of samples. */
  get size(): number {
    return this.data.x.shape[0]!;
  }

  /** Batches per epoch. */
  get length(): number {
    return this.dropLast ? Math.floor(this.size / this.batchSize) : Math.ceil(this.size / this.batchSize);
  }

  /** The epoch the next `for...of` will run (starts at 0). */
  get epoch(): number {
    return this.#nextEpoch;
  }

  /** Makes the next `for...of` run epoch `epoch` (e.g. when resuming training). */
  setEpoch(epoch: number): void {
    if (!Number.isInteger(epoch) || epoch < 0) {
      throw new Error(`DataLoader.setEpoch: the epoch must be a non-negative integer, got ${epoch}`);
    }
    this.#nextEpoch = epoch;
  }

  /** The order in which epoch `epoch` visits the samples. */
  order(epoch: number): Int32Array {
    if (this.shuffle) return permutation(this.size, mulberry32((this.seed + epoch) >>> 0));
    const order = new Int32Array(this.size);
    for (let i = 0; i < order.length; i++) order[i] = i;
    return order;
  }

  /** The batches of epoch `epoch`, without moving the loader's epoch counter. */
  *batches(epoch: number): Generator<Batch> {
    const order = this.order(epoch);
    const count = this.length;
    for (let b = 0; b < count; b++) {
      const start = b * this.batchSize;
      const end = Math.min(start + this.batchSize, order.length);
      yield {
        x: gatherRows(this.data.x, order, start, end),
        y: gatherRows(this.data.y, order, start, end),
        indices: order.slice(start, end),
      };
    }
  }

  /** One epoch's batches: each `for...of` runs the next epoch (see epoch and setEpoch). */
  [Symbol.iterator](): Iterator<Batch> {
    return this.batches(this.#nextEpoch++);
  }
}
