/**
 * Bad input gets a one-line Error that names the op, what was expected and what was given
 * (both shapes for shape mismatches).
 */
import { describe, expect, it } from "vitest";
import {
  add,
  argmax,
  avgPool2d,
  concat,
  conv2d,
  flatten,
  gather,
  grad,
  indexSelect,
  jacobian,
  logSumExp,
  matmul,
  maxPool2d,
  mean,
  pad,
  reshape,
  setBackend,
  slice,
  softmax,
  squeeze,
  stack,
  sum,
  type Tensor,
  tensor,
  transpose,
  unsqueeze,
  valueAndGrad,
  where,
  zeros,
} from "../../src/index.js";
import { expectError } from "../helpers/expect-error.js";

const m23 = zeros([2, 3]);

describe("shape mismatches name the op and both shapes", () => {
  it("elementwise ops", () => {
    expectError(() => add(m23, zeros([4])), "add:", "[2, 3]", "[4]");
    expectError(() => m23.mul(zeros([3, 2])), "mul:", "[2, 3]", "[3, 2]");
    expectError(() => m23.sub(zeros([2])), "sub:", "[2, 3]", "[2]");
    expectError(() => where(zeros([2]), m23, 0), "where:", "[2]", "[2, 3]");
    expectError(() => m23.gt(zeros([5])), "gt:", "[2, 3]", "[5]");
  });

  it("matmul, with the shapes the user passed", () => {
    expectError(() => matmul(m23, zeros([4, 2])), "matmul:", "[2, 3]", "[4, 2]");
    expectError(() => matmul(zeros([3]), zeros([4])), "matmul:", "[3]", "[4]");
    expectError(() => matmul(zeros([2, 2, 3]), zeros([3, 3, 1])), "matmul:", "[2, 2, 3]", "[3, 3, 1]");
    expectError(() => matmul(tensor(1), zeros([1])), "matmul:", "at least 1 dimension");
  });

  it("concat, stack, conv2d and pooling", () => {
    expectError(() => concat([m23, zeros([3, 3])], 1), "concat:", "[2, 3]", "[3, 3]");
    expectError(() => stack([m23, zeros([3, 2])]), "stack:", "[2, 3]", "[3, 2]");
    expectError(
      () => conv2d(zeros([1, 2, 4, 4]), zeros([1, 3, 2, 2])),
      "conv2d:",
      "[1, 2, 4, 4]",
      "2 channels",
      "[1, 3, 2, 2]",
    );
    expectError(() => conv2d(m23, zeros([1, 1, 1, 1])), "conv2d:", "[2, 3]");
    expectError(() => conv2d(zeros([1, 1, 2, 2]), zeros([1, 1, 3, 3])), "conv2d:", "3×3", "2×2");
    expectError(
      () => conv2d(zeros([1, 1, 2, 2]), zeros([2, 1, 1, 1]), zeros([3])),
      "conv2d:",
      "bias",
      "[2]",
      "[3]",
    );
    expectError(() => maxPool2d(m23, 2), "maxPool2d:", "[2, 3]");
    expectError(() => avgPool2d(zeros([1, 1, 2, 2]), 3), "avgPool2d:", "3×3");
    expectError(() => maxPool2d(zeros([1, 1, 4, 4]), 2, 2, 2), "maxPool2d:", "padding");
  });

  it("reshape to an incompatible size", () => {
    expectError(() => reshape(m23, [4]), "reshape:", "[2, 3]", "[4]", "size 6");
    expectError(() => m23.reshape([4, -1]), "reshape:", "[2, 3]", "[4, -1]");
    expectError(() => reshape(m23, [-1, -1]), "reshape:", "only one dimension can be -1");
    expectError(() => zeros([6]).broadcastTo([2, 3]), "broadcastTo:", "[6]", "[2, 3]");
  });

  it("slice, pad, gather and indexSelect arguments", () => {
    expectError(() => slice(m23, [0, 0, 0], [1, 1, 1]), "slice:", "[2, 3]");
    expectError(() => pad(m23, [1], [1]), "pad:", "[2, 3]");
    expectError(() => indexSelect(m23, 0, [5]), "indexSelect:", "index 5", "size 2");
    expectError(
      () => gather(m23, 1, tensor([[1]], { dtype: "int32" }).reshape([1])),
      "gather:",
      "[1]",
      "[2, 3]",
    );
  });
});

describe("axes out of range name the op, the axis and the rank", () => {
  it.each([
    ["sum", () => sum(m23, 2)],
    ["mean", () => mean(m23, -3)],
    ["max", () => m23.max(5)],
    ["logSumExp", () => logSumExp(m23, 2)],
    ["softmax", () => softmax(m23, 2)],
    ["logSoftmax", () => m23.logSoftmax(-3)],
    ["argmax", () => argmax(m23, 2)],
    ["squeeze", () => squeeze(m23, 2)],
    ["unsqueeze", () => unsqueeze(m23, 4)],
    ["concat", () => concat([m23, m23], 2)],
    ["stack", () => stack([m23, m23], 4)],
    ["transpose", () => transpose(m23, [0, 2])],
    ["flatten", () => flatten(m23, 2)],
    ["indexSelect", () => indexSelect(m23, 3, [0])],
  ])("%s", (op, fn) => {
    expectError(fn, `${op}:`, /axis|perm/, /2 (dimension|axes)/);
  });

  it("a repeated axis", () => {
    expectError(() => sum(m23, [0, -2]), "sum:", "repeated axis");
  });

  it("a permutation that is not one", () => {
    expectError(() => transpose(m23, [0, 0]), "transpose:", "[0, 0]", "[2, 3]");
  });
});

describe("dtypes", () => {
  it("gradients are refused for int32 tensors", () => {
    expectError(() => tensor([1], { dtype: "int32", requiresGrad: true }), "requiresGrad", "int32");
    expectError(
      () => grad((x: Tensor) => x.sum())(tensor([1], { dtype: "int32" })),
      "grad:",
      "int32",
      "float32 or float64",
    );
  });

  it("indices must be int32", () => {
    expectError(() => gather(m23, 1, tensor([[0], [1]])), "gather:", "int32", "float32");
    expectError(() => indexSelect(m23, 0, tensor([0])), "indexSelect:", "int32", "float32");
  });

  it("unknown dtypes", () => {
    expectError(() => tensor([1], { dtype: "float16" as "float32" }), "tensor:", "float16");
  });

  it("concat and stack name themselves for a list that is not one of tensors", () => {
    expectError(() => concat(m23 as unknown as Tensor[]), "concat:", "array of tensors");
    expectError(() => stack([m23, 1] as unknown as Tensor[]), "stack:", "element 1", "number 1");
    expectError(() => stack([]), "stack:", "at least one");
  });
});

describe("values and derivatives", () => {
  it("item() on a tensor with more than one element", () => {
    expectError(() => m23.item(), "item:", "[2, 3]");
    expect(tensor([[4]]).item()).toBe(4);
  });

  it("grad of a non-scalar function", () => {
    expectError(() => grad((x: Tensor) => x.mul(2))(zeros([3])), "grad:", "scalar", "[3]", "jacobian");
    expectError(() => valueAndGrad((x: Tensor) => x)(zeros([2])), "grad:", "[2]");
  });

  it("grad of a function that returns something else than a tensor", () => {
    expectError(() => grad((() => 3) as unknown as (x: Tensor) => Tensor)(1), "grad:", "Tensor", "number");
  });

  it("argnums out of range", () => {
    expectError(() => grad((x: Tensor) => x, { argnums: 1 })(1), "grad:", "argnums 1", "1 argument");
  });

  it("jacobian of an int function input", () => {
    expectError(() => jacobian((x) => x)(tensor([1], { dtype: "int32" })), "jacobian:", "int32");
  });

  it("backward without a seed on a non-scalar, and on a tensor that needs no gradient", () => {
    const x = zeros([2], { requiresGrad: true });
    expectError(() => x.mul(2).backward(), "backward:", "[2]", "seed");
    expectError(() => zeros([1]).backward(), "backward:", "does not require grad");
    expectError(() => x.mul(2).backward(zeros([3])), "backward:", "[3]", "[2]");
  });

  it("ragged or non-numeric data", () => {
    expectError(() => tensor([[1, 2], [3]]), "tensor:", "ragged", "[1]");
    expectError(() => tensor(["a"] as unknown as number[]), "tensor:", "string");
    expectError(() => tensor([1, "a"] as unknown as number[]), "tensor:", "number at [1]", "string");
    expectError(() => tensor([[1], 2] as unknown as number[][]), "tensor:", "ragged", "[1]");
    expectError(() => tensor([1, 2, 3], { shape: [2, 2] }), "tensor:", "[2, 2]");
  });

  it("an unknown backend", () => {
    expectError(() => setBackend("gpu"), "setBackend:", "gpu", "js");
  });
});
