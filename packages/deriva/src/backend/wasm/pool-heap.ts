/**
 * The pooling end of the fused calls (conv-pool.ts, norm-pool.ts), on values already in the
 * arena: max pooling with an optional relu after it, and backward the output's gradient passed
 * back through that relu and scattered to each window's maximum.
 */
import type { FloatArray } from "../arrays.js";
import type { Pool2dParams } from "../backend.js";
import { byPlane, poolGeometry } from "./conv.js";
import { suffix, unaryGradInHeap, unaryInHeap } from "./elementwise.js";
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
  if (relu) unaryInHeap(rt, "relu", suffix(like), outAt, outAt, out.length);
  heap.read(outAt, out);
  heap.read(argmaxAt, argmax);
}

/**
 * Within the current call: the gradient g of poolInHeap's output, passed back through its relu
 * (whose output was reluOutput, when it took one) and added at each window's argmax into a
 * zeroed block of `bytes` (the pooled tensor's size), whose offset it returns.
 */
export function unpoolInHeap(
  rt: WasmRuntime,
  g: FloatArray,
  reluOutput: FloatArray | null,
  argmax: Int32Array,
  pool: Pool2dParams,
  bytes: number,
): number {
  const { heap } = rt;
  let gAt = heap.write(g);
  if (reluOutput) {
    const yAt = heap.write(reluOutput);
    const maskedAt = heap.alloc(g.byteLength);
    unaryGradInHeap(rt, "relu", suffix(g), gAt, yAt, maskedAt, g.length);
    gAt = maskedAt;
  }
  const argmaxAt = heap.write(argmax);
  // the max-pool backward kernel zeroes its planes of the block before adding into them
  const unpooledAt = heap.alloc(bytes);
  rt.pool.run(
    flavour(g, "max_pool_backward"),
    byPlane(rt, pool, heap.writeInts(poolGeometry(pool)), [gAt, argmaxAt, unpooledAt]),
  );
  return unpooledAt;
}
