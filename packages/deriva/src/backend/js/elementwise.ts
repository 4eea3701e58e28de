/** Elementwise kernels: one tight loop per op, chosen once per call (never a closure per element). */
import type { FloatArray, TypedArray } from "../arrays.js";
import type { BinaryOp, UnaryGradOp, UnaryOp } from "../backend.js";
import { erf } from "./erf.js";
import { forEachRow, planStrided } from "./iterate.js";

type UnaryLoop = (x: TypedArray, out: TypedArray, n: number) => void;

// biome-ignore format: one line per op reads as a table
const unaryLoops: Record<UnaryOp, UnaryLoop> = {
  neg: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = -x[i]!; },
  exp: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.exp(x[i]!); },
  log: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.log(x[i]!); },
  sqrt: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sqrt(x[i]!); },
  abs: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.abs(x[i]!); },
  sin: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sin(x[i]!); },
  cos: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.cos(x[i]!); },
  tanh: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.tanh(x[i]!); },
  relu: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.max(x[i]!, 0); },
  erf: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = erf(x[i]!); },
  sign: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sign(x[i]!); },
  // 1/(1+e^-x) for x ≥ 0 and e^x/(1+e^x) below: neither form overflows
  sigmoid: (x, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      if (v >= 0) o[i] = 1 / (1 + Math.exp(-v));
      else { const e = Math.exp(v); o[i] = e / (1 + e); }
    }
  },
  // log(1+e^x) = max(x,0) + log1p(e^-|x|): exact for large |x| in both directions
  softplus: (x, o, n) => {
    for (let i = 0; i < n; i++) { const v = x[i]!; o[i] = Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))); }
  },
};

export function unary(op: UnaryOp, x: TypedArray, out: TypedArray): void {
  unaryLoops[op](x, out, out.length);
}

type UnaryGradLoop = (g: FloatArray, y: FloatArray, out: FloatArray, n: number) => void;

// biome-ignore format: one line per op reads as a table
const unaryGradLoops: Record<UnaryGradOp, UnaryGradLoop> = {
  sigmoid: (g, y, o, n) => { for (let i = 0; i < n; i++) { const v = y[i]!; o[i] = g[i]! * (v * (1 - v)); } },
  tanh: (g, y, o, n) => { for (let i = 0; i < n; i++) { const v = y[i]!; o[i] = g[i]! * (1 - v * v); } },
  relu: (g, y, o, n) => { for (let i = 0; i < n; i++) o[i] = y[i]! > 0 ? g[i]! : 0; },
};

export function unaryGrad(op: UnaryGradOp, g: FloatArray, y: FloatArray, out: FloatArray): void {
  unaryGradLoops[op](g, y, out, out.length);
}

/** o[oi+i] = a[ai + i·as] ∘ b[bi + i·bs] for i < n. */
// biome-ignore format: the signature mirrors the loop tables below
type BinaryLoop = (
  a: TypedArray, ai: number, as: number,
  b: TypedArray, bi: number, bs: number,
  o: TypedArray, oi: number, n: number,
) => void;

// biome-ignore format: one line per op reads as a table
const binaryLoops: Record<BinaryOp, BinaryLoop> = {
  add: (a, ai, as, b, bi, bs, o, oi, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = a[ai]! + b[bi]!; },
  sub: (a, ai, as, b, bi, bs, o, oi, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = a[ai]! - b[bi]!; },
  mul: (a, ai, as, b, bi, bs, o, oi, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = a[ai]! * b[bi]!; },
  div: (a, ai, as, b, bi, bs, o, oi, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = a[ai]! / b[bi]!; },
  pow: (a, ai, as, b, bi, bs, o, oi, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = a[ai]! ** b[bi]!; },
  maximum: (a, ai, as, b, bi, bs, o, oi, n) => {
    for (let i = 0; i < n; i++, ai += as, bi += bs) { const x = a[ai]!, y = b[bi]!; o[oi + i] = x > y || Number.isNaN(x) ? x : y; }
  },
  minimum: (a, ai, as, b, bi, bs, o, oi, n) => {
    for (let i = 0; i < n; i++, ai += as, bi += bs) { const x = a[ai]!, y = b[bi]!; o[oi + i] = x < y || Number.isNaN(x) ? x : y; }
  },
  eq: (a, ai, as, b, bi, bs, o, oi, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = a[ai]! === b[bi]! ? 1 : 0; },
  ne: (a, ai, as, b, bi, bs, o, oi, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = a[ai]! !== b[bi]! ? 1 : 0; },
  gt: (a, ai, as, b, bi, bs, o, oi, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = a[ai]! > b[bi]! ? 1 : 0; },
  lt: (a, ai, as, b, bi, bs, o, oi, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = a[ai]! < b[bi]! ? 1 : 0; },
  ge: (a, ai, as, b, bi, bs, o, oi, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = a[ai]! >= b[bi]! ? 1 : 0; },
  le: (a, ai, as, b, bi, bs, o, oi, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = a[ai]! <= b[bi]! ? 1 : 0; },
};

export function binary(
  op: BinaryOp,
  a: TypedArray,
  aStrides: readonly number[],
  b: TypedArray,
  bStrides: readonly number[],
  out: TypedArray,
  outShape: readonly number[],
): void {
  const loop = binaryLoops[op];
  // integer division and int pow go through doubles; int32 outputs truncate like C
  if (outShape.length <= 1) {
    // one flat run (the op layer flattens same-shape and scalar operands to this): no plan needed
    loop(a, 0, aStrides[0] ?? 0, b, 0, bStrides[0] ?? 0, out, 0, out.length);
    return;
  }
  const plan = planStrided(outShape, [aStrides, bStrides]);
  const last = plan.shape.length - 1;
  const n = plan.shape[last]!;
  const as = plan.strides[0]![last]!;
  const bs = plan.strides[1]![last]!;
  forEachRow(plan, (offsets, row) => loop(a, offsets[0]!, as, b, offsets[1]!, bs, out, row * n, n));
}

export function where(
  cond: TypedArray,
  condStrides: readonly number[],
  a: TypedArray,
  aStrides: readonly number[],
  b: TypedArray,
  bStrides: readonly number[],
  out: TypedArray,
  outShape: readonly number[],
): void {
  const plan = planStrided(outShape, [condStrides, aStrides, bStrides]);
  const last = plan.shape.length - 1;
  const n = plan.shape[last]!;
  const [cs, as, bs] = plan.strides.map((s) => s[last]!) as [number, number, number];
  forEachRow(plan, (offsets, row) => {
    let ci = offsets[0]!;
    let ai = offsets[1]!;
    let bi = offsets[2]!;
    const base = row * n;
    for (let i = 0; i < n; i++, ci += cs, ai += as, bi += bs)
      out[base + i] = cond[ci] !== 0 ? a[ai]! : b[bi]!;
  });
}

/** Typed-array assignment converts like C: float → int32 truncates toward zero. */
export function cast(x: TypedArray, out: TypedArray): void {
  out.set(x);
}
