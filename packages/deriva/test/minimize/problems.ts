/** Test problems shared by the minimizer tests. */
import { type Tensor, tensor } from "../../src/index.js";

/** The founding document's y = x² − 4x + 6: minimum 2 at x = 2. */
export const parabola = (x: Tensor) => x.pow(2).sub(x.mul(4)).add(6);

/** Rosenbrock's banana, minimum 0 at (1, 1); the classic start is (−1.2, 1). */
export const rosenbrock = (v: Tensor) => {
  const x = v.slice([0], [1]);
  const y = v.slice([1], [2]);
  return x
    .neg()
    .add(1)
    .pow(2)
    .add(y.sub(x.pow(2)).pow(2).mul(100))
    .sum();
};

/** ½ Σ dᵢ xᵢ² in 10 dimensions with d from 1 to 1000 (condition number 1000): minimum 0 at 0. */
const curvatures = tensor(
  Array.from({ length: 10 }, (_, i) => 1000 ** (i / 9)),
  { dtype: "float64" },
);
export const illConditioned = (x: Tensor) => x.mul(x).mul(curvatures).sum().mul(0.5);
export const illConditionedStart = Array.from({ length: 10 }, (_, i) => 3 * Math.cos(i + 1));

/**
 * x − log x: minimum 1 at x = 1, NaN for x < 0. From x = 10 a long step lands at negative x.
 * `nans` counts the evaluations that fell outside the domain.
 */
export function withNanRegion() {
  const counter = { nans: 0 };
  const f = (x: Tensor) => {
    const y = x.sub(x.log());
    if (Number.isNaN(y.item())) counter.nans++;
    return y;
  };
  return { f, counter };
}
