/**
 * Memory for op results. A typed array above 64 bytes gets its own ArrayBuffer, and V8 takes about
 * 0.5–1 µs to make one (a zeroed backing store, external-memory accounting, a finalizer later):
 * more than the arithmetic of a small op. So results of 65 bytes to 4 KB are carved as views from
 * shared zeroed blocks ("slabs") of 32 slots of their power-of-two size class, and the garbage
 * collector frees a slab once no view into it is left.
 *
 * Views never overlap and slab memory is never handed out twice, so nothing changes for readers,
 * except that `values.buffer` must be read with `byteOffset` and `byteLength`. A result kept alive
 * alone keeps its slab alive: at worst 64 times its own size (32 slots, classes rounded up ×2).
 */
import { allocate, BYTES_PER_ELEMENT, type DType, type TypedArray } from "./dtype.js";
import { allocateLarge } from "./result-pool.js";

const SLOTS = 32;
const MIN_CLASS = 7; // 128-byte slots: anything ≤ 64 bytes V8 already allocates cheaply on its heap
const MAX_CLASS = 12; // 4 KB slots: above that the kernel's work dominates the allocation

const slabs: (ArrayBuffer | null)[] = new Array(MAX_CLASS + 1).fill(null);
const nextOffset: number[] = new Array(MAX_CLASS + 1).fill(0);

/**
 * A zero-filled array for an op's result: a slab view for small sizes, an array of its own
 * otherwise (recycled memory where the result pool has some: tensor/result-pool.ts).
 */
export function allocateResult(dtype: DType, size: number): TypedArray {
  const bytes = size * BYTES_PER_ELEMENT[dtype];
  if (bytes <= 64) return allocate(dtype, size);
  if (bytes > 1 << MAX_CLASS) return allocateLarge(dtype, size);
  const sizeClass = Math.max(MIN_CLASS, 32 - Math.clz32(bytes - 1));
  const slotBytes = 1 << sizeClass;
  let slab = slabs[sizeClass];
  let offset = nextOffset[sizeClass]!;
  if (!slab || offset === slab.byteLength) {
    slab = new ArrayBuffer(slotBytes * SLOTS);
    slabs[sizeClass] = slab;
    offset = 0;
  }
  nextOffset[sizeClass] = offset + slotBytes;
  switch (dtype) {
    case "float32":
      return new Float32Array(slab, offset, size);
    case "float64":
      return new Float64Array(slab, offset, size);
    case "int32":
      return new Int32Array(slab, offset, size);
  }
}
