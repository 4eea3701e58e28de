import { expect } from "vitest";
import { Tensor } from "../../src/index.js";

/** Every element of `actual` (flat, row-major) within `tol` of `expected`. */
export function expectClose(
  actual: Tensor | ArrayLike<number>,
  expected: readonly number[],
  tol = 1e-6,
): void {
  const got = actual instanceof Tensor ? actual.data() : actual;
  expect(got.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(got[i]! - expected[i]!), `element ${i}: ${got[i]} vs ${expected[i]}`).toBeLessThanOrEqual(
      tol,
    );
  }
}
