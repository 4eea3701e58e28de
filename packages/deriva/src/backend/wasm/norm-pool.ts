/**
 * Batch normalization followed by max pooling (and a relu) in one call through the arena: the
 * batch-norm kernel writes the normalized tensor into arena scratch (split by channel), the
 * max-pool kernel pools it (split by plane), the relu runs in place, and only the result, its
 * argmax and the statistics are copied out. Backward, the gradient passes back through the relu,
 * the max-pool backward kernel scatters it into scratch and the batch-norm backward kernel reads
 * it there. The kernels are batchNorm's and maxPool2d's, so the values are those of the calls in
 * turn; what is saved is the full-size tensor each way that
 * JavaScript would otherwise allocate, fill from the arena and copy back in.
 */
import type { FloatArray } from "../arrays.js";
import type { BatchNormParams, Pool2dParams } from "../backend.js";
import { callThroughHeap, flavour } from "./heap-call.js";
import { perChannelParts } from "./normalization.js";
import { poolInHeap, unpoolInHeap } from "./pool-heap.js";
import type { WasmRuntime } from "./runtime.js";

export function wasmBatchNormMaxPool2d(
  rt: WasmRuntime,
  x: FloatArray,
  weight: FloatArray,
  bias: FloatArray,
  out: FloatArray,
  argmax: Int32Array,
  mean: FloatArray,
  variance: FloatArray,
  norm: BatchNormParams,
  pool: Pool2dParams,
  relu: boolean,
): void {
  const { heap } = rt;
  heap.reset();
  const inputs = [heap.write(x), heap.write(weight), heap.write(bias)];
  const normalizedAt = heap.alloc(x.byteLength);
  const [meanAt, varianceAt] = [heap.alloc(mean.byteLength), heap.alloc(variance.byteLength)];
  rt.pool.run(
    flavour(x, "batch_norm"),
    perChannelParts(rt, norm, [...inputs, normalizedAt, meanAt, varianceAt]),
  );
  heap.read(meanAt, mean);
  heap.read(varianceAt, variance);
  poolInHeap(rt, x, normalizedAt, out, argmax, pool, relu);
}

export function wasmBatchNormMaxPool2dBackward(
  rt: WasmRuntime,
  g: FloatArray,
  argmax: Int32Array,
  x: FloatArray,
  weight: FloatArray,
  mean: FloatArray,
  variance: FloatArray,
  dx: FloatArray,
  dWeight: FloatArray,
  dBias: FloatArray,
  norm: BatchNormParams,
  pool: Pool2dParams,
  reluOutput: FloatArray | null,
): void {
  callThroughHeap(
    rt,
    flavour(x, "batch_norm_backward"),
    [x, weight, mean, variance],
    [{ array: dx }, { array: dWeight }, { array: dBias }],
    (offsets) => {
      const gNormalizedAt = unpoolInHeap(rt, g, reluOutput, argmax, pool, x.byteLength);
      return perChannelParts(rt, norm, [gNormalizedAt, ...offsets]);
    },
  );
}
