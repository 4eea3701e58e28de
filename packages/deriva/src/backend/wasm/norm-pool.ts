/**
 * Batch normalization followed by max pooling in one call through the arena: the batch-norm
 * kernel writes the normalized tensor into arena scratch (split by channel), the max-pool kernel
 * pools it (split by plane), and only the pooled output, its argmax and the statistics are copied
 * out. Backward, the max-pool backward kernel scatters the pooled gradient into scratch and the
 * batch-norm backward kernel reads it there. The kernels are batchNorm's and maxPool2d's, so the
 * values are those of the two calls in turn; what is saved is the full-size tensor each way that
 * JavaScript would otherwise allocate, fill from the arena and copy back in.
 */
import type { FloatArray } from "../arrays.js";
import type { BatchNormParams, Pool2dParams } from "../backend.js";
import { byPlane, poolGeometry } from "./conv.js";
import { callThroughHeap, flavour } from "./heap-call.js";
import { channelRanges } from "./normalization.js";
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
): void {
  const { heap } = rt;
  callThroughHeap(
    rt,
    flavour(x, "max_pool"),
    [x, weight, bias],
    [{ array: out }, { array: argmax }, { array: mean }, { array: variance }],
    ([xAt, wAt, bAt, outAt, argmaxAt, meanAt, varianceAt]) => {
      const normalizedAt = heap.alloc(x.byteLength);
      rt.pool.run(
        flavour(x, "batch_norm"),
        channelRanges(rt, norm).map(([c0, c1]) => [
          xAt!,
          wAt!,
          bAt!,
          normalizedAt,
          meanAt!,
          varianceAt!,
          norm.n,
          norm.c,
          norm.spatial,
          norm.eps,
          c0,
          c1,
        ]),
      );
      return byPlane(rt, pool, heap.writeInts(poolGeometry(pool)), [normalizedAt, outAt!, argmaxAt!]);
    },
  );
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
): void {
  const { heap } = rt;
  callThroughHeap(
    rt,
    flavour(x, "batch_norm_backward"),
    [g, argmax, x, weight, mean, variance],
    [{ array: dx }, { array: dWeight }, { array: dBias }],
    ([gAt, argmaxAt, xAt, wAt, meanAt, varianceAt, dxAt, dwAt, dbAt]) => {
      // the max-pool backward kernel zeroes its planes of the scratch before adding into them
      const gNormalizedAt = heap.alloc(x.byteLength);
      rt.pool.run(
        flavour(x, "max_pool_backward"),
        byPlane(rt, pool, heap.writeInts(poolGeometry(pool)), [gAt!, argmaxAt!, gNormalizedAt]),
      );
      return channelRanges(rt, norm).map(([c0, c1]) => [
        gNormalizedAt,
        xAt!,
        wAt!,
        meanAt!,
        varianceAt!,
        dxAt!,
        dwAt!,
        dbAt!,
        norm.n,
        norm.c,
        norm.spatial,
        norm.eps,
        c0,
        c1,
      ]);
    },
  );
}
