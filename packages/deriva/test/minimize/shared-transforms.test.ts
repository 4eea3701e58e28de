/**
 * minimize's first-order methods run optim's gradient transforms: with a fixed rate their iterates
 * are, bit for bit, those of optim.SGD (momentum, Nesterov) and optim.Adam on a float64 parameter.
 */
import { describe, expect, it } from "vitest";
import { grad, type MinimizeOptions, minimize, optim, type Tensor, tensor } from "../../src/index.js";
import { rosenbrock } from "./problems.js";

/** The first `steps` iterates of an optimizer on f from x0 (float64), as plain arrays. */
function optimizerPath(
  f: (x: Tensor) => Tensor,
  x0: number[],
  steps: number,
  make: (p: Tensor) => optim.Optimizer,
) {
  const x = tensor(x0, { dtype: "float64", requiresGrad: true });
  const optimizer = make(x);
  const path: number[][] = [];
  for (let i = 0; i < steps; i++) {
    x.grad = grad(f)(x.detach()) as Tensor;
    optimizer.step();
    path.push(Array.from(x.data()));
  }
  return path;
}

function minimizePath(f: (x: Tensor) => Tensor, x0: number[], steps: number, opts: MinimizeOptions) {
  const result = minimize(f, x0, { maxIter: steps, tol: 1e-300, ...opts });
  return result.trace.map((s) => s.x);
}

describe("minimize's momentum and adam are optim's update rules", () => {
  const x0 = [-1.2, 1];
  const steps = 40;

  it("momentum (heavy ball and Nesterov) = optim.SGD with momentum", () => {
    for (const nesterov of [false, true]) {
      expect(
        minimizePath(rosenbrock, x0, steps, { method: "momentum", lr: 1e-4, momentum: 0.8, nesterov }),
      ).toEqual(
        optimizerPath(
          rosenbrock,
          x0,
          steps,
          (p) => new optim.SGD([p], { lr: 1e-4, momentum: 0.8, nesterov }),
        ),
      );
    }
  });

  it("adam = optim.Adam", () => {
    expect(
      minimizePath(rosenbrock, x0, steps, { method: "adam", lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6 }),
    ).toEqual(
      optimizerPath(
        rosenbrock,
        x0,
        steps,
        (p) => new optim.Adam([p], { lr: 0.01, betas: [0.8, 0.99], eps: 1e-6 }),
      ),
    );
  });

  it("gd = optim.SGD", () => {
    expect(minimizePath(rosenbrock, x0, steps, { lr: 1e-3 })).toEqual(
      optimizerPath(rosenbrock, x0, steps, (p) => new optim.SGD([p], { lr: 1e-3 })),
    );
  });
});
