/** Shape rules: NumPy broadcasting, -1 in reshape, empty tensors, views that share nothing with the user. */
import { expect, it } from "vitest";
import {
  add,
  arange,
  concat,
  flatten,
  mul,
  reshape,
  slice,
  squeeze,
  stack,
  sum,
  tensor,
  transpose,
  unsqueeze,
  zeros,
} from "../../src/index.js";
import { describeEachBackend } from "../helpers/backends.js";

describeEachBackend("shape rules", () => {
  it("broadcasts like NumPy: trailing axes align, size-1 axes stretch", () => {
    expect(add(zeros([3, 1, 2]), zeros([4, 1])).shape).toEqual([3, 4, 2]);
    expect(add(zeros([]), zeros([2, 3])).shape).toEqual([2, 3]);
    expect(mul(zeros([5, 1, 1]), zeros([1, 6])).shape).toEqual([5, 1, 6]);
    expect(add(zeros([0, 3]), zeros([3])).shape).toEqual([0, 3]);
    const x = add(arange(3).reshape([3, 1]), arange(2).mul(10));
    expect(x.toArray()).toEqual([
      [0, 10],
      [1, 11],
      [2, 12],
    ]);
  });

  it("reshape infers one −1 and keeps the row-major order", () => {
    const x = arange(24);
    expect(reshape(x, [2, -1, 4]).shape).toEqual([2, 3, 4]);
    expect(reshape(x, [-1]).shape).toEqual([24]);
    expect((reshape(x, [4, 6]).toArray() as number[][])[1]).toEqual([6, 7, 8, 9, 10, 11]);
    expect(x.reshape([2, 3, 4]).flatten(1).shape).toEqual([2, 12]);
    expect(flatten(tensor(5)).shape).toEqual([1]);
  });

  it("squeeze / unsqueeze", () => {
    expect(squeeze(zeros([1, 3, 1])).shape).toEqual([3]);
    expect(squeeze(zeros([2, 3]), 0).shape).toEqual([2, 3]); // not size 1: unchanged
    expect(unsqueeze(zeros([2, 3]), 1).shape).toEqual([2, 1, 3]);
    expect(unsqueeze(zeros([2, 3]), -1).shape).toEqual([2, 3, 1]);
  });

  it("transpose of a 3-D tensor reverses the axes", () => {
    const x = arange(6).reshape([1, 2, 3]);
    expect(transpose(x).shape).toEqual([3, 2, 1]);
    expect(x.T.toArray()).toEqual([
      [[0], [3]],
      [[1], [4]],
      [[2], [5]],
    ]);
  });

  it("slice: negative bounds count from the end, out-of-range bounds clip, empty ranges are empty", () => {
    const x = arange(10);
    expect(slice(x, [-3], [10]).toArray()).toEqual([7, 8, 9]);
    expect(slice(x, [-100], [2]).toArray()).toEqual([0, 1]);
    expect(slice(x, [5], [3]).shape).toEqual([0]);
    expect(sum(slice(x, [5], [3])).item()).toBe(0);
  });

  it("concat and stack along every axis", () => {
    const a = arange(4).reshape([2, 2]);
    const b = arange(4, 8).reshape([2, 2]);
    expect(concat([a, b], 0).shape).toEqual([4, 2]);
    expect(concat([a, b], 1).toArray()).toEqual([
      [0, 1, 4, 5],
      [2, 3, 6, 7],
    ]);
    expect(stack([a, b], 1).shape).toEqual([2, 2, 2]);
    expect(stack([a, b], 2).toArray()).toEqual([
      [
        [0, 4],
        [1, 5],
      ],
      [
        [2, 6],
        [3, 7],
      ],
    ]);
  });

  it("results never alias the user's data", () => {
    const source = new Float32Array([1, 2, 3]);
    const x = tensor(source);
    source[0] = 99;
    expect(x.toArray()).toEqual([1, 2, 3]);
    const copy = x.data();
    copy[1] = 99;
    expect(x.toArray()).toEqual([1, 2, 3]);
  });
});
