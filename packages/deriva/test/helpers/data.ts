/** Small deterministic test inputs. */
import type { NestedArray } from "../../src/index.js";

/** A nested array of `shape` whose element at flat index i is value(i). */
export function grid(shape: readonly number[], value: (i: number) => number): NestedArray {
  let next = 0;
  const build = (axis: number): NestedArray =>
    axis === shape.length ? value(next++) : Array.from({ length: shape[axis]! }, () => build(axis + 1));
  return build(0);
}

/** Scattered values in [-1, 1.5] in steps of 0.25: ((i·7) mod 11)/4 − 1 (no two neighbours equal). */
export function scattered(shape: readonly number[]): NestedArray {
  return grid(shape, (i) => ((i * 7) % 11) / 4 - 1);
}
