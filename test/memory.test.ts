/**
 * Long loops keep a flat heap with no dispose(): the JS heap and typed-array memory, measured after
 * forced garbage collection, must not grow with the number of ops. (bench/memory.ts runs the full
 * 10,000 ops on 1,000,000 elements; these runs are shorter to keep the suite fast.)
 */
import { describe, expect, it } from "vitest";
import { chainedOps, descentSteps, growth } from "../bench/lib/heap.js";

const MB = 2 ** 20;

describe("memory stays flat", () => {
  it("a 1,000,000-element float32 tensor through 1,000 chained ops", () => {
    const { samples, result } = chainedOps(1_000_000, 1_000);
    expect(result.data()[0]).toBe(1); // ×0.5 then +0.5 from 3 converges to 1
    const g = growth(samples);
    // one tensor is 4 MB: a leak of one per op would add gigabytes
    expect(g.arrayBuffers).toBeLessThan(16 * MB);
    expect(g.heapUsed).toBeLessThan(16 * MB);
  });

  it("20,000 ops on small tensors (results carved from shared blocks)", () => {
    const { samples } = chainedOps(256, 20_000);
    const g = growth(samples);
    expect(g.arrayBuffers).toBeLessThan(4 * MB);
    expect(g.heapUsed).toBeLessThan(4 * MB);
  });

  it("gradient steps that record and drop a graph each time", () => {
    const { samples, result } = descentSteps(100_000, 300);
    expect(result.data()[0]).toBeCloseTo(0.98 ** 300, 5); // w ← w − 0.01·2w
    const g = growth(samples);
    expect(g.arrayBuffers).toBeLessThan(8 * MB);
    expect(g.heapUsed).toBeLessThan(8 * MB);
  });
});
