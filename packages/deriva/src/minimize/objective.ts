/**
 * The function being minimized, seen by the methods as a map from a flat float64 vector to f, ∇f
 * and ∇²f, computed with the autodiff engine in float64 (so the founding document's sequence comes
 * out exact). x keeps the shape of x0 when f is called.
 */

import { hessian, valueAndGrad } from "../derivatives/transforms.js";
import { tensor } from "../tensor/creation.js";
import { noGrad } from "../tensor/grad-mode.js";
import { formatShape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";

/** A point with f and ∇f evaluated there. */
export interface Point {
  readonly x: Float64Array;
  readonly value: number;
  readonly grad: Float64Array;
}

/** A function minimize can minimize: it maps x (a float64 tensor of x0's shape) to a scalar tensor. */
export type ScalarFunction = (x: Tensor) => Tensor;

export class Objective {
  /** Evaluations of f so far (with or without the gradient). */
  evaluations = 0;
  readonly size: number;
  private readonly valueAndGradient: (x: Tensor) => [Tensor, Tensor];

  constructor(
    private readonly f: ScalarFunction,
    readonly shape: readonly number[],
  ) {
    this.size = shape.reduce((a, b) => a * b, 1);
    this.valueAndGradient = valueAndGrad(f);
  }

  /** x as the tensor f receives: float64, shaped like x0. */
  toTensor(x: Float64Array): Tensor {
    return tensor(x, { dtype: "float64", shape: this.shape });
  }

  /** f(x) and ∇f(x). */
  evaluate(x: Float64Array): Point {
    this.evaluations++;
    const [value, grad] = this.valueAndGradient(this.toTensor(x));
    return { x, value: value.item(), grad: Float64Array.from(grad.data()) };
  }

  /** f(x) alone, recording nothing for the gradient. */
  value(x: Float64Array): number {
    this.evaluations++;
    const out = noGrad(() => this.f(this.toTensor(x)));
    if (!(out instanceof Tensor)) throw new Error(`minimize: f must return a Tensor, got ${typeof out}`);
    if (out.size !== 1) {
      throw new Error(`minimize: f must return a scalar (one element), got shape ${formatShape(out.shape)}`);
    }
    return out.item();
  }

  /** ∇²f(x) as a row-major size × size matrix. */
  hessian(x: Float64Array): Float64Array {
    this.evaluations++;
    return Float64Array.from(hessian(this.f)(this.toTensor(x)).data());
  }
}
