/**
 * One helper checks an op's value and its derivatives together (tinygrad's helper_test_op):
 * the value against known numbers, a float64 gradcheck of the first derivative, and a gradcheck of
 * the vector-Jacobian product itself (the second derivative, through the derivative rules).
 */
import { expect } from "vitest";
import {
  concat,
  type GradcheckOptions,
  grad,
  gradcheck,
  mul,
  type NestedArray,
  reshape,
  sum,
  type Tensor,
  tensor,
} from "../../src/index.js";

/** One row of an op table. */
export interface OpCase {
  /** What the row shows, e.g. "broadcast [2, 3] + [3]". */
  readonly label: string;
  /** The op under test. Inputs arrive as float64 tensors; non-differentiable arguments are closed over. */
  readonly f: (...inputs: Tensor[]) => Tensor;
  /** The differentiable inputs, as nested arrays (made float64 tensors). */
  readonly inputs: readonly NestedArray[];
  /** f(...inputs), computed by hand or by a reference (NumPy / SciPy). */
  readonly expected: NestedArray;
  /** Value tolerance: |actual − expected| ≤ tol·(1 + |expected|). Default 1e-12. */
  readonly tol?: number;
  /** Options for both gradchecks. */
  readonly gradcheck?: GradcheckOptions;
}

/** Shape of a nested array. */
function shapeOf(data: NestedArray): number[] {
  return typeof data === "number" ? [] : [data.length, ...(data.length > 0 ? shapeOf(data[0]!) : [])];
}

function flat(data: NestedArray): number[] {
  return typeof data === "number" ? [data] : data.flatMap(flat);
}

/** Asserts a tensor's shape and values (NaN matches NaN, ±Infinity match exactly). */
export function expectClose(actual: Tensor, expected: NestedArray, tol = 1e-12): void {
  expect(actual.shape).toEqual(shapeOf(expected));
  const got = actual.data();
  const want = flat(expected);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    const ok = Number.isNaN(w)
      ? Number.isNaN(g)
      : Number.isFinite(w)
        ? Math.abs(g - w) <= tol * (1 + Math.abs(w))
        : g === w;
    if (!ok) expect.fail(`element ${i}: got ${g}, expected ${w} (tol ${tol}); all: [${[...got].join(", ")}]`);
  }
}

/** A fixed cotangent: 0.5, 0.75, 1, 1.25, … (no zeros, no symmetry to hide a transposed rule). */
function fixedCotangent(shape: readonly number[]): Tensor {
  const size = shape.reduce((n, d) => n * d, 1);
  return tensor(
    Float64Array.from({ length: size }, (_, i) => 0.5 + 0.25 * (i % 7)),
    { shape },
  );
}

/** The vector-Jacobian product of f with a fixed cotangent, all inputs' gradients flattened into one vector. */
export function vjpOf(f: (...inputs: Tensor[]) => Tensor, cotangent: Tensor) {
  return (...xs: Tensor[]): Tensor => {
    const argnums = xs.map((_, i) => i);
    const grads = grad((...zs: Tensor[]) => sum(mul(f(...zs), cotangent)), { argnums })(...xs) as Tensor[];
    return concat(grads.map((g) => reshape(g, [-1])));
  };
}

/** Value, first-order gradcheck and second-order gradcheck (of the VJP) of one op case. */
export function checkOp(c: OpCase): void {
  const xs = c.inputs.map((data) => tensor(data, { dtype: "float64" }));
  const out = c.f(...xs);
  expect(out.dtype, "float64 in, float64 out").toBe("float64");
  expectClose(out, c.expected, c.tol);

  const first = gradcheck(c.f, xs, c.gradcheck);
  expect(first.ok, `first order: ${first.message}`).toBe(true);

  const vjp = vjpOf(c.f, fixedCotangent(out.shape));
  expect(vjp(...xs).dtype, "float64 gradients").toBe("float64");
  const second = gradcheck(vjp, xs, c.gradcheck);
  expect(second.ok, `second order: ${second.message}`).toBe(true);
}
