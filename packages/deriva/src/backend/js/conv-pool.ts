/**
 * A convolution followed by max pooling (and a relu), as the kernels in turn with the convolution's output
 * (and, backward, its gradient) in a temporary array: the reference the WebAssembly backend's
 * single call is tested against.
 */
import { allocate, type FloatArray } from "../arrays.js";
import type { Conv2dParams, Pool2dParams } from "../backend.js";
import { conv2d, conv2dBackwardFilter, conv2dBackwardInput } from "./conv.js";
import { unary } from "./elementwise.js";
import { maxPool2d, maxPool2dBackward, throughRelu } from "./pool.js";
import { reduce } from "./reduce.js";

/** A zero-filled array of x's type for the convolution's output. */
function convOutput(x: FloatArray, p: Conv2dParams): FloatArray {
  const size = p.n * p.cOut * p.outH * p.outW;
  return allocate(x instanceof Float64Array ? "float64" : "float32", size) as FloatArray;
}

export function conv2dMaxPool2d(
  x: FloatArray,
  weight: FloatArray,
  bias: FloatArray | null,
  out: FloatArray,
  argmax: Int32Array,
  conv: Conv2dParams,
  pool: Pool2dParams,
  relu: boolean,
): void {
  const convolved = convOutput(x, conv);
  conv2d(x, weight, bias, convolved, conv);
  maxPool2d(convolved, out, argmax, pool);
  if (relu) unary("relu", out, out);
}

export function conv2dMaxPool2dBackward(
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
  const gConvolved = convOutput(x, conv);
  maxPool2dBackward(throughRelu(g, reluOutput), argmax, gConvolved, pool);
  if (dx) conv2dBackwardInput(gConvolved, weight, dx, conv);
  if (dWeight) conv2dBackwardFilter(x, gConvolved, dWeight, conv);
  if (dBias) reduce("sum", gConvolved, [conv.n, conv.cOut, conv.outH, conv.outW], [0, 2, 3], dBias);
}
