/**
 * Untyped JavaScript callers (no type checker to stop them) get a one-line Error naming the op,
 * never a silently wrong result or a TypeError from deep inside ("Cannot read properties of undefined").
 */
import { describe, expect, it } from "vitest";
import {
  add,
  arange,
  cast,
  concat,
  conv2d,
  exp,
  full,
  linspace,
  matmul,
  randint,
  sum,
  tensor,
  transpose,
  where,
  zeros,
} from "../../src/index.js";
import { expectError } from "../helpers/expect-error.js";

// What a JavaScript caller may pass: the types are switched off for these calls
// biome-ignore lint/suspicious/noExplicitAny: the point is calls that TypeScript would refuse
const untyped = (t: unknown): any => t;
const m23 = zeros([2, 3]);
const cube = zeros([2, 3, 4]);

describe("methods called with arguments of the wrong kind", () => {
  it("slice(0, 1) is refused (it returned the whole tensor), naming the array form", () => {
    expectError(() => untyped(m23).slice(0, 1), "slice:", "starts", "array", "x.slice([0], [1])", "number 0");
    expect(m23.slice([0], [1]).shape).toEqual([1, 3]);
  });

  it("transpose(0, 1) on a 3-D tensor is refused (it reversed all axes)", () => {
    expectError(() => untyped(cube).transpose(0, 1), "transpose:", "perm", "[1, 0, 2]", "number 0");
    expect(cube.transpose([1, 0, 2]).shape).toEqual([3, 2, 4]);
  });

  it("reshape(-1) says the shape is an array", () => {
    expectError(() => untyped(m23).reshape(-1), "reshape:", "shape", "[-1]", "number -1");
    expectError(() => untyped(m23).reshape(2, 3), "reshape:", "number 2");
  });

  it("matmul(2) points to mul", () => {
    expectError(() => untyped(m23).matmul(2), "matmul:", "number 2", "mul");
    expectError(() => matmul(untyped(m23), untyped([1, 2, 3])), "matmul:", "an array [1,2,3]");
  });

  it("add([1, 2, 3]) asks for a tensor, as PyTorch does; numbers stay scalars", () => {
    expectError(() => untyped(m23).add([1, 2, 3]), "add:", "Tensor or a number", "array [1,2,3]", "tensor(");
    expectError(() => untyped(m23).mul("2"), "mul:", 'string "2"');
    expectError(() => untyped(m23).gt(null), "gt:", "null");
    expectError(() => exp(untyped(undefined)), "exp:", "undefined");
    expectError(() => where(untyped(m23), untyped({}), 1), "where:", "an object");
    expect(m23.add(1).sum().item()).toBe(6);
  });

  it("axes of the wrong kind", () => {
    expectError(() => sum(m23, untyped("0")), "sum:", "axis", '"0"');
    expectError(() => untyped(m23).unsqueeze("0"), "unsqueeze:", '"0"');
  });

  it("function forms name their tensor arguments", () => {
    expectError(() => transpose(untyped([[1, 2]])), "transpose:", "x must be a Tensor");
    expectError(() => concat(untyped([m23, [1]])), "concat:", "element 1");
    expectError(() => conv2d(untyped(zeros([1, 1, 2, 2])), untyped(3)), "conv2d:", "weight", "number 3");
    expectError(() => untyped(m23).clamp("0"), "clamp:", "min", 'string "0"');
    expectError(() => untyped(zeros([1, 1, 2, 2])).maxPool2d(null), "maxPool2d:", "kernel", "null");
    expectError(() => cast(m23, untyped("float16")), "cast:", "float16");
  });
});

describe("creation from JavaScript data", () => {
  it('tensor([1, 2], "float64") is refused (it made a float32 tensor)', () => {
    expectError(
      () => tensor([1, 2], untyped("float64")),
      "tensor:",
      "options",
      '{ dtype: "float64" }',
      'string "float64"',
    );
    expectError(() => zeros([2], untyped("float64")), "zeros", '{ dtype: "float64" }');
    expect(tensor([1, 2], { dtype: "float64" }).dtype).toBe("float64");
  });

  it("int32 refuses what it cannot hold instead of wrapping it around or making NaN 0", () => {
    expectError(() => tensor([3e10], { dtype: "int32" }), "tensor:", "30000000000", "int32");
    expectError(
      () =>
        tensor(
          [
            [1, 2],
            [3, Number.NaN],
          ],
          { dtype: "int32" },
        ),
      "tensor:",
      "NaN at [1, 1]",
      "int32",
    );
    expectError(
      () => tensor(Float64Array.of(1, Number.POSITIVE_INFINITY), { dtype: "int32" }),
      "Infinity",
      "flat index 1",
    );
    expectError(() => full([2], 2 ** 31, { dtype: "int32" }), "full:", "2147483648");
    expectError(() => randint(0, 2 ** 32, [2]), "randint:", "int32");
    expectError(() => cast(tensor([Number.NaN]), "int32"), "cast:", "NaN", "int32");
    expect(tensor([1.9, -1.9, 2 ** 31 - 1, -(2 ** 31)], { dtype: "int32" }).toArray()).toEqual([
      1,
      -1,
      2 ** 31 - 1,
      -(2 ** 31),
    ]);
    expect(cast(tensor([2.5, -2.5]), "int32").toArray()).toEqual([2, -2]);
  });

  it("ranges need finite numbers", () => {
    expectError(() => arange(5, untyped("float64")), "arange:", "stop", 'string "float64"');
    expectError(() => linspace(0, Number.POSITIVE_INFINITY, 3), "linspace:", "stop", "Infinity");
    expectError(() => full([2], untyped("1")), "full:", "number");
  });

  it("accepts what it always did", () => {
    expect(add(tensor([1, 2]), 1).toArray()).toEqual([2, 3]);
    expect(tensor(Int32Array.of(1, 2)).dtype).toBe("int32");
    expect(tensor(5, { dtype: "int32" }).item()).toBe(5);
  });
});
