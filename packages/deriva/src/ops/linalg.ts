/** Matrix multiplication: 1-D, 2-D and batched N-D with broadcast batch axes, like torch.matmul. */
import type { MatmulParams } from "../backend/backend.js";
import { backend } from "../backend/registry.js";
import { describeValue } from "../tensor/arguments.js";
import type { FloatArray } from "../tensor/dtype.js";
import {
  broadcastShapes,
  broadcastStrides,
  formatShape,
  SCALAR_SHAPE,
  type Shape,
  sizeOf,
} from "../tensor/shape.js";
import { allocateResult } from "../tensor/slab.js";
import { Tensor } from "../tensor/tensor.js";
import { asFloat, promotePair } from "./convert.js";
import { apply, type OpDef } from "./op.js";
import { sumTo } from "./reduce.js";
import { reshape } from "./shape.js";

export interface MatmulAttrs {
  /** Read the last two axes of a (b) transposed. Ignored for a 1-D operand. */
  readonly transA: boolean;
  readonly transB: boolean;
}

/** The offsets of a single matrix pair (never written: kernels do not modify their inputs). */
const SINGLE = new Int32Array(1);

/** Offsets of each batch matrix when `shape`'s batch axes broadcast to `batchShape`. */
function batchOffsets(shape: readonly number[], batchShape: readonly number[]): Int32Array {
  if (batchShape.length === 0) return SINGLE;
  const own = shape.slice(0, -2);
  const matrix = shape[shape.length - 2]! * shape[shape.length - 1]!;
  const strides = broadcastStrides(own, batchShape);
  const count = sizeOf(batchShape);
  const offsets = new Int32Array(count);
  const index = new Array<number>(batchShape.length).fill(0);
  for (let b = 0; b < count; b++) {
    let offset = 0;
    for (let d = 0; d < index.length; d++) offset += index[d]! * strides[d]!;
    offsets[b] = offset * matrix;
    for (let d = index.length - 1; d >= 0; d--) {
      if (++index[d]! < batchShape[d]!) break;
      index[d] = 0;
    }
  }
  return offsets;
}

/** [rows, cols] of op(x) for a stored matrix shape. */
function opShape(shape: readonly number[], trans: boolean): [number, number] {
  const r = shape[shape.length - 2]!;
  const c = shape[shape.length - 1]!;
  return trans ? [c, r] : [r, c];
}

/**
 * The matrix a 1-D operand stands for (torch.matmul's rule): a row [1, k] on the left, a column
 * [k, 1] on the right. Either is the same memory as the vector, so no copy and no recorded reshape.
 */
function asMatrix(shape: readonly number[], left: boolean): readonly number[] {
  if (shape.length !== 1) return shape;
  return left ? [1, shape[0]!] : [shape[0]!, 1];
}

export const matmulOp: OpDef<MatmulAttrs> = {
  name: "matmul",
  forward([a, b], attrs) {
    const aShape = asMatrix(a!.shape, true);
    const bShape = asMatrix(b!.shape, false);
    // a vector is stored the same way whichever way it is read
    const transA = attrs.transA && a!.ndim > 1;
    const transB = attrs.transB && b!.ndim > 1;
    const [m, k] = opShape(aShape, transA);
    const [k2, n] = opShape(bShape, transB);
    if (k !== k2) {
      throw new Error(
        `matmul: inner dimensions differ: ${formatShape(a!.shape)}${transA ? "ᵀ" : ""} @ ${formatShape(b!.shape)}${transB ? "ᵀ" : ""} (${k} vs ${k2})`,
      );
    }
    const batchShape =
      aShape.length === 2 && bShape.length === 2
        ? SCALAR_SHAPE
        : broadcastShapes("matmul", aShape.slice(0, -2), bShape.slice(0, -2));
    const params: MatmulParams = {
      batch: sizeOf(batchShape),
      m,
      k,
      n,
      transA,
      transB,
      aOffsets: batchOffsets(aShape, batchShape),
      bOffsets: batchOffsets(bShape, batchShape),
    };
    const out = allocateResult(a!.dtype, params.batch * m * n) as FloatArray;
    backend().matmul(a!.storage as FloatArray, b!.storage as FloatArray, out, params);
    const shape = [...batchShape];
    if (a!.ndim > 1) shape.push(m);
    if (b!.ndim > 1) shape.push(n);
    return new Tensor(out, shape);
  },
  vjp(g, [a, b], _output, attrs) {
    const wantA = a!.requiresGrad;
    const wantB = b!.requiresGrad;
    if (a!.ndim > 1 && b!.ndim > 1) return matrixVjp(g, a!, b!, attrs, wantA, wantB);
    // a matrix times a vector (either side): the vector's gradient is a matrix-vector product too
    if (a!.ndim === 2 && b!.ndim === 1 && !wantA) return [null, matmulT(a!, g, !attrs.transA, false)];
    if (a!.ndim === 1 && b!.ndim === 2 && !wantB) return [matmulT(b!, g, attrs.transB, false), null];
    // otherwise (an outer product, a batch of vectors): the rule of the matrices the vectors stand
    // for, with the flags as the forward read them (a vector is read one way only)
    const [da, db] = matrixVjp(
      reshape(g, liftedShape(g.shape, a!.ndim, b!.ndim)),
      reshape(a!, asMatrix(a!.shape, true)),
      reshape(b!, asMatrix(b!.shape, false)),
      { transA: attrs.transA && a!.ndim > 1, transB: attrs.transB && b!.ndim > 1 },
      wantA,
      wantB,
    );
    return [da && reshape(da, a!.shape), db && reshape(db, b!.shape)];
  },
};

/** The shape of a product's gradient with the axes of its vector operands put back (as size 1). */
function liftedShape(shape: readonly number[], aDims: number, bDims: number): number[] {
  const lifted = [...shape];
  if (aDims === 1) lifted.splice(bDims === 1 ? lifted.length : lifted.length - 1, 0, 1);
  if (bDims === 1) lifted.push(1);
  return lifted;
}

/**
 * With X = op(A), Y = op(B), C = XY: dX = g Yᵀ and dY = Xᵀ g, transposed back where A or B was
 * read transposed. Every case is again a matmul with transpose flags: no copies.
 */
function matrixVjp(
  g: Tensor,
  a: Tensor,
  b: Tensor,
  { transA, transB }: MatmulAttrs,
  wantA: boolean,
  wantB: boolean,
): (Tensor | null)[] {
  const da = !wantA ? null : transA ? matmulT(b, g, transB, true) : matmulT(g, b, false, !transB);
  const db = !wantB ? null : transB ? matmulT(g, a, true, transA) : matmulT(a, g, !transA, false);
  return [da && sumTo(da, a.shape), db && sumTo(db, b.shape)];
}

/**
 * op(a) @ op(b) on the last two axes, where op transposes when its flag is set; a 1-D operand is
 * a row on the left and a column on the right, and its axis is left out of the result.
 */
export function matmulT(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  return apply(matmulOp, [a, b], { transA, transB });
}

/** Throws naming both shapes as the user passed them, with the rule each broke. */
function checkMatmulShapes(a: Shape, b: Shape): void {
  const fail = (why: string): never => {
    throw new Error(`matmul: cannot multiply ${formatShape(a)} by ${formatShape(b)}: ${why}`);
  };
  if (a.length === 0 || b.length === 0) fail("both operands need at least 1 dimension");
  const k = a[a.length - 1]!;
  const k2 = b.length === 1 ? b[0]! : b[b.length - 2]!;
  if (k !== k2) fail(`inner dimensions differ (${k} vs ${k2})`);
  // batch axes: all but the last two
  const batchA = a.length - 2;
  const batchB = b.length - 2;
  for (let i = 1; i <= Math.min(batchA, batchB); i++) {
    const da = a[batchA - i]!;
    const db = b[batchB - i]!;
    if (da !== db && da !== 1 && db !== 1) {
      const batches = `${formatShape(a.slice(0, -2))} and ${formatShape(b.slice(0, -2))}`;
      fail(`batch dimensions ${batches} cannot be broadcast`);
    }
  }
}

/**
 * Matrix product with torch.matmul's rules: a 1-D operand stands for a matrix (a row on the left,
 * a column on the right) whose added axis is left out of the result; axes before the last two are
 * batch axes and broadcast.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkMatmulOperand(a);
  checkMatmulOperand(b);
  checkMatmulShapes(a.shape, b.shape);
  const [fa, fb] = promotePair(asFloat(a), asFloat(b));
  return matmulT(fa, fb, false, false);
}

/** matmul takes tensors of at least one dimension, as torch.matmul (a number multiplies with mul). */
function checkMatmulOperand(x: unknown): void {
  if (!(x instanceof Tensor)) {
    const hint = typeof x === "number" ? " (multiply by a number with mul)" : "";
    throw new Error(`matmul: expects Tensors, got ${describeValue(x)}${hint}`);
  }
}

/** Vector dot product / matrix-vector / matrix-matrix product (alias of matmul). */
export const dot = matmul;

/** Outer product of two vectors: [m] ⊗ [n] → [m, n]. */
export function outer(a: Tensor, b: Tensor): Tensor {
  return matmul(reshape(a, [-1, 1]), reshape(b, [1, -1]));
}
