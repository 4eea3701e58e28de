/** Matrix multiplication: 1-D, 2-D and batched N-D with broadcast batch axes, like torch.matmul. */
import type { MatmulParams } from "../backend/backend.js";
import { backend } from "../backend/registry.js";
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
import { reshape, squeeze, unsqueeze } from "./shape.js";

export interface MatmulAttrs {
  /** Read the last two axes of a (b) transposed. */
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

export const matmulOp: OpDef<MatmulAttrs> = {
  name: "matmul",
  forward([a, b], { transA, transB }) {
    const [m, k] = opShape(a!.shape, transA);
    const [k2, n] = opShape(b!.shape, transB);
    if (k !== k2) {
      throw new Error(
        `matmul: inner dimensions differ: ${formatShape(a!.shape)}${transA ? "ᵀ" : ""} @ ${formatShape(b!.shape)}${transB ? "ᵀ" : ""} (${k} vs ${k2})`,
      );
    }
    const batchShape =
      a!.ndim === 2 && b!.ndim === 2
        ? SCALAR_SHAPE
        : broadcastShapes("matmul", a!.shape.slice(0, -2), b!.shape.slice(0, -2));
    const params: MatmulParams = {
      batch: sizeOf(batchShape),
      m,
      k,
      n,
      transA,
      transB,
      aOffsets: batchOffsets(a!.shape, batchShape),
      bOffsets: batchOffsets(b!.shape, batchShape),
    };
    const out = allocateResult(a!.dtype, params.batch * m * n) as FloatArray;
    backend().matmul(a!.values as FloatArray, b!.values as FloatArray, out, params);
    return new Tensor(out, [...batchShape, m, n]);
  },
  // With X = op(A), Y = op(B), C = XY: dX = g Yᵀ and dY = Xᵀ g, transposed back where A or B
  // was read transposed. Every case is again a matmul with transpose flags: no copies.
  vjp(g, [a, b], _output, { transA, transB }) {
    const da = !a!.requiresGrad
      ? null
      : transA
        ? matmulT(b!, g, transB, true)
        : matmulT(g, b!, false, !transB);
    const db = !b!.requiresGrad
      ? null
      : transB
        ? matmulT(g, a!, true, transA)
        : matmulT(a!, g, !transA, false);
    return [da && sumTo(da, a!.shape), db && sumTo(db, b!.shape)];
  },
};

/** op(a) @ op(b) on the last two axes, where op transposes when its flag is set. */
export function matmulT(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  return apply(matmulOp, [a, b], { transA, transB });
}

/** Throws naming both shapes as the user passed them (before 1-D operands are promoted). */
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
 * Matrix product with torch.matmul's rules: 1-D operands are promoted to a matrix (a row for the
 * left, a column for the right) and the added axis removed afterwards; axes before the last two
 * are batch axes and broadcast.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkMatmulShapes(a.shape, b.shape);
  const [fa, fb] = promotePair(asFloat(a), asFloat(b));
  const left = fa.ndim === 1 ? unsqueeze(fa, 0) : fa;
  const right = fb.ndim === 1 ? unsqueeze(fb, -1) : fb;
  let out = matmulT(left, right, false, false);
  if (fb.ndim === 1) out = squeeze(out, -1);
  if (fa.ndim === 1) out = squeeze(out, fb.ndim === 1 ? -1 : -2);
  return out;
}

/** Vector dot product / matrix-vector / matrix-matrix product (alias of matmul). */
export const dot = matmul;

/** Outer product of two vectors: [m] ⊗ [n] → [m, n]. */
export function outer(a: Tensor, b: Tensor): Tensor {
  return matmul(reshape(a, [-1, 1]), reshape(b, [1, -1]));
}
