/**
 * Splitting across threads: the ranges are whole, disjoint and tile-aligned, and every threaded
 * kernel gives bit-identical results with 1, 2, 3 and 5 threads (odd sizes, sizes the split does
 * not divide, more threads than rows).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTROL_BYTES } from "../../src/backend/wasm/heap.js";
import { createWasmBackend, wasmRuntime } from "../../src/backend/wasm/index.js";
import { splitRange } from "../../src/backend/wasm/split.js";
import { getNumThreads, setNumThreads } from "../../src/index.js";
import { KERNEL_CASES } from "./cases.js";
import { forceWasmKernels } from "./force-wasm.js";

describe("splitRange", () => {
  it.each([
    [13, 2, 4],
    [13, 3, 1],
    [7, 5, 4],
    [1, 3, 4],
    [1030, 2, 8],
    [0, 2, 1],
  ])("cuts [0, %i) into %i parts aligned to %i", (total, parts, align) => {
    const ranges = splitRange(total, parts, align);
    expect(ranges.length).toBeLessThanOrEqual(parts);
    let next = 0;
    for (const [start, end] of ranges) {
      expect(start).toBe(next);
      expect(end).toBeGreaterThan(start);
      if (end !== total) expect(end % align).toBe(0);
      next = end;
    }
    expect(next).toBe(total);
  });

  it("balances the work", () => {
    expect(splitRange(13, 2, 4)).toEqual([
      [0, 8],
      [8, 13],
    ]);
    expect(splitRange(10, 3)).toEqual([
      [0, 3],
      [3, 7],
      [7, 10],
    ]);
  });
});

const THREADED = [
  "unary",
  "unaryGrad",
  "binary",
  "reduce",
  "matmul",
  "conv2d",
  "conv2dBackwardInput",
  "conv2dBackwardFilter",
  "maxPool2d",
  "maxPool2dBackward",
  "avgPool2d",
  "avgPool2dBackward",
  "batchNorm",
  "batchNormBackward",
  "sgdUpdate",
  "adamUpdate",
] as const;

describe.runIf(wasmRuntime()?.pool.supported === true)("thread counts give identical results", () => {
  let restore: () => void = () => {};
  const initial = getNumThreads();
  beforeAll(() => {
    restore = forceWasmKernels();
  });
  afterAll(() => {
    restore();
    setNumThreads(initial);
  });
  const wasm = createWasmBackend(wasmRuntime()!);
  const poisonArena = () => {
    const { heap } = wasmRuntime()!;
    heap.f32.fill(Number.NaN, CONTROL_BYTES / 4);
    heap.forgetAll(); // the arena's copies of earlier inputs were poisoned too
  };

  for (const kernel of THREADED) {
    it.each(KERNEL_CASES[kernel].map((c) => [c.label, c] as const))("%s", (_label, c) => {
      setNumThreads(1);
      const single = c.run(wasm);
      for (const threads of [2, 3, 5]) {
        setNumThreads(threads);
        // a part that never ran must not pass on the single-thread run's leftovers in the arena
        poisonArena();
        const split = c.run(wasm);
        for (let i = 0; i < single.length; i++)
          expect(split[i], `${threads} threads, output ${i}`).toEqual(single[i]);
      }
    });
  }

  it("uses the requested number of threads", () => {
    setNumThreads(3);
    expect(getNumThreads()).toBe(3);
    setNumThreads(1);
    expect(getNumThreads()).toBe(1);
    expect(() => setNumThreads(0)).toThrow(/setNumThreads: expected a positive integer, got 0/);
  });
});

describe.runIf(wasmRuntime() !== null)("a host that cannot start worker threads", () => {
  it("runs every part on the calling thread and reports one thread", async () => {
    const { ThreadPool } = await import("../../src/backend/wasm/threads.js");
    const { loadRuntime } = await import("../../src/backend/wasm/runtime.js");
    const { platform } = await import("../../src/backend/wasm/platform.js");
    const fresh = loadRuntime()!;
    const refusing = {
      ...platform(),
      spawn: () => {
        throw new Error("no threads here");
      },
    };
    const pool = new ThreadPool(fresh.kernels, null as never, fresh.heap.memory, refusing);
    const runtime = { ...fresh, pool };
    pool.threads = 2;
    const restore = forceWasmKernels();
    try {
      const c = KERNEL_CASES.matmul[5]!;
      const [result] = c.run(createWasmBackend(runtime));
      const [reference] = c.run(createWasmBackend(fresh));
      expect(result).toEqual(reference);
      expect(pool.threads).toBe(1);
    } finally {
      restore();
    }
  });
});
