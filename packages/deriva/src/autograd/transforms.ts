/**
 * Functional derivatives, as in JAX: grad(f) is a function that returns the gradient of f.
 * They compose: grad(grad(f)), hessian(f) = jacobian(grad(f)). Inside another transform (or when an
 * argument is itself being differentiated) the backward pass is recorded, so its result can be
 * differentiated again; otherwise no graph is kept.
 */

import { apply } from "../ops/op.js";
import { reshape, reshapeOp, stack } from "../ops/shape.js";
import { zerosLike } from "../tensor/creation.js";
import { isFloat } from "../tensor/dtype.js";
import { formatShape, SCALAR_SHAPE } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { gradients } from "./graph.js";
import { isGradEnabled, withGradMode } from "./mode.js";

export type GradArg = Tensor | number;
export type Fn = (...args: Tensor[]) => Tensor;

export interface GradOptions {
  /** Which positional arguments to differentiate with respect to (default 0). */
  argnums?: number | readonly number[];
}

/** How many transforms are evaluating their function right now (to know whether to record backward passes). */
let depth = 0;

function toTensor(x: GradArg): Tensor {
  if (typeof x !== "number") return x;
  const values = new Float64Array(1);
  values[0] = x;
  return new Tensor(values, SCALAR_SHAPE);
}

/**
 * A fresh tensor standing for an argument to differentiate: an alias recorded in the graph if the
 * argument is itself tracked (so outer derivatives flow through), else a new leaf.
 */
function differentiableInput(op: string, x: Tensor): Tensor {
  if (!isFloat(x.dtype))
    throw new Error(
      `${op}: cannot differentiate with respect to an ${x.dtype} tensor; use float32 or float64`,
    );
  if (x.requiresGrad && isGradEnabled()) return apply(reshapeOp, [x], { shape: [...x.shape] });
  const leaf = x.detach();
  leaf.requiresGrad = true;
  return leaf;
}

function runTraced<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}

interface Traced {
  output: Tensor;
  inputs: Tensor[];
  createGraph: boolean;
}

function trace(op: string, f: Fn, args: readonly GradArg[], argnums: readonly number[]): Traced {
  const tensors = args.map(toTensor);
  for (const i of argnums) {
    if (i < 0 || i >= tensors.length || !Number.isInteger(i)) {
      throw new Error(`${op}: argnums ${i} is out of range for ${tensors.length} argument(s)`);
    }
  }
  const createGraph = isGradEnabled() && (depth > 0 || argnums.some((i) => tensors[i]!.requiresGrad));
  const inputs = argnums.map((i) => differentiableInput(op, tensors[i]!));
  argnums.forEach((i, k) => {
    tensors[i] = inputs[k]!;
  });
  // f is always traced, even inside noGrad: a derivative is what was asked for. Whether the
  // backward pass is itself recorded (createGraph) still follows the caller's mode.
  const output = runTraced(() => withGradMode(true, () => f(...tensors)));
  if (!(output instanceof Tensor)) throw new Error(`${op}: f must return a Tensor, got ${typeof output}`);
  return { output, inputs, createGraph };
}

function gradientsOrZeros(
  output: Tensor,
  seed: Tensor,
  inputs: readonly Tensor[],
  createGraph: boolean,
): Tensor[] {
  const grads = output.requiresGrad ? gradients(output, seed, inputs, createGraph) : inputs.map(() => null);
  return grads.map((g, i) => g ?? zerosLike(inputs[i]!));
}

function argnumList(opts: GradOptions | undefined): { list: number[]; single: boolean } {
  const argnums = opts?.argnums ?? 0;
  return typeof argnums === "number"
    ? { list: [argnums], single: true }
    : { list: [...argnums], single: false };
}

/** f's scalar output and its gradients with respect to args[argnums]. */
function scalarGradients(
  f: Fn,
  args: readonly GradArg[],
  argnums: readonly number[],
): { output: Tensor; grads: Tensor[]; createGraph: boolean } {
  const { output, inputs, createGraph } = trace("grad", f, args, argnums);
  if (output.size !== 1) {
    throw new Error(
      `grad: f must return a scalar (a one-element tensor), got shape ${formatShape(output.shape)}; use jacobian for vector outputs`,
    );
  }
  if (!isFloat(output.dtype)) throw new Error(`grad: f must return a float tensor, got ${output.dtype}`);
  const seed = new Tensor(output.values.slice().fill(1), output.shape);
  return { output, grads: gradientsOrZeros(output, seed, inputs, createGraph), createGraph };
}

/**
 * valueAndGrad(f)(...args) → [f(...args), ∂f/∂args[argnums]]. f must return a one-element tensor.
 * Plain numbers are accepted and become float64 scalars.
 */
export function valueAndGrad(f: Fn, opts?: GradOptions): (...args: GradArg[]) => [Tensor, Tensor | Tensor[]] {
  const { list, single } = argnumList(opts);
  return (...args) => {
    const { output, grads, createGraph } = scalarGradients(f, args, list);
    return [createGraph ? output : output.detach(), single ? grads[0]! : grads];
  };
}

/**
 * grad(f)(...args) → ∂f/∂args[argnums] (one tensor, or an array when argnums is an array), with
 * f scalar-valued. Example: grad(x => x.pow(2))(3) → 6 (a float64 0-d tensor).
 */
export function grad(f: Fn, opts?: GradOptions): (...args: GradArg[]) => Tensor | Tensor[] {
  const { list, single } = argnumList(opts);
  return (...args) => {
    const { grads } = scalarGradients(f, args, list);
    return single ? grads[0]! : grads;
  };
}

/**
 * jacobian(f)(x): J[i..., j...] = ∂f(x)[i...]/∂x[j...], shape [...f(x).shape, ...x.shape],
 * one reverse pass per output element.
 */
export function jacobian(f: (x: Tensor) => Tensor): (x: GradArg) => Tensor {
  return (x) => {
    const { output, inputs, createGraph } = trace("jacobian", f, [x], [0]);
    const input = inputs[0]!;
    const rows: Tensor[] = [];
    for (let i = 0; i < output.size; i++) {
      const seed = new Tensor(output.values.slice().fill(0), output.shape);
      seed.values[i] = 1;
      rows.push(gradientsOrZeros(output, seed, inputs, createGraph)[0]!);
    }
    if (rows.length === 0) return new Tensor(input.values.slice(0, 0), [...output.shape, ...input.shape]);
    return reshape(stack(rows), [...output.shape, ...input.shape]);
  };
}

/** hessian(f)(x): second derivatives of a scalar f, shape [...x.shape, ...x.shape]. */
export function hessian(f: (x: Tensor) => Tensor): (x: GradArg) => Tensor {
  const df = grad(f) as (x: Tensor) => Tensor;
  return jacobian((x) => df(x));
}
