/**
 * Functional derivatives, as in JAX: grad(f) is a function that returns the gradient of f.
 * They compose: grad(grad(f)), hessian(f) = jacobian(grad(f)). Inside another transform (or when an
 * argument is itself being differentiated) the backward pass is recorded, so its result can be
 * differentiated again; otherwise no graph is kept.
 */

import { gradients } from "../autograd/graph.js";
import { apply } from "../ops/op.js";
import { reshape, reshapeOp, stack } from "../ops/shape.js";
import { WALK_RULES } from "../ops/walk-rules.js";
import { onesLike, zerosLike } from "../tensor/creation.js";
import { allocate, isFloat } from "../tensor/dtype.js";
import { isGradEnabled, withGradMode } from "../tensor/grad-mode.js";
import { formatShape, SCALAR_SHAPE } from "../tensor/shape.js";
import { fromValues } from "../tensor/storage.js";
import { Tensor } from "../tensor/tensor.js";

/** What the functions that grad and its kin return accept: tensors, or numbers (float64 scalars). */
export type GradArg = Tensor | number;
type Fn = (...args: Tensor[]) => Tensor;
/** The argument list of a transformed function: f's parameters, each a Tensor or a number. */
export type GradArgs<A extends Tensor[]> = { [K in keyof A]: GradArg };

/** Which positional arguments to differentiate with respect to. */
export interface GradOptions {
  /** An argument's index (default 0), or several: then the gradients come as an array. */
  argnums?: number | readonly number[];
}
/** GradOptions with one argnum (or none): the gradient is one tensor. */
export interface SingleGradOptions extends GradOptions {
  /** The argument's index (default 0). */
  argnums?: number;
}
/** GradOptions with an array of argnums: the gradients come as an array, in that order. */
export interface ManyGradOptions extends GradOptions {
  /** The arguments' indices. */
  argnums: readonly number[];
}

/** How many transforms are evaluating their function right now (to know whether to record backward passes). */
let depth = 0;

function toTensor(x: GradArg): Tensor {
  if (typeof x !== "number") return x;
  const values = new Float64Array(1);
  values[0] = x;
  return fromValues(values, SCALAR_SHAPE);
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
  const grads = output.requiresGrad
    ? gradients(output, seed, inputs, createGraph, WALK_RULES)
    : inputs.map(() => null);
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
  const seed = onesLike(output);
  return { output, grads: gradientsOrZeros(output, seed, inputs, createGraph), createGraph };
}

/**
 * valueAndGrad(f)(...args) → [f(...args), ∂f/∂args[argnums]]: the value and the gradient in one
 * pass. f must return a one-element tensor. Plain numbers are accepted and become float64
 * scalars. The gradient is one tensor, or an array when argnums is an array.
 *
 * @example
 * const [value, slope] = valueAndGrad((x: Tensor) => x.pow(2).sub(x.mul(4)).add(6))(8);
 * value.item(); // 38
 * slope.item(); // 12
 */
export function valueAndGrad<A extends Tensor[]>(
  f: (...args: A) => Tensor,
  opts?: SingleGradOptions,
): (...args: GradArgs<A>) => [Tensor, Tensor];
export function valueAndGrad<A extends Tensor[]>(
  f: (...args: A) => Tensor,
  opts: ManyGradOptions,
): (...args: GradArgs<A>) => [Tensor, Tensor[]];
export function valueAndGrad<A extends Tensor[]>(
  f: (...args: A) => Tensor,
  opts?: GradOptions,
): (...args: GradArgs<A>) => [Tensor, Tensor | Tensor[]];
export function valueAndGrad(f: Fn, opts?: GradOptions): (...args: GradArg[]) => [Tensor, Tensor | Tensor[]] {
  const { list, single } = argnumList(opts);
  return (...args) => {
    const { output, grads, createGraph } = scalarGradients(f, args, list);
    return [createGraph ? output : output.detach(), single ? grads[0]! : grads];
  };
}

/**
 * grad(f)(...args) → ∂f/∂args[argnums], with f scalar-valued: one tensor, or an array when
 * argnums is an array. Plain numbers are accepted and become float64 scalars. Compose it for
 * higher derivatives: grad(grad(f)).
 *
 * @example
 * const f = (x: Tensor) => x.pow(2).sub(x.mul(4)).add(6);
 * grad(f)(8).item(); // 12, since f′(x) = 2x − 4
 * grad(grad(f))(8).item(); // 2
 * const [dx, dy] = grad((x: Tensor, y: Tensor) => x.mul(y), { argnums: [0, 1] })(3, 4); // 4 and 3
 */
export function grad<A extends Tensor[]>(
  f: (...args: A) => Tensor,
  opts?: SingleGradOptions,
): (...args: GradArgs<A>) => Tensor;
export function grad<A extends Tensor[]>(
  f: (...args: A) => Tensor,
  opts: ManyGradOptions,
): (...args: GradArgs<A>) => Tensor[];
export function grad<A extends Tensor[]>(
  f: (...args: A) => Tensor,
  opts?: GradOptions,
): (...args: GradArgs<A>) => Tensor | Tensor[];
export function grad(f: Fn, opts?: GradOptions): (...args: GradArg[]) => Tensor | Tensor[] {
  const { list, single } = argnumList(opts);
  return (...args) => {
    const { grads } = scalarGradients(f, args, list);
    return single ? grads[0]! : grads;
  };
}

/**
 * jacobian(f)(x): J[i..., j...] = ∂f(x)[i...]/∂x[j...], shape [...f(x).shape, ...x.shape],
 * one reverse pass per output element. A plain number x becomes a float64 scalar.
 *
 * @example
 * jacobian((x: Tensor) => x.mul(tensor([2, 3])))(tensor([1, 1])).toArray(); // [[2, 0], [0, 3]]
 */
export function jacobian(f: (x: Tensor) => Tensor): (x: GradArg) => Tensor {
  return (x) => {
    const { output, inputs, createGraph } = trace("jacobian", f, [x], [0]);
    const input = inputs[0]!;
    const rows: Tensor[] = [];
    for (let i = 0; i < output.size; i++) {
      const basis = allocate(output.dtype, output.size);
      basis[i] = 1;
      const seed = fromValues(basis, output.shape);
      rows.push(gradientsOrZeros(output, seed, inputs, createGraph)[0]!);
    }
    if (rows.length === 0) return fromValues(allocate(input.dtype, 0), [...output.shape, ...input.shape]);
    return reshape(stack(rows), [...output.shape, ...input.shape]);
  };
}

/**
 * hessian(f)(x): second derivatives of a scalar f, shape [...x.shape, ...x.shape] (the jacobian
 * of grad(f)). Throws when f(x) is not a scalar.
 *
 * @example
 * const f = (v: Tensor) => v.pow(3).sum(); // x³ + y³
 * hessian(f)(tensor([1, 2])).toArray(); // [[6, 0], [0, 12]]
 */
export function hessian(f: (x: Tensor) => Tensor): (x: GradArg) => Tensor {
  const df = grad(f);
  return jacobian((x) => df(x));
}
