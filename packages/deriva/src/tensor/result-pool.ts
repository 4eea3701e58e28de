/**
 * Large op results handed out again. A fresh array above a few kilobytes costs its pages: the
 * allocator maps them anew and each faults in on first write. Chromium maps every large
 * ArrayBuffer afresh: on this project's VM, filling a fresh 4 MB array there took 12–22 ms against
 * 0.16 ms for one already written, and copies into fresh results took half of the playground's
 * training time. JavaScript cannot learn that an array died inside a synchronous loop (a
 * finalizer runs only between tasks), but the backward walk can: the gradients it passes from
 * op to op are its own, and once one has been used and went nowhere else, its memory comes here
 * (autograd/walk-buffers.ts), and the next results of that size take it instead of fresh pages.
 *
 * The pool is bounded (POOL_BYTES), so a long run keeps a flat footprint; it hands out each
 * buffer once (a recycled buffer leaves the pool when taken); and it lets everything go once the
 * program has been idle for a moment, so memory is not held after training.
 */
import { allocate, arrayOn, BYTES_PER_ELEMENT, type DType, type TypedArray } from "./dtype.js";
import type { Tensor } from "./tensor.js";

/** The most memory the pool keeps for reuse (a training step of the cats convnet frees 45 MB). */
const POOL_BYTES = 64 * 1024 * 1024;
/** How long after the last recycled buffer the pool empties itself, in ms. */
const IDLE_RELEASE_MS = 1000;

/** Free buffers by byte length (the shapes of a training step repeat, so lengths match exactly). */
const free = new Map<number, ArrayBuffer[]>();
let pooledBytes = 0;
/** Where results made now are recorded (a backward walk's own results), or null. */
let births: Set<ArrayBuffer> | null = null;
let releaseTimer: unknown = null;
/** When a buffer was last recycled (Date.now()). */
let lastRecycled = 0;

/** A zero-filled array of `size` elements: recycled memory of that length if the pool has some. */
export function allocateLarge(dtype: DType, size: number): TypedArray {
  const bytes = size * BYTES_PER_ELEMENT[dtype];
  const buffer = free.get(bytes)?.pop();
  let out: TypedArray;
  if (buffer) {
    pooledBytes -= bytes;
    out = arrayOn(dtype, buffer);
    out.fill(0);
  } else {
    out = allocate(dtype, size);
  }
  births?.add(out.buffer as ArrayBuffer);
  return out;
}

/**
 * Records the buffers of large results made from now on in `set` (null: stop) and returns the
 * set recorded into before, for the caller to restore.
 */
export function recordBirths(set: Set<ArrayBuffer> | null): Set<ArrayBuffer> | null {
  const previous = births;
  births = set;
  return previous;
}

/** Gives a buffer no tensor uses any more to the pool (dropped if the pool is full). */
export function recycle(buffer: ArrayBuffer): void {
  if (pooledBytes + buffer.byteLength > POOL_BYTES) return;
  const list = free.get(buffer.byteLength);
  if (list) list.push(buffer);
  else free.set(buffer.byteLength, [buffer]);
  pooledBytes += buffer.byteLength;
  lastRecycled = Date.now();
  if (releaseTimer === null) releaseTimer = releaseWhenIdle(IDLE_RELEASE_MS);
}

/**
 * The memory a tensor's elements live in, where they are a JavaScript array (the CPU backends),
 * else null: what the walk counts holders of (views of one tensor share it).
 */
export function resultBuffer(t: Tensor): ArrayBuffer | null {
  const storage = t.storage;
  return ArrayBuffer.isView(storage) ? (storage.buffer as ArrayBuffer) : null;
}

/** Bytes the pool holds for reuse. */
export function pooledResultBytes(): number {
  return pooledBytes;
}

/** Lets every pooled buffer go (to the garbage collector). */
export function releasePooledResults(): void {
  free.clear();
  pooledBytes = 0;
}

/**
 * A timer that empties the pool once nothing was recycled for IDLE_RELEASE_MS (a training loop
 * that yields between steps keeps its pool; a synchronous one never lets the timer run), and that
 * never keeps a Node process alive.
 */
function releaseWhenIdle(delay: number): unknown {
  const timer: unknown = setTimeout(() => {
    const idle = Date.now() - lastRecycled;
    if (idle < IDLE_RELEASE_MS) {
      releaseTimer = releaseWhenIdle(IDLE_RELEASE_MS - idle);
      return;
    }
    releaseTimer = null;
    releasePooledResults();
  }, delay);
  (timer as { unref?: () => void }).unref?.();
  return timer;
}
