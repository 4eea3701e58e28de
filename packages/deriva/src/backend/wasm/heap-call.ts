/**
 * One kernel call through the arena, as most wrappers make it: the inputs copied in, the outputs
 * given room, the kernel run on the parts a wrapper cuts from those offsets, the outputs copied
 * back. Wrappers with their own layout (matmul, the elementwise ops, the updates) use the heap
 * directly.
 */
import type { FloatArray, TypedArray } from "../arrays.js";
import type { ThreadedKernel } from "./exports.js";
import type { WasmRuntime } from "./runtime.js";

/** An output of a call; `initial` when the kernel adds into its starting values. */
export interface HeapOutput {
  readonly array: TypedArray;
  readonly initial?: boolean;
}

/**
 * Copies `inputs` into the arena (a null input becomes offset 0), gives `outputs` room (copies
 * them in when `initial`), runs `kernel` on the parts `split` makes from the offsets (inputs',
 * then outputs'; split may reserve more arena for itself) and copies the outputs back.
 */
export function callThroughHeap(
  rt: WasmRuntime,
  kernel: ThreadedKernel,
  inputs: readonly (TypedArray | null)[],
  outputs: readonly HeapOutput[],
  split: (offsets: number[]) => number[][],
): void {
  const { heap } = rt;
  heap.reset();
  const inAt = inputs.map((x) => (x ? heap.write(x) : 0));
  const outAt = outputs.map(({ array, initial }) =>
    initial ? heap.write(array) : heap.alloc(array.byteLength),
  );
  rt.pool.run(kernel, split([...inAt, ...outAt]));
  for (const [i, { array }] of outputs.entries()) heap.read(outAt[i]!, array);
}

/** The f32 or f64 flavour of a kernel, by the element type of `x`. */
export function flavour<K extends string>(x: FloatArray, name: K): `${K}_f32` | `${K}_f64` {
  return x instanceof Float64Array ? `${name}_f64` : `${name}_f32`;
}
