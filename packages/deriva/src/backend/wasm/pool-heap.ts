/**
 * The pooling end of the fused calls (conv-pool.ts, norm-pool.ts), on values already in the
 * arena: max pooling with an optional relu after it, and the pooled output's gradient passed back
 * through that relu.
 */
import type { FloatArray } from "../arrays.js";
import type { Pool2dParams } from "../backend.js";
import { byPlane, poolGeometry } from "./conv.js";
import { unaryGradInHeap, unaryInHeap } from "./elementwise.js";
import { flavour } from "./heap-call.js";
import type { WasmRuntime } from "./runtime.js";

/**
 * Max-pools the values of `like`'s type at `at` into out and argmax (relu after it when asked),
 * within the current call, and copies both out.
 */
export function poolInHeap(
  rt: WasmRuntime,
  like: FloatArray,
  at: number,
  out: FloatArray,
  argmax: Int32Array,
  pool: Pool2dParams,
  relu: boolean,
): void {
  const { heap } = rt;
  const outAt = heap.alloc(out.byteLength);
  const argmaxAt = heap.alloc(argmax.byteLength);
  rt.pool.run(
    flavour(like, "max_pool"),
    byPlane(rt, pool, heap.writeInts(poolGeometry(pool)), [at, outAt, argmaxAt]),
  );
  if (relu) unaryInHeap(rt, "relu", typeOf(like), outAt, outAt, out.length);
  heap.read(outAt, out);
  heap.read(argmaxAt, argmax);
}

/**
 * The offset, within the current call, of the pooled output's gradient g, passed back through
 * the relu whose output was reluOutput when the forward call took one.
 */
export function gradientInHeap(rt: WasmRuntime, g: FloatArray, reluOutput: FloatArray | null): number {
  const { heap } = rt;
  const gAt = heap.write(g);
  if (!reluOutput) return gAt;
  const yAt = heap.write(reluOutput);
  const maskedAt = heap.alloc(g.byteLength);
  unaryGradInHeap(rt, "relu", typeOf(g), gAt, yAt, maskedAt, g.length);
  return maskedAt;
}

function typeOf(x: FloatArray): "f32" | "f64" {
  return x instanceof Float64Array ? "f64" : "f32";
}
