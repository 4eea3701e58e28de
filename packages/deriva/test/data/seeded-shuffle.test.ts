import { describe, expect, it } from "vitest";
import { mulberry32, permutation } from "../../src/data/seeded-shuffle.js";

describe("mulberry32", () => {
  it("gives the reference sequence for seed 42", () => {
    // first draws of the reference implementation (lib/stats.mjs of the workloads)
    const rand = mulberry32(42);
    expect(rand()).toBe(0.6011037519201636);
    expect(rand()).toBe(0.44829055899754167);
  });

  it("stays in [0, 1) and is reproducible", () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});

describe("permutation", () => {
  it("is a permutation of 0..n-1, by Fisher-Yates from the top", () => {
    const order = permutation(1000, mulberry32(3));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    // by hand: n = 3 swaps i = 2 with floor(r1·3), then i = 1 with floor(r2·2)
    const rand = mulberry32(42);
    const expected = [0, 1, 2];
    for (let i = 2; i >= 1; i--) {
      const j = Math.floor(rand() * (i + 1));
      [expected[i], expected[j]] = [expected[j]!, expected[i]!];
    }
    expect([...permutation(3, mulberry32(42))]).toEqual(expected);
  });

  it("handles n = 0 and 1 and refuses bad n", () => {
    expect(permutation(0, mulberry32(1)).length).toBe(0);
    expect([...permutation(1, mulberry32(1))]).toEqual([0]);
    expect(() => permutation(-1, mulberry32(1))).toThrow(/permutation: n must be/);
    expect(() => permutation(2.5, mulberry32(1))).toThrow(/permutation: n must be/);
  });
});
