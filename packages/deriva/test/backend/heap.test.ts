/**
 * The WebAssembly arena (backend/wasm/heap.ts): small blocks from a region every call starts
 * afresh, large ones from a ring that remembers the arrays it holds copies of, so that an input
 * it already has is not copied again, and forgets a copy once new allocations overwrite it or
 * JavaScript is about to write its array.
 */
import { afterEach, describe, expect, it } from "vitest";
import { jsBackend } from "../../src/backend/js/index.js";
import { CONTROL_BYTES, checkArena, Heap } from "../../src/backend/wasm/heap.js";
import { createWasmBackend, wasmRuntime } from "../../src/backend/wasm/index.js";

const MB = 1024 * 1024;
/** Elements of a float32 array large enough for the ring (over 64 KB). */
const LARGE = 20_000;

function freshHeap(): Heap {
  return new Heap(new WebAssembly.Memory({ initial: 2, maximum: 2048 }), 2048 * 65536);
}

/** What the arena holds at `at` for an array like `like`. */
function inArena(heap: Heap, at: number, like: Float32Array): Float32Array {
  return heap.f32.slice(at / 4, at / 4 + like.length);
}

describe("the wasm arena", () => {
  afterEach(() => checkArena(true)); // the suite's setting (test/support/check-arena.ts)

  it("copies an array in once: the next call that takes it uses the same copy", () => {
    checkArena(false);
    const heap = freshHeap();
    const x = Float32Array.from({ length: LARGE }, (_, i) => i);
    heap.reset();
    const first = heap.write(x);
    expect(inArena(heap, first, x)).toEqual(x);
    heap.f32[first / 4] = -7; // a mark: a second copy would overwrite it
    heap.reset();
    expect(heap.write(x)).toBe(first);
    expect(heap.f32[first / 4]).toBe(-7);
  });

  it("holds an output it copied out, for the call that takes it as an input", () => {
    const heap = freshHeap();
    heap.reset();
    const at = heap.alloc(LARGE * 4);
    heap.f32.fill(3, at / 4, at / 4 + LARGE);
    const out = new Float32Array(LARGE);
    heap.read(at, out);
    expect(out).toEqual(new Float32Array(LARGE).fill(3));
    heap.reset();
    expect(heap.write(out)).toBe(at);
  });

  it("copies again once the array's copy was forgotten, or overwritten by later calls", () => {
    checkArena(false); // the test overwrites the whole arena, guards included
    const heap = freshHeap();
    const x = new Float32Array(LARGE).fill(1);
    heap.reset();
    const first = heap.write(x);
    heap.forget(x);
    x.fill(2);
    heap.reset();
    const second = heap.write(x);
    expect(second).not.toBe(first);
    expect(inArena(heap, second, x)).toEqual(x);
    // go once round the ring (8 MB at least): x's copy is overwritten and forgotten
    for (let i = 0; i < 12; i++) {
      heap.reset();
      heap.alloc(MB);
    }
    heap.f32.fill(0, CONTROL_BYTES / 4); // what the arena holds of x now is not x
    heap.reset();
    const third = heap.write(x);
    expect(inArena(heap, third, x)).toEqual(x);
  });

  it("never gives one call's memory twice, even where the call wraps round the ring", () => {
    const heap = freshHeap();
    const held = new Float32Array(MB / 4).fill(5);
    heap.reset();
    heap.write(held);
    // fill the ring up to its end with other calls, so that the next call wraps
    for (let i = 0; i < 7; i++) {
      heap.reset();
      heap.alloc(MB);
    }
    heap.reset();
    const heldAt = heap.write(held);
    const starts = [heldAt];
    for (let i = 0; i < 4; i++) starts.push(heap.alloc(MB));
    starts.sort((a, b) => a - b);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(MB);
    expect(inArena(heap, heldAt, held)).toEqual(held);
  });

  it("copies small arrays every call, to the same cache-warm place", () => {
    const heap = freshHeap();
    const x = new Float32Array(1000).fill(1);
    heap.reset();
    const first = heap.write(x);
    x.fill(2); // a small array is not held: changing it needs nothing
    heap.reset();
    expect(heap.write(x)).toBe(first);
    expect(inArena(heap, first, x)).toEqual(x);
    expect(first).toBeLessThan(CONTROL_BYTES + MB); // the small region, not the ring
  });

  it("keeps at most 64 MB of ring beyond its largest call", () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 2, maximum: 8192 }), 8192 * 65536);
    for (let i = 0; i < 4; i++) {
      heap.reset();
      heap.alloc(80 * MB); // a ring of twice this would take a second call after the first
    }
    expect(heap.size).toBeLessThan(CONTROL_BYTES + MB + 80 * MB + 64 * MB);
  });

  it("catches, in tests, a kernel that writes past the end of its block", () => {
    const heap = freshHeap();
    for (const elements of [100, LARGE]) {
      heap.reset();
      const at = heap.alloc(elements * 4);
      heap.f32.fill(1, at / 4, at / 4 + elements); // all of its own block: fine
      const out = new Float32Array(elements);
      heap.read(at, out);
      heap.f32[at / 4 + elements] = 2; // one element past it
      expect(() => heap.read(at, out)).toThrow(/wrote past the end of its block \(0 bytes after it/);
      heap.forgetAll();
    }
    heap.reset();
    const at = heap.alloc(64);
    heap.i32[at / 4 + 16 + 9] = 0; // further into the guard, found when the next call starts
    expect(() => heap.reset()).toThrow(/36 bytes after it/);
  });

  it("catches, in tests, an array written behind the backend's back", () => {
    const heap = freshHeap();
    const x = new Float32Array(LARGE).fill(1);
    heap.reset();
    heap.write(x);
    x[42] = 9; // not through the backend: the arena's copy is stale
    heap.reset();
    expect(() => heap.write(x)).toThrow(/held copy of a 20000-element array differs at 42/);
  });
});

describe.runIf(wasmRuntime() !== null)("the wasm backend and the arena's copies", () => {
  it("forgets an array that its JavaScript kernels write in place", () => {
    const backend = createWasmBackend(wasmRuntime()!);
    const n = 1 << 16;
    const x = Float32Array.from({ length: n }, (_, i) => (i % 7) - 3);
    const out = new Float32Array(n);
    backend.unary("relu", x, out); // x is held from now on
    backend.write(x, new Float32Array(n).fill(-1));
    backend.unary("relu", x, out);
    expect(out).toEqual(new Float32Array(n));
    backend.scaleAdd(x, 2, new Float32Array(n).fill(1), 3); // x = 2·(−1) + 3 = 1
    backend.unary("relu", x, out);
    expect(out).toEqual(new Float32Array(n).fill(1));
    const expected = new Float32Array(n);
    jsBackend.unary("exp", x, expected);
    backend.unary("exp", x, out);
    expect(out).toEqual(expected);
  });
});
