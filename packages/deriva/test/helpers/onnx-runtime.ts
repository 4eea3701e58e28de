/**
 * Runs an ONNX file in ONNX Runtime for the web (WebAssembly, in Node: no native binary), one
 * thread, and compares its output with deriva's.
 */
import * as ort from "onnxruntime-web";
import { expect } from "vitest";
import type { Tensor } from "../../src/index.js";

ort.env.wasm.numThreads = 1;

/** The model's output for `x` (float32, fed to the graph's first input) as computed by ONNX Runtime. */
export async function runOnnx(
  bytes: Uint8Array,
  x: Tensor,
): Promise<{ dims: number[]; values: Float32Array }> {
  const session = await ort.InferenceSession.create(bytes);
  const feed = new ort.Tensor("float32", Float32Array.from(x.data()), [...x.shape]);
  const results = await session.run({ [session.inputNames[0]!]: feed });
  const out = results[session.outputNames[0]!]!;
  return { dims: [...out.dims], values: out.data as Float32Array };
}

/** The largest |a − b| / max(1, |b|) over two equally long arrays. */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return worst;
}

/** ONNX Runtime gives deriva's output (shape and values to 1e-5, relative to values above 1). */
export async function expectOrtMatches(bytes: Uint8Array, x: Tensor, expected: Tensor): Promise<number> {
  const got = await runOnnx(bytes, x);
  expect(got.dims).toEqual(expected.shape);
  const error = maxRelativeError(got.values, expected.data());
  expect(error).toBeLessThan(1e-5);
  return error;
}
