/**
 * The WebAssembly memory as the backend uses it: a control page for the thread pool, then the
 * arena that kernel calls allocate from (inputs copied in, outputs and scratch). Blocks of up to
 * SMALL_BLOCK_BYTES come from a small region that every call starts afresh, so small calls keep
 * reusing the same few cache-warm lines; larger ones come from a ring after it: each call
 * allocates after the one before and wraps to the ring's start when it passes the ring's end.
 *
 * The ring also remembers what it holds. Every large array copied in, and every large output
 * copied out, leaves behind an exact copy of itself; until new allocations overwrite it, the next
 * call that takes the same array (the same object) as an input uses that copy instead of copying
 * again (small arrays cost less to copy than to keep track of). A
 * training step mostly feeds each kernel's output to the next kernel, and its parameters to the
 * same kernels every step, so most inputs are found there (in the cats convnet's step, 77 of the
 * 98 MB its kernels take in). This relies on the engine's rule that an array holding a tensor's elements changes only
 * through the backend: the kernels that write memory in JavaScript forget the arrays they write
 * (WasmHeap.forget), and in tests every copy found is compared with its array (checkArena).
 *
 * The ring holds the largest call seen and as much again (at most MAX_RING_EXTRA_BYTES more, at
 * least MIN_RING_BYTES in all), so a training loop reaches
 * a flat footprint after its first steps; users never free anything.
 */

import type { TypedArray } from "../arrays.js";
import type { WasmMemory } from "./wasm-api.js";

const PAGE = 65536;
/** Bytes before the arena, holding the thread pool's control block. */
export const CONTROL_BYTES = PAGE;
/** Allocations are aligned for vector loads and to keep threads' data on separate cache lines. */
const ALIGN = 64;
/** The largest block the small region takes. */
const SMALL_BLOCK_BYTES = 64 * 1024;
/** The small region's size. */
const SMALL_REGION_BYTES = 1024 * 1024;
/** Where the ring starts. */
const RING_START = CONTROL_BYTES + SMALL_REGION_BYTES;
/** The smallest ring: room for the copies of a small model's whole step. */
const MIN_RING_BYTES = 8 * 1024 * 1024;
/** The most room the ring keeps beyond the largest call, for copies to outlive the calls after theirs. */
const MAX_RING_EXTRA_BYTES = 64 * 1024 * 1024;

/** Thrown when a call needs more memory than the module may have; callers fall back to JavaScript. */
export class HeapFull extends Error {}

/**
 * An array's copy in the arena: bytes [at, end), until it is overwritten. The copy does not
 * name its array (a WeakRef would keep every array alive until the program yields, and a
 * training loop may never yield): the array finds its copy in a WeakMap, and an overwritten
 * copy is marked gone.
 */
interface Held {
  readonly at: number;
  readonly end: number;
  gone: boolean;
}

/** Bytes after each block that a checking arena fills with GUARD_WORD (see checkArena). */
const GUARD_BYTES = 64;
/** A NaN's bits as a float: no kernel's arithmetic leaves it by chance. */
const GUARD_WORD = 0x7fa5_5a5a;

let checking = false;

/**
 * Makes the arena check itself, and throw where a check fails: every later use of a held copy
 * compares it with its array first, and every block gets a guard after it that must be intact
 * when the call reads its results or the next call starts. The test suite runs with it on, so
 * that a write the arena did not hear of, or a kernel writing past its block (scratch sized
 * smaller than the kernel uses), fails a test instead of corrupting values. Internal.
 *
 * @internal
 */
export function checkArena(on: boolean): void {
  checking = on;
}

/** The arena of one WebAssembly memory (see the file's comment): allocation, copies in and out, held copies. */
export class Heap {
  f32: Float32Array;
  f64: Float64Array;
  i32: Int32Array;
  /** Where the small region's next block goes (reset by every call). */
  private smallTop = CONTROL_BYTES;
  /** Where the next ring allocation starts looking. */
  private top = RING_START;
  /** Where ring allocations wrap to the ring's start (grows with the largest call). */
  private ringEnd = RING_START + MIN_RING_BYTES;
  /** Held copies by array, and the same sorted by address (they never partly overlap). */
  private readonly held = new WeakMap<TypedArray, Held>();
  private readonly byAddress: Held[] = [];
  /** The current call's memory, [at, end) pairs: later allocations of the call skip it. */
  private readonly inUse: number[] = [];
  private callBytes = 0;
  /** Where the current call's guards start (checkArena). */
  private readonly guards: number[] = [];

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

  /** Starts a kernel call: the previous call's memory may be reused from now on (held copies stay). */
  reset(): void {
    if (checking) this.checkGuards();
    this.guards.length = 0;
    this.smallTop = CONTROL_BYTES;
    this.inUse.length = 0;
    this.callBytes = 0;
  }

  /** Reserves `bytes` for this call and returns their offset (the contents are whatever was there). */
  alloc(bytes: number): number {
    if (!checking) return this.place(bytes);
    const at = this.place(bytes + GUARD_BYTES);
    const guard = Math.ceil((at + bytes) / 4);
    this.i32.fill(GUARD_WORD, guard, guard + GUARD_BYTES / 4 - 1);
    this.guards.push(guard);
    return at;
  }

  /** Finds room for `bytes` in the small region or the ring (alloc without its guard). */
  private place(bytes: number): number {
    const small = align(this.smallTop);
    if (bytes <= SMALL_BLOCK_BYTES && small + bytes <= RING_START) {
      this.smallTop = this.reserve(small, bytes);
      return small;
    }
    let at = align(this.top);
    let wrapped = false;
    for (;;) {
      if (at + bytes > this.ringEnd && !wrapped) {
        at = RING_START;
        wrapped = true;
        continue;
      }
      const after = this.inUseOverlapping(at, at + bytes);
      if (after < 0) break;
      at = align(after);
    }
    this.top = this.reserve(at, bytes);
    this.evict(at, this.top);
    this.use(at, this.top);
    return at;
  }

  /** Makes sure [at, at + bytes) exists (growing the memory) and returns its end. */
  private reserve(at: number, bytes: number): number {
    const end = at + bytes;
    if (end > this.maxBytes) throw new HeapFull(`wasm: a kernel call needs ${end} bytes of memory`);
    if (end > this.size) this.grow(end);
    return end;
  }

  /**
   * The offset of `array`'s values for this call: its held copy when the arena still has one,
   * else a fresh copy (which is held from then on).
   */
  write(array: TypedArray): number {
    const copy = array.byteLength > SMALL_BLOCK_BYTES ? this.held.get(array) : undefined;
    if (copy && !copy.gone && copy.end - copy.at === array.byteLength) {
      if (checking) this.check(copy, array);
      this.use(copy.at, copy.end);
      return copy.at;
    }
    const at = this.alloc(array.byteLength);
    this.view(array).set(array, at / array.BYTES_PER_ELEMENT);
    this.hold(array, at);
    return at;
  }

  /** Copies `out.length` elements at `at` into out, and holds them as out's copy. */
  read(at: number, out: TypedArray): void {
    if (checking) this.checkGuards();
    const first = at / out.BYTES_PER_ELEMENT;
    out.set(this.view(out).subarray(first, first + out.length));
    this.hold(out, at);
  }

  /** Writes small integers (kernel geometry) and returns their offset. */
  writeInts(values: readonly number[]): number {
    const at = this.alloc(values.length * 4);
    for (let i = 0; i < values.length; i++) this.i32[at / 4 + i] = values[i]!;
    return at;
  }

  /** Drops `array`'s held copy: JavaScript is about to change the array. */
  forget(array: TypedArray): void {
    if (array.byteLength <= SMALL_BLOCK_BYTES) return; // never held
    const copy = this.held.get(array);
    if (!copy) return;
    this.held.delete(array);
    if (copy.gone) return;
    copy.gone = true;
    const list = this.byAddress;
    for (let i = this.firstEndingAfter(copy.at); i < list.length && list[i]!.at <= copy.at; i++) {
      if (list[i] === copy) {
        list.splice(i, 1);
        return;
      }
    }
  }

  /** Drops every held copy and guard (after something else wrote the arena: tests poison it). */
  forgetAll(): void {
    this.guards.length = 0;
    for (const copy of this.byAddress) copy.gone = true;
    this.byAddress.length = 0;
  }

  /** Records [at, at + array's bytes) as array's copy, replacing any copy it had. */
  private hold(array: TypedArray, at: number): void {
    if (array.byteLength <= SMALL_BLOCK_BYTES) return;
    this.forget(array);
    const copy: Held = { at, end: at + array.byteLength, gone: false };
    this.held.set(array, copy);
    this.byAddress.splice(this.firstEndingAfter(at), 0, copy);
  }

  /** Forgets the held copies that overlap [at, end), which an allocation is about to overwrite. */
  private evict(at: number, end: number): void {
    const list = this.byAddress;
    const lo = this.firstEndingAfter(at);
    let stop = lo;
    while (stop < list.length && list[stop]!.at < end) list[stop++]!.gone = true;
    if (stop > lo) list.splice(lo, stop - lo);
  }

  /**
   * The index of the first held copy that ends after `at` (copies are sorted by address and
   * never partly overlap, so they are sorted by their ends too).
   */
  private firstEndingAfter(at: number): number {
    const list = this.byAddress;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.end <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Marks [at, end) as the current call's and keeps the ring long enough for it and its successors. */
  private use(at: number, end: number): void {
    this.inUse.push(at, end);
    this.callBytes += end - at;
    const extra = Math.min(this.callBytes, MAX_RING_EXTRA_BYTES);
    const wanted = RING_START + Math.max(MIN_RING_BYTES, this.callBytes + extra);
    this.ringEnd = Math.min(this.maxBytes, Math.max(this.ringEnd, wanted, end));
  }

  /** The end of a block of this call overlapping [at, end), or −1 when none does. */
  private inUseOverlapping(at: number, end: number): number {
    const blocks = this.inUse;
    for (let i = 0; i < blocks.length; i += 2) {
      if (blocks[i]! < end && blocks[i + 1]! > at) return blocks[i + 1]!;
    }
    return -1;
  }

  /** Throws unless every guard of the current call still holds GUARD_WORD (checkArena). */
  private checkGuards(): void {
    for (const guard of this.guards) {
      for (let i = guard; i < guard + GUARD_BYTES / 4 - 1; i++) {
        if (this.i32[i] !== GUARD_WORD) {
          throw new Error(
            `wasm heap: a kernel wrote past the end of its block (${4 * (i - guard)} bytes after it, at byte ${4 * i})`,
          );
        }
      }
    }
  }

  private check(copy: Held, array: TypedArray): void {
    const first = copy.at / array.BYTES_PER_ELEMENT;
    const inArena = this.view(array).subarray(first, first + array.length);
    for (let i = 0; i < array.length; i++) {
      if (!Object.is(inArena[i], array[i])) {
        throw new Error(
          `wasm heap: the held copy of a ${array.length}-element array differs at ${i} (${inArena[i]} vs ${array[i]}): the array was written outside the backend`,
        );
      }
    }
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

function align(offset: number): number {
  return Math.ceil(offset / ALIGN) * ALIGN;
}
