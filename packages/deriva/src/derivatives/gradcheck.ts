/**
 * Checking derivatives: compare the autodiff gradient with central finite differences in float64.
 * A non-scalar f is reduced to the scalar Σ f(x)·v with a fixed random cotangent v, which checks
 * the whole vector-Jacobian product.
 */

import { gradients } from "../autograd/graph.js";
import { mul } from "../ops/elementwise.js";
import { sum } from "../ops/reduce.js";
import { WALK_RULES } from "../ops/walk-rules.js";
import { noGrad, withGradMode } from "../tensor/grad-mode.js";
import { Generator } from "../tensor/random.js";
import { assignValues, fromValues } from "../tensor/storage.js";
import type { Tensor } from "../tensor/tensor.js";

/** Options of gradcheck: the finite-difference step and the tolerances an element must meet. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3): an element passes when |analytic − numeric| ≤ atol + rtol·|numeric|. */
  rtol?: number;
}

/** The verdict of gradcheck and the largest errors it saw. */
export interface GradcheckResult {
  /** Whether every element met |analytic − numeric| ≤ atol + rtol·|numeric| and all values were finite. */
  ok: boolean;
  /** The largest |analytic − numeric| over all elements of all inputs (NaN when a value was not finite). */
  maxAbsError: number;
  /** The largest |analytic − numeric| / max(|analytic|, |numeric|) (NaN when a value was not finite). */
  maxRelError: number;
  /** Why the check failed: the worst element, or non-finite values. Absent when ok. */
  message?: string;
}

function float64Leaf(t: Tensor): Tensor {
  const leaf = fromValues(Float64Array.from(t.data()), t.shape);
  leaf.requiresGrad = true;
  return leaf;
}

function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return i;
  return -1;
}

/**
 * Compares f's autodiff gradient with central finite differences (f(x + eps) − f(x − eps)) / 2eps,
 * computed in float64 on float64 copies of `inputs`. A non-scalar f is checked through Σ f(x)·v
 * for a fixed random v, which covers the whole vector-Jacobian product. It reports rather than
 * throws: look at `ok` and `message`.
 *
 * @example gradcheck((x) => x.pow(3).sum(), [tensor([1, 2])]).ok; // true
 */
export function gradcheck(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  opts: GradcheckOptions = {},
): GradcheckResult {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  const fail = (message: string): GradcheckResult => ({
    ok: false,
    maxAbsError: Number.NaN,
    maxRelError: Number.NaN,
    message,
  });

  const xs = inputs.map(float64Leaf);
  for (const [i, x] of xs.entries()) {
    const values = x.data();
    const bad = firstNonFinite(values);
    if (bad >= 0) return fail(`gradcheck: input ${i} holds ${values[bad]} at flat index ${bad}`);
  }
  const output = withGradMode(true, () => f(...xs));
  const cotangent = new Float64Array(output.size);
  const generator = new Generator(1234);
  for (let i = 0; i < cotangent.length; i++) cotangent[i] = output.size === 1 ? 1 : 0.5 + generator.uniform();
  const v = fromValues(cotangent, output.shape);
  const scalarOf = (out: Tensor): number => sum(mul(out, v)).item();

  const analytic = output.requiresGrad ? gradients(output, v, xs, false, WALK_RULES) : xs.map(() => null);
  let maxAbsError = 0;
  let maxRelError = 0;
  let worst = "";
  for (const [i, x] of xs.entries()) {
    const a = analytic[i]?.data() ?? new Float64Array(x.size);
    // the probes write x in place, through the backend, one element at a time
    const probe = x.data();
    const bad = firstNonFinite(a);
    if (bad >= 0)
      return fail(`gradcheck: the autodiff gradient of input ${i} is ${a[bad]} at flat index ${bad}`);
    for (let j = 0; j < x.size; j++) {
      const original = probe[j]!;
      probe[j] = original + eps;
      assignValues(x, probe);
      const plus = noGrad(() => scalarOf(f(...xs)));
      probe[j] = original - eps;
      assignValues(x, probe);
      const minus = noGrad(() => scalarOf(f(...xs)));
      probe[j] = original;
      assignValues(x, probe);
      const numeric = (plus - minus) / (2 * eps);
      if (!Number.isFinite(numeric))
        return fail(`gradcheck: the finite difference of input ${i} at flat index ${j} is ${numeric}`);
      const absError = Math.abs(a[j]! - numeric);
      const relError = absError / Math.max(Math.abs(numeric), Math.abs(a[j]!), Number.MIN_VALUE);
      if (absError > maxAbsError) maxAbsError = absError;
      if (relError > maxRelError) maxRelError = relError;
      if (absError > atol + rtol * Math.abs(numeric) && !worst) {
        worst = `gradcheck: input ${i}, flat index ${j}: autodiff ${a[j]} vs finite differences ${numeric}`;
      }
    }
  }
  return worst
    ? { ok: false, maxAbsError, maxRelError, message: worst }
    : { ok: true, maxAbsError, maxRelError };
}
