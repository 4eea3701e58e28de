/**
 * How the WebAssembly backend routes calls: tiny inputs stay on the JavaScript kernels (their
 * cost is the call), large ones go to WebAssembly; a call that needs more memory than the module
 * may have falls back to JavaScript with the same result; the memory grows to the arena's ring
 * (the largest call and as much again, at least 8 MB) and then stays put (no per-call growth over a long run).
 */
import { describe, expect, it, vi } from "vitest";
import type { MatmulParams } from "../../src/backend/backend.js";
import { jsBackend } from "../../src/backend/js/index.js";
import { CONTROL_BYTES, Heap } from "../../src/backend/wasm/heap.js";
import { createWasmBackend, wasmRuntime } from "../../src/backend/wasm/index.js";
import { Generator } from "../../src/tensor/random.js";

const gen = new Generator(9);

function square(n: number): { a: Float32Array; b: Float32Array; params: MatmulParams } {
  const a = Float32Array.from({ length: n * n }, () => gen.uniform() - 0.5);
  const b = Float32Array.from({ length: n * n }, () => gen.uniform() - 0.5);
  const offsets = new Int32Array(1);
  return {
    a,
    b,
    params: { batch: 1, m: n, k: n, n, transA: false, transB: false, aOffsets: offsets, bOffsets: offsets },
  };
}

/** [m, k] · [k]: a single matrix-vector product. */
function matrixVector(m: number, k: number): MatmulParams {
  const offsets = new Int32Array(1);
  return { batch: 1, m, k, n: 1, transA: false, transB: false, aOffsets: offsets, bOffsets: offsets };
}

describe.runIf(wasmRuntime() !== null)("wasm dispatch", () => {
  const rt = wasmRuntime()!;

  it("keeps tiny calls in JavaScript and sends large ones to WebAssembly", () => {
    const backend = createWasmBackend(rt);
    // every call into WebAssembly starts by resetting the arena (one thread calls the kernel directly)
    const reset = vi.spyOn(rt.heap, "reset");
    try {
      const tiny = square(3);
      backend.matmul(tiny.a, tiny.b, new Float32Array(9), tiny.params);
      backend.unary("relu", new Float32Array(10), new Float32Array(10));
      backend.reduce("sum", new Float32Array(300), [300], [0], new Float32Array(1));
      backend.matmul(new Float32Array(20), new Float32Array(2), new Float32Array(10), matrixVector(10, 2));
      expect(reset).not.toHaveBeenCalled();
      const large = square(64);
      backend.matmul(large.a, large.b, new Float32Array(64 * 64), large.params);
      backend.unary("relu", new Float32Array(100_000), new Float32Array(100_000));
      backend.reduce("sum", new Float32Array(100_000), [100_000], [0], new Float32Array(1));
      // a matrix-vector product goes to WebAssembly sooner than a product of matrices (gemv)
      backend.matmul(new Float32Array(600), new Float32Array(2), new Float32Array(300), matrixVector(300, 2));
      expect(reset).toHaveBeenCalledTimes(4);
    } finally {
      reset.mockRestore();
    }
  });

  it("falls back to JavaScript when a call would outgrow the memory limit", () => {
    const small = { ...rt, heap: new Heap(rt.heap.memory, CONTROL_BYTES + 4096) };
    const backend = createWasmBackend(small);
    const { a, b, params } = square(64);
    const viaFallback = new Float32Array(64 * 64);
    backend.matmul(a, b, viaFallback, params);
    const reference = new Float32Array(64 * 64);
    jsBackend.matmul(a, b, reference, params);
    expect(viaFallback).toEqual(reference); // the JS kernel's own bits: it was the JS kernel
  });

  it("reuses its memory: once the arena's ring has gone round, repeated calls do not grow it", () => {
    const backend = createWasmBackend(rt);
    const { a, b, params } = square(96);
    // fresh operands each call, so that every call allocates (held copies would take none)
    const call = () => backend.matmul(a.slice(), b.slice(), new Float32Array(96 * 96), params);
    for (let i = 0; i < 300; i++) call(); // 300 calls of ~110 KB go round an 8 MB ring several times
    const size = rt.heap.size;
    for (let i = 0; i < 300; i++) call();
    expect(rt.heap.size).toBe(size);
  });
});
