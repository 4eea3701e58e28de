/**
 * A convolution followed by max pooling (and a relu) in one call through the arena: the
 * convolution kernel writes its output into arena scratch (split by image), the max-pool kernel
 * pools it (split by plane), the relu runs in place, and only the result and the argmax are
 * copied out. Backward, the gradient passes back through the relu and the max-pool backward
 * kernel scatters it into scratch, where the input-gradient, filter-gradient and bias-sum kernels
 * read it. The kernels are those of conv2d, maxPool2d and their gradients, so the values are
 * those of the calls in turn; what is saved is the full-size tensor
 * each way that JavaScript would otherwise allocate, fill from the arena and copy back in.
 */
import type { FloatArray } from "../arrays.js";
import type { Conv2dParams, Pool2dParams } from "../backend.js";
import { byImage, conv2dParts, convGeometry, filterGradParts, passFilters } from "./conv.js";
import { reduceInHeap, suffix } from "./elementwise.js";
import { flavour } from "./heap-call.js";
import { poolInHeap, unpoolInHeap } from "./pool-heap.js";
import type { WasmRuntime } from "./runtime.js";

export function wasmConv2dMaxPool2d(
  rt: WasmRuntime,
  x: FloatArray,
  weight: FloatArray,
  bias: FloatArray | null,
  out: FloatArray,
  argmax: Int32Array,
  conv: Conv2dParams,
  pool: Pool2dParams,
  relu: boolean,
): void {
  const { heap } = rt;
  heap.reset();
  const [xAt, wAt] = [heap.write(x), heap.write(weight)];
  const bAt = bias ? heap.write(bias) : 0;
  const convolvedAt = heap.alloc(convOutputBytes(x, conv));
  const g = heap.writeInts(convGeometry(conv));
  rt.pool.run(flavour(x, "conv2d"), conv2dParts(rt, conv, x, g, [xAt, wAt, bAt, convolvedAt]));
  poolInHeap(rt, x, convolvedAt, out, argmax, pool, relu);
}

export function wasmConv2dMaxPool2dBackward(
  rt: WasmRuntime,
  g: FloatArray,
  argmax: Int32Array,
  x: FloatArray,
  weight: FloatArray,
  dx: FloatArray | null,
  dWeight: FloatArray | null,
  dBias: FloatArray | null,
  conv: Conv2dParams,
  pool: Pool2dParams,
  reluOutput: FloatArray | null,
): void {
  const { heap } = rt;
  heap.reset();
  const [xAt, wAt] = [heap.write(x), heap.write(weight)];
  const gConvolvedAt = unpoolInHeap(rt, g, reluOutput, argmax, pool, convOutputBytes(x, conv));
  const geometry = heap.writeInts(convGeometry(conv));
  if (dx) {
    const dxAt = heap.alloc(dx.byteLength);
    const filters = passFilters(rt, conv, x, geometry, wAt, true);
    rt.pool.run(
      flavour(x, "conv2d_input_grad"),
      byImage(rt, conv, x, geometry, [gConvolvedAt, filters, dxAt]),
    );
    heap.read(dxAt, dx);
  }
  if (dWeight) {
    const dwAt = heap.alloc(dWeight.byteLength);
    rt.pool.run(
      flavour(x, "conv2d_filter_grad"),
      filterGradParts(rt, conv, x, geometry, xAt, gConvolvedAt, dwAt),
    );
    heap.read(dwAt, dWeight);
  }
  if (dBias) {
    const shape = [conv.n, conv.cOut, conv.outH, conv.outW];
    heap.read(reduceInHeap(rt, "sum", gConvolvedAt, suffix(x), shape, [0, 2, 3], suffix(x)), dBias);
  }
}

function convOutputBytes(x: FloatArray, p: Conv2dParams): number {
  return p.n * p.cOut * p.outH * p.outW * x.BYTES_PER_ELEMENT;
}
