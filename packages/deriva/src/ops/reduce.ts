/** Reductions: sum, max and min are primitives; mean and logSumExp are built from them. */
import type { ReduceOp } from "../backend/backend.js";
import { backend } from "../backend/registry.js";
import { checkTensor } from "../tensor/arguments.js";
import {
  formatShape,
  normalizeAxes,
  normalizeAxis,
  reducedShape,
  type Shape,
  shapesEqual,
  sizeOf,
} from "../tensor/shape.js";
import { allocateResult } from "../tensor/slab.js";
import { Tensor } from "../tensor/tensor.js";
import { bumpVersion } from "../tensor/version.js";
import { asFloat } from "./convert.js";
import { add, div, eq, exp, log, mul, sub } from "./elementwise.js";
import { apply, type OpDef } from "./op.js";
import { broadcastTo, reshape } from "./shape.js";

/** The axes a reduction runs over: one axis or several; negative numbers count from the end. */
export type Axis = number | readonly number[];

export interface ReduceAttrs {
  readonly axes: number[];
  readonly keepDims: boolean;
}

const FIRST_AXIS: readonly number[] = [0];

function reduceForward(op: ReduceOp) {
  return ([x]: readonly Tensor[], { axes, keepDims }: ReduceAttrs): Tensor => {
    const shape = reducedShape(x!.shape, axes, keepDims);
    const out = allocateResult(x!.dtype, sizeOf(shape));
    // a reduction over every axis is one flat run, whatever the shape
    if (axes.length === x!.ndim) backend().reduce(op, x!.storage, [x!.size], FIRST_AXIS, out);
    else backend().reduce(op, x!.storage, x!.shape, axes, out);
    return new Tensor(out, shape);
  };
}

/** g reshaped to keep the reduced axes as size 1, then broadcast back over the input's shape. */
function expandBack(g: Tensor, inputShape: Shape, axes: readonly number[]): Tensor {
  // one element broadcasts to any shape as it is
  const kept = g.size === 1 ? g : reshape(g, reducedShape(inputShape, axes, true));
  return broadcastTo(kept, inputShape);
}

export const sumOp: OpDef<ReduceAttrs> = {
  name: "sum",
  forward: reduceForward("sum"),
  // ∂(Σ x)/∂x = 1 everywhere: the gradient is g repeated over the summed axes
  vjp: (g, [x], _output, { axes }) => [expandBack(g, x!.shape, axes)],
};

/** max/min: the gradient goes to the extreme elements, shared equally among ties. */
function extremeVjp(
  g: Tensor,
  inputs: readonly Tensor[],
  output: Tensor,
  { axes }: ReduceAttrs,
): (Tensor | null)[] {
  const x = inputs[0]!;
  const keptShape = reducedShape(x.shape, axes, true);
  const mask = eq(x, reshape(output, keptShape));
  const count = sum(mask, axes, true);
  return [mul(expandBack(div(g, reshape(count, g.shape)), x.shape, axes), mask)];
}

export const maxOp: OpDef<ReduceAttrs> = { name: "max", forward: reduceForward("max"), vjp: extremeVjp };
export const minOp: OpDef<ReduceAttrs> = { name: "min", forward: reduceForward("min"), vjp: extremeVjp };

function reduceWith(def: OpDef<ReduceAttrs>, x: Tensor, axis: Axis | undefined, keepDims: boolean): Tensor {
  checkTensor(def.name, "x", x);
  const axes = normalizeAxes(def.name, axis, x.ndim);
  if (def !== sumOp && axes.some((a) => x.shape[a] === 0)) {
    throw new Error(`${def.name}: cannot reduce an empty axis of shape ${formatShape(x.shape)}`);
  }
  return apply(def, [x], { axes, keepDims });
}

/** Σ over `axis` (a number, a negative number, an array, or all axes when omitted). */
export function sum(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  return reduceWith(sumOp, x, axis, keepDims);
}

/**
 * The largest element over `axis` (a number, a negative number, an array; all axes when omitted,
 * giving a 0-d tensor). keepDims keeps reduced axes as size 1. The gradient is shared equally
 * among tied maxima. Throws on an empty axis.
 *
 * @example max(tensor([[1, 5], [7, 2]]), 1).toArray(); // [5, 7]
 */
export function max(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  return reduceWith(maxOp, x, axis, keepDims);
}

/**
 * The smallest element over `axis` (all axes when omitted); keepDims and ties as max. Throws on an empty
 * axis.
 */
export function min(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  return reduceWith(minOp, x, axis, keepDims);
}

/** The arithmetic mean over `axis` (all axes when omitted), in a float dtype. */
export function mean(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  checkTensor("mean", "x", x);
  const axes = normalizeAxes("mean", axis, x.ndim);
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  return div(sum(asFloat(x), axes, keepDims), count);
}

/**
 * The stable parts of logSumExp and logSoftmax over `axes`: the shifted input x − m and
 * log Σ exp(x − m) (reduced axes kept as size 1), with m the maximum. m is held constant: the
 * results' sum does not depend on it, so neither does its gradient. Keeping x − m apart (rather
 * than adding m back and subtracting it again) keeps float32 logSoftmax exact for large logits.
 */
export function shiftedLogSumExp(
  x: Tensor,
  axes: readonly number[],
): { shift: Tensor; shifted: Tensor; logSum: Tensor } {
  const shift = max(x.detach(), axes, true);
  // an all-(-∞) or ∞ slice would make x − m NaN: shift those by 0 instead
  const values = backend().download(shift.storage);
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i]!)) continue;
    backend().write(
      shift.storage,
      values.map((v) => (Number.isFinite(v) ? v : 0)),
    );
    bumpVersion(shift);
    break;
  }
  const shifted = sub(x, shift);
  return { shift, shifted, logSum: log(sum(exp(shifted), axes, true)) };
}

/** log Σ exp(x) over `axis` (all axes when omitted), computed stably as m + log Σ exp(x − m). */
export function logSumExp(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  checkTensor("logSumExp", "x", x);
  const xf = asFloat(x);
  const axes = normalizeAxes("logSumExp", axis, xf.ndim);
  const { shift, logSum } = shiftedLogSumExp(xf, axes);
  const out = add(logSum, shift);
  return keepDims ? out : reshape(out, reducedShape(xf.shape, axes, false));
}

function argReduce(op: "argmax" | "argmin", x: Tensor, axis: number): Tensor {
  checkTensor(op, "x", x);
  const a = normalizeAxis(op, axis, x.ndim);
  if (x.shape[a] === 0)
    throw new Error(`${op}: cannot reduce an empty axis of shape ${formatShape(x.shape)}`);
  const shape = reducedShape(x.shape, [a], false);
  const out = new Int32Array(sizeOf(shape));
  backend().argReduce(op, x.storage, x.shape, a, out);
  return new Tensor(out, shape);
}

/** Index of the largest element along `axis` (int32; the first on ties). Not differentiable. */
export function argmax(x: Tensor, axis: number): Tensor {
  return argReduce("argmax", x, axis);
}

/** Index of the smallest element along `axis` (int32; the first on ties). Not differentiable. */
export function argmin(x: Tensor, axis: number): Tensor {
  return argReduce("argmin", x, axis);
}

/**
 * Sums a broadcast gradient back to the shape of the operand it came from: over the leading axes
 * broadcasting added and the axes where the operand had size 1.
 */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  let keepsAxes = false;
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead) axes.push(i);
    else if (shape[i - lead] === 1 && g.shape[i] !== 1) {
      axes.push(i);
      keepsAxes = true;
    }
  }
  // only leading axes to drop (a bias): the sum has the target shape already, no reshape to record
  if (!keepsAxes) return sum(g, axes, false);
  return reshape(sum(g, axes, true), shape);
}
