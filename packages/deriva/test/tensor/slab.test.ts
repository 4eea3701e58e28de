/** Small op results are views into shared blocks: they must never overlap and must start zeroed. */
import { describe, expect, it } from "vitest";
import { add, tensor } from "../../src/index.js";
import type { TypedArray } from "../../src/tensor/dtype.js";
import { allocateResult } from "../../src/tensor/slab.js";

function range(a: TypedArray): [number, number] {
  return [a.byteOffset, a.byteOffset + a.byteLength];
}

describe("allocateResult", () => {
  it("hands out zeroed, non-overlapping views of every size class and dtype", () => {
    const arrays: TypedArray[] = [];
    for (let round = 0; round < 40; round++) {
      for (const size of [17, 32, 33, 100, 255, 256, 512, 1000, 1024]) {
        for (const dtype of ["float32", "float64", "int32"] as const) {
          if (size * (dtype === "float64" ? 8 : 4) > 4096) continue;
          const a = allocateResult(dtype, size);
          expect(a.length).toBe(size);
          expect(a.every((v) => v === 0)).toBe(true);
          a.fill(round + 1);
          arrays.push(a);
        }
      }
    }
    const byBuffer = new Map<ArrayBufferLike, [number, number][]>();
    for (const a of arrays) byBuffer.set(a.buffer, [...(byBuffer.get(a.buffer) ?? []), range(a)]);
    for (const ranges of byBuffer.values()) {
      ranges.sort((x, y) => x[0] - y[0]);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBeGreaterThanOrEqual(ranges[i - 1]![1]);
    }
    expect(byBuffer.size).toBeLessThan(arrays.length); // small results do share blocks
  });

  it("gives large and tiny results their own arrays", () => {
    expect(allocateResult("float32", 4096).byteOffset).toBe(0);
    expect(allocateResult("float32", 4096).buffer.byteLength).toBe(4 * 4096);
    expect(allocateResult("float64", 2).buffer.byteLength).toBe(16);
  });

  it("keeps op results independent of each other and of data() copies", () => {
    const x = tensor(new Float32Array(100).fill(1));
    const a = add(x, 1);
    const b = add(x, 2);
    const copy = a.data();
    expect(copy.byteOffset).toBe(0);
    expect(copy.buffer.byteLength).toBe(400);
    expect([a.data()[99], b.data()[0]]).toEqual([2, 3]);
  });
});
