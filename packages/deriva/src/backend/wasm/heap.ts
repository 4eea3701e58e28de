/**
 * The WebAssembly memory as the backend uses it: a control page for the thread pool, then an
 * arena that each kernel call fills from the start (inputs copied in, outputs and scratch
 * allocated) and abandons when it returns. The memory grows to the largest call seen and is
 * reused from then on, so a training loop reaches a flat footprint after its first step; users
 * never free anything.
 */

import type { TypedArray } from "../arrays.js";
import type { WasmMemory } from "./wasm-api.js";

const PAGE = 65536;
/** Bytes before the arena, holding the thread pool's control block. */
export const CONTROL_BYTES = PAGE;
/** Allocations are aligned for vector loads and to keep threads' data on separate cache lines. */
const ALIGN = 64;

/** Thrown when a call needs more memory than the module may have; callers fall back to JavaScript. */
export class HeapFull extends Error {}

export class Heap {
  f32: Float32Array;
  f64: Float64Array;
  i32: Int32Array;
  private top = CONTROL_BYTES;

  constructor(
    readonly memory: WasmMemory,
    private readonly maxBytes: number,
  ) {
    this.f32 = new Float32Array(memory.buffer);
    this.f64 = new Float64Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
  }

  /** Bytes the memory spans now (its high-water mark). */
  get size(): number {
    return this.f32.byteLength;
  }

  /** Forgets every allocation; each kernel call starts with this. */
  reset(): void {
    this.top = CONTROL_BYTES;
  }

  /** Reserves `bytes` and returns their offset (the contents are whatever was there). */
  alloc(bytes: number): number {
    const at = Math.ceil(this.top / ALIGN) * ALIGN;
    const end = at + bytes;
    if (end > this.maxBytes) throw new HeapFull(`wasm: a kernel call needs ${end} bytes of memory`);
    if (end > this.size) this.grow(end);
    this.top = end;
    return at;
  }

  /** Copies an array into fresh arena memory and returns its offset. */
  write(array: TypedArray): number {
    const at = this.alloc(array.byteLength);
    this.view(array).set(array, at / array.BYTES_PER_ELEMENT);
    return at;
  }

  /** Copies `out.length` elements at `at` into out. */
  read(at: number, out: TypedArray): void {
    const first = at / out.BYTES_PER_ELEMENT;
    out.set(this.view(out).subarray(first, first + out.length));
  }

  /** Writes small integers (kernel geometry) and returns their offset. */
  writeInts(values: readonly number[]): number {
    const at = this.alloc(values.length * 4);
    for (let i = 0; i < values.length; i++) this.i32[at / 4 + i] = values[i]!;
    return at;
  }

  private view(like: TypedArray): TypedArray {
    return like instanceof Float32Array ? this.f32 : like instanceof Float64Array ? this.f64 : this.i32;
  }

  private grow(end: number): void {
    // grow at least geometrically, so that a slowly rising footprint does not grow at every call
    const target = Math.min(this.maxBytes, Math.max(end, Math.ceil(this.size * 1.25)));
    this.memory.grow(Math.ceil((target - this.size) / PAGE));
    const buffer = this.memory.buffer;
    this.f32 = new Float32Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.i32 = new Int32Array(buffer);
  }
}
