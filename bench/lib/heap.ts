/**
 * Heap measurements for long op chains: forced garbage collection (without needing node's
 * --expose-gc flag) and samples of the JS heap and of typed-array memory as a loop runs.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { grad, noGrad, type Tensor, tensor } from "deriva";

/** A full, synchronous garbage collection. */
export const collectGarbage: () => void = (() => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
})();

export interface HeapSample {
  /** Op calls (or steps) done when the sample was taken. */
  readonly done: number;
  /** JS heap in use after a full collection, bytes. */
  readonly heapUsed: number;
  /** Memory held by ArrayBuffers (tensor data) after a full collection, bytes. */
  readonly arrayBuffers: number;
}

function sample(done: number): HeapSample {
  collectGarbage();
  collectGarbage();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { done, heapUsed, arrayBuffers };
}

/**
 * Runs `total` iterations of `step` on a state, sampling the heap after a warm-up tenth and then at
 * every further tenth. Returns the samples (the first is the baseline).
 */
function sampled<S>(
  state: S,
  total: number,
  step: (s: S, i: number) => S,
): { samples: HeapSample[]; state: S } {
  const checkpoints = 10;
  const samples: HeapSample[] = [];
  let i = 0;
  for (let c = 1; c <= checkpoints; c++) {
    const end = Math.round((total * c) / checkpoints);
    for (; i < end; i++) state = step(state, i);
    samples.push(sample(i));
  }
  return { samples, state };
}

/** A `size`-element float32 tensor through `ops` chained op calls (alternating ×0.5 and +0.5, no gradient). */
export function chainedOps(size: number, ops: number): { samples: HeapSample[]; result: Tensor } {
  const start = tensor(new Float32Array(size).fill(3));
  const { samples, state } = sampled(start, ops, (x, i) => (i % 2 === 0 ? x.mul(0.5) : x.add(0.5)));
  return { samples, result: state };
}

/**
 * Gradient descent on Σ w² for a `size`-element float32 w: each step records a graph, takes its
 * gradient and drops it. About 5 op calls per step.
 */
export function descentSteps(size: number, steps: number): { samples: HeapSample[]; result: Tensor } {
  const dLoss = grad((w: Tensor) => w.mul(w).sum());
  const start = tensor(new Float32Array(size).fill(1));
  const { samples, state } = sampled(start, steps, (w) => noGrad(() => w.sub(dLoss(w).mul(0.01))));
  return { samples, result: state };
}

/** Growth from the first sample to the largest later one, bytes (heap and typed arrays). */
export function growth(samples: readonly HeapSample[]): { heapUsed: number; arrayBuffers: number } {
  const base = samples[0]!;
  return {
    heapUsed: Math.max(...samples.map((s) => s.heapUsed)) - base.heapUsed,
    arrayBuffers: Math.max(...samples.map((s) => s.arrayBuffers)) - base.arrayBuffers,
  };
}
