/**
 * Elementwise ops. Unary primitives map one kernel each; binary ones broadcast (NumPy rules) and
 * promote dtypes. Each derivative rule sits beside its op, with the math in a comment.
 */
import type { BinaryOp, UnaryGradOp, UnaryOp } from "../backend/backend.js";
import { backend } from "../backend/registry.js";
import { checkTensor, checkTensorLike, describeValue } from "../tensor/arguments.js";
import { type DType, type FloatArray, floatOf, promote } from "../tensor/dtype.js";
import { broadcastShapes, broadcastStrides, shapesEqual, sizeOf } from "../tensor/shape.js";
import { allocateResult } from "../tensor/slab.js";
import { Tensor, type TensorLike } from "../tensor/tensor.js";
import { asFloat, asTensor, castTo, promotePair } from "./convert.js";
import { apply, type OpDef } from "./op.js";
import { sumTo } from "./reduce.js";

// ── unary ──────────────────────────────────────────────────────────────────────────────

type UnaryRule = (g: Tensor, x: Tensor, y: Tensor) => Tensor;

function unaryOp(name: UnaryOp, rule: UnaryRule): OpDef<null> {
  return {
    name,
    forward([x]) {
      const out = allocateResult(x!.dtype, x!.size);
      backend().unary(name, x!.storage, out);
      return new Tensor(out, x!.shape);
    },
    vjp: (g, [x], y) => [rule(g, x!, y)],
  };
}

const SQRT_2_OVER_PI = 2 / Math.sqrt(Math.PI);

export const negOp = unaryOp("neg", (g) => neg(g)); // d(−x) = −dx
export const expOp = unaryOp("exp", (g, _x, y) => mul(g, y)); // d eˣ = eˣ dx
export const logOp = unaryOp("log", (g, x) => div(g, x)); // d log x = dx / x
export const sqrtOp = unaryOp("sqrt", (g, _x, y) => div(g, mul(y, 2))); // d √x = dx / (2√x)
export const absOp = unaryOp("abs", (g, x) => mul(g, sign(x))); // d|x| = sign(x) dx
export const sinOp = unaryOp("sin", (g, x) => mul(g, cos(x))); // d sin x = cos x dx
export const cosOp = unaryOp("cos", (g, x) => neg(mul(g, sin(x)))); // d cos x = −sin x dx
export const tanhOp = unaryOp("tanh", (g, _x, y) => tanhGrad(g, y)); // d tanh x = (1 − tanh²x) dx
export const sigmoidOp = unaryOp("sigmoid", (g, _x, y) => sigmoidGrad(g, y)); // dσ = σ(1 − σ) dx
export const reluOp = unaryOp("relu", (g, _x, y) => reluGrad(g, y)); // d relu x = [x > 0] dx = [y > 0] dx
export const erfOp = unaryOp("erf", (g, x) => mul(g, mul(exp(neg(mul(x, x))), SQRT_2_OVER_PI))); // d erf x = 2/√π e^(−x²) dx
export const softplusOp = unaryOp("softplus", (g, x) => mul(g, sigmoid(x))); // d log(1 + eˣ) = σ(x) dx

/** Ops that keep ints as ints (−x, |x|, relu); the others compute in a float dtype. */
function unaryKeepDtype(def: OpDef<null>, x: TensorLike): Tensor {
  checkTensorLike(def.name, x);
  return apply(def, [asTensor(x)], null);
}

function unaryFloat(def: OpDef<null>, x: TensorLike): Tensor {
  checkTensorLike(def.name, x);
  return apply(def, [asFloat(x)], null);
}

/** −x elementwise (ints stay ints). A plain number counts as a scalar. */
export const neg = (x: TensorLike): Tensor => unaryKeepDtype(negOp, x);
/** |x| elementwise (ints stay ints); the gradient at 0 is 0. */
export const abs = (x: TensorLike): Tensor => unaryKeepDtype(absOp, x);
/** max(x, 0) elementwise (ints stay ints); the gradient at 0 is 0, as in PyTorch. */
export const relu = (x: TensorLike): Tensor => unaryKeepDtype(reluOp, x);
/** eˣ elementwise, in a float dtype (int32 input becomes float32). */
export const exp = (x: TensorLike): Tensor => unaryFloat(expOp, x);
/** The natural logarithm elementwise, in a float dtype: −Infinity at 0, NaN below 0 (no error). */
export const log = (x: TensorLike): Tensor => unaryFloat(logOp, x);
/** √x elementwise, in a float dtype: NaN below 0 (no error). */
export const sqrt = (x: TensorLike): Tensor => unaryFloat(sqrtOp, x);
/** sin x elementwise (x in radians), in a float dtype. */
export const sin = (x: TensorLike): Tensor => unaryFloat(sinOp, x);
/** cos x elementwise (x in radians), in a float dtype. */
export const cos = (x: TensorLike): Tensor => unaryFloat(cosOp, x);
/** The hyperbolic tangent elementwise, in a float dtype; outputs lie in [−1, 1]. */
export const tanh = (x: TensorLike): Tensor => unaryFloat(tanhOp, x);
/** The logistic function σ(x) = 1 / (1 + e^(−x)), computed without overflow for any x. */
export const sigmoid = (x: TensorLike): Tensor => unaryFloat(sigmoidOp, x);
/** The Gauss error function. */
export const erf = (x: TensorLike): Tensor => unaryFloat(erfOp, x);
/** log(1 + eˣ), computed without overflow. */
export const softplus = (x: TensorLike): Tensor => unaryFloat(softplusOp, x);

// ── derivatives of unary ops, from their outputs ──────────────────────────────────────

/**
 * g·f′ for f = op, computed from f's output y in one kernel pass (the composite rule, e.g.
 * g·(y·(1 − y)), records three ops and makes three passes). The result is linear in g, so its
 * derivative in g is the same op again; `dy` gives its derivative in y, with differentiable ops.
 */
function unaryGradOp(op: UnaryGradOp, dy: (h: Tensor, g: Tensor, y: Tensor) => Tensor | null): OpDef<null> {
  const def: OpDef<null> = {
    name: `${op}Grad`,
    forward([g, y]) {
      const out = allocateResult(y!.dtype, y!.size) as FloatArray;
      backend().unaryGrad(op, g!.storage as FloatArray, y!.storage as FloatArray, out);
      return new Tensor(out, y!.shape);
    },
    vjp: (h, [g, y]) => [
      g!.requiresGrad ? apply(def, [h, y!], null) : null,
      y!.requiresGrad ? dy(h, g!, y!) : null,
    ],
  };
  return def;
}

// ∂/∂y [g·y(1 − y)] = g·(1 − 2y)
export const sigmoidGradOp = unaryGradOp("sigmoid", (h, g, y) => mul(mul(h, g), sub(1, mul(y, 2))));
// ∂/∂y [g·(1 − y²)] = −2g·y
export const tanhGradOp = unaryGradOp("tanh", (h, g, y) => mul(mul(h, g), mul(y, -2)));
// ∂/∂y [g·[y > 0]] = 0 wherever it exists (y ≠ 0)
export const reluGradOp = unaryGradOp("relu", () => null);

/** g·y·(1 − y): the gradient through a sigmoid whose output is y, given the output's gradient g (same shape). */
export function sigmoidGrad(g: Tensor, y: Tensor): Tensor {
  checkTensor("sigmoidGrad", "g", g);
  checkTensor("sigmoidGrad", "y", y);
  return apply(sigmoidGradOp, promotePair(g, y), null);
}

/** g·(1 − y²): the gradient through a tanh whose output is y, given the output's gradient g (same shape). */
export function tanhGrad(g: Tensor, y: Tensor): Tensor {
  checkTensor("tanhGrad", "g", g);
  checkTensor("tanhGrad", "y", y);
  return apply(tanhGradOp, promotePair(g, y), null);
}

/**
 * g where y > 0, else 0: the gradient through a relu whose output is y, given the output's gradient
 * g (same shape, float). One pass, where g·[x > 0] would take two.
 */
export function reluGrad(g: Tensor, y: Tensor): Tensor {
  checkTensor("reluGrad", "g", g);
  checkTensor("reluGrad", "y", y);
  return apply(reluGradOp, promotePair(g, y), null);
}

/** −1, 0 or 1 by the sign of each element. Not differentiable (its derivative is 0 almost everywhere). */
export function sign(x: TensorLike): Tensor {
  checkTensorLike("sign", x);
  const t = asTensor(x);
  const out = allocateResult(t.dtype, t.size);
  backend().unary("sign", t.storage, out);
  return new Tensor(out, t.shape);
}

// ── binary ─────────────────────────────────────────────────────────────────────────────

/** Strides of a flat run read element by element, or one element read again and again. */
const STEP: readonly number[] = [1];
const STAY: readonly number[] = [0];

/**
 * Runs a binary kernel with NumPy broadcasting. Same-shape operands and a one-element operand that
 * adds no axes are passed as one flat run (1-D, strides 1 or 0): the common small cases then skip
 * the broadcast bookkeeping.
 */
function broadcastForward(op: BinaryOp, a: Tensor, b: Tensor, outDtype = a.dtype): Tensor {
  if (shapesEqual(a.shape, b.shape)) return flatForward(op, a, STEP, b, STEP, a, outDtype);
  if (b.size === 1 && b.ndim <= a.ndim) return flatForward(op, a, STEP, b, STAY, a, outDtype);
  if (a.size === 1 && a.ndim <= b.ndim) return flatForward(op, a, STAY, b, STEP, b, outDtype);
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = allocateResult(outDtype, sizeOf(shape));
  const aStrides = broadcastStrides(a.shape, shape);
  backend().binary(op, a.storage, aStrides, b.storage, broadcastStrides(b.shape, shape), out, shape);
  return new Tensor(out, shape);
}

/** One flat run over the elements of `like` (whose shape the result takes). */
function flatForward(
  op: BinaryOp,
  a: Tensor,
  aStep: readonly number[],
  b: Tensor,
  bStep: readonly number[],
  like: Tensor,
  outDtype: DType,
): Tensor {
  const out = allocateResult(outDtype, like.size);
  backend().binary(op, a.storage, aStep, b.storage, bStep, out, [like.size]);
  return new Tensor(out, like.shape);
}

/**
 * The partial derivatives of a binary op, each given the output gradient g (before it is summed
 * over broadcast axes). Each is only called for an operand that requires grad.
 */
interface BinaryRule {
  readonly da: (g: Tensor, a: Tensor, b: Tensor, y: Tensor) => Tensor;
  readonly db: (g: Tensor, a: Tensor, b: Tensor, y: Tensor) => Tensor;
}

function binaryOp(name: BinaryOp, rule: BinaryRule): OpDef<null> {
  return {
    name,
    forward: ([a, b]) => broadcastForward(name, a!, b!),
    vjp: (g, [a, b], y) => [
      a!.requiresGrad ? sumTo(rule.da(g, a!, b!, y), a!.shape) : null,
      b!.requiresGrad ? sumTo(rule.db(g, a!, b!, y), b!.shape) : null,
    ],
  };
}

// d(a + b) = da + db
export const addOp = binaryOp("add", { da: (g) => g, db: (g) => g });
// d(a − b) = da − db
export const subOp = binaryOp("sub", { da: (g) => g, db: (g) => neg(g) });
// d(ab) = b da + a db
export const mulOp = binaryOp("mul", { da: (g, _a, b) => mul(g, b), db: (g, a) => mul(g, a) });
// d(a / b) = da / b − (a / b²) db = da / b − y db / b
export const divOp = binaryOp("div", {
  da: (g, _a, b) => div(g, b),
  db: (g, _a, b, y) => neg(div(mul(g, y), b)),
});
/**
 * ∂aᵇ/∂a = b·aᵇ⁻¹, taken as 0 where b = 0 (as PyTorch): there 0·a⁻¹ would be NaN at a = 0, while
 * a⁰ = 1 is flat. The exponent is also replaced by 1 where b = 0 (a¹⁻¹ = a⁰), so that no a⁻¹ is
 * formed at all: its derivative, masked to 0 by the where, would still give 0·∞ = NaN one order up.
 * Each order of differentiation then meets the same rule again, so every order is finite.
 */
function powSlope(a: Tensor, b: Tensor): Tensor {
  const zero = eq(b, 0);
  return where(zero, 0, mul(b, pow(a, sub(where(zero, 1, b), 1))));
}

// d(aᵇ) = b aᵇ⁻¹ da + aᵇ log(a) db; the db term is taken as 0 where a ≤ 0 (log undefined)
export const powOp = binaryOp("pow", {
  da: (g, a, b) => mul(g, powSlope(a, b)),
  db: (g, a, _b, y) => {
    const positive = gt(a, 0);
    return mul(g, mul(y, where(positive, log(where(positive, a, 1)), 0)));
  },
});

/** The share of the gradient of max(a, b) that goes to a: 1 where a wins, ½ on ties (as PyTorch). */
const winnerShare = (a: Tensor, b: Tensor): Tensor => add(gt(a, b), mul(eq(a, b), 0.5));
const loserShare = (a: Tensor, b: Tensor): Tensor => add(lt(a, b), mul(eq(a, b), 0.5));

export const maximumOp = binaryOp("maximum", {
  da: (g, a, b) => mul(g, winnerShare(a, b)),
  db: (g, a, b) => mul(g, winnerShare(b, a)),
});
export const minimumOp = binaryOp("minimum", {
  da: (g, a, b) => mul(g, loserShare(a, b)),
  db: (g, a, b) => mul(g, loserShare(b, a)),
});

function binary(def: OpDef<null>, a: TensorLike, b: TensorLike): Tensor {
  checkTensorLike(def.name, a);
  checkTensorLike(def.name, b);
  return apply(def, promotePair(a, b), null);
}

/**
 * a + b elementwise, with NumPy broadcasting and dtype promotion (float64 wins over float32 over int32).
 * Throws an Error naming both shapes when they do not broadcast.
 *
 * @example add(tensor([1, 2]), 10).toArray(); // [11, 12]
 */
export const add = (a: TensorLike, b: TensorLike): Tensor => binary(addOp, a, b);
/** a − b elementwise, broadcasting as add (throws on shapes that do not broadcast). */
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary(subOp, a, b);
/** a · b elementwise (not the matrix product: see matmul), broadcasting as add. */
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary(mulOp, a, b);
/** The larger of a and b elementwise, broadcasting as add; where they tie, each gets half the gradient. */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary(maximumOp, a, b);
/** The smaller of a and b elementwise, broadcasting as add; where they tie, each gets half the gradient. */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary(minimumOp, a, b);

/** True division (ints divide as floats, as in PyTorch). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  checkTensorLike("div", a);
  checkTensorLike("div", b);
  const [ta, tb] = promotePair(a, b);
  return ta.dtype === "int32"
    ? apply(divOp, [castTo(ta, "float32"), castTo(tb, "float32")], null)
    : apply(divOp, [ta, tb], null);
}

/** aᵇ elementwise, in a float dtype. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  checkTensorLike("pow", a);
  checkTensorLike("pow", b);
  // x² is exactly x·x, and square's derivative costs one product where pow's costs four ops
  if (b === 2) return square(asFloat(a));
  const [ta, tb] = promotePair(a, b);
  return ta.dtype === "int32"
    ? apply(powOp, [castTo(ta, "float32"), castTo(tb, "float32")], null)
    : apply(powOp, [ta, tb], null);
}

// d(x²) = 2x dx. A primitive rather than x·x: its derivative is then one product instead of
// two products and a sum (squares are in every quadratic cost)
export const squareOp: OpDef<null> = {
  name: "square",
  forward: ([x]) => broadcastForward("mul", x!, x!),
  vjp: (g, [x]) => [mul(g, mul(x!, 2))],
};

/** x² elementwise (ints stay ints). */
export function square(x: TensorLike): Tensor {
  checkTensorLike("square", x);
  return apply(squareOp, [asTensor(x)], null);
}

/** tan x = sin x / cos x. */
export const tan = (x: TensorLike): Tensor => div(sin(x), cos(x));

// ── comparisons: 0/1 float tensors, no gradient ───────────────────────────────────────

function compare(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  checkTensorLike(op, a);
  checkTensorLike(op, b);
  const [ta, tb] = promotePair(a, b);
  return broadcastForward(op, ta, tb, floatOf(promote(ta.dtype, tb.dtype)));
}

/** a = b elementwise as 0/1 in a float dtype, broadcasting as add; no gradient flows through it. */
export const eq = (a: TensorLike, b: TensorLike): Tensor => compare("eq", a, b);
/** a ≠ b elementwise as 0/1 in a float dtype, broadcasting as add; no gradient flows through it. */
export const ne = (a: TensorLike, b: TensorLike): Tensor => compare("ne", a, b);
/** a > b elementwise as 0/1 in a float dtype, broadcasting as add; no gradient flows through it. */
export const gt = (a: TensorLike, b: TensorLike): Tensor => compare("gt", a, b);
/** a < b elementwise as 0/1 in a float dtype, broadcasting as add; no gradient flows through it. */
export const lt = (a: TensorLike, b: TensorLike): Tensor => compare("lt", a, b);
/** a ≥ b elementwise as 0/1 in a float dtype, broadcasting as add; no gradient flows through it. */
export const ge = (a: TensorLike, b: TensorLike): Tensor => compare("ge", a, b);
/** a ≤ b elementwise as 0/1 in a float dtype, broadcasting as add; no gradient flows through it. */
export const le = (a: TensorLike, b: TensorLike): Tensor => compare("le", a, b);

// ── selection ──────────────────────────────────────────────────────────────────────────

export const whereOp: OpDef<null> = {
  name: "where",
  forward([cond, a, b]) {
    let shape = broadcastShapes("where", cond!.shape, a!.shape);
    shape = broadcastShapes("where", shape, b!.shape);
    const out = allocateResult(a!.dtype, sizeOf(shape));
    backend().where(
      cond!.storage,
      broadcastStrides(cond!.shape, shape),
      a!.storage,
      broadcastStrides(a!.shape, shape),
      b!.storage,
      broadcastStrides(b!.shape, shape),
      out,
      shape,
    );
    return new Tensor(out, shape);
  },
  // the gradient flows to whichever branch was chosen
  vjp: (g, [cond, a, b]) => [
    null,
    a!.requiresGrad ? sumTo(where(cond!, g, 0), a!.shape) : null,
    b!.requiresGrad ? sumTo(where(cond!, 0, g), b!.shape) : null,
  ],
};

/** Elementwise cond ≠ 0 ? a : b, broadcasting all three. */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  checkTensorLike("where", cond);
  checkTensorLike("where", a);
  checkTensorLike("where", b);
  const [ta, tb] = promotePair(a, b);
  return apply(whereOp, [asTensor(cond, ta.dtype), ta, tb], null);
}

/** Limits every element to [min, max] (either bound may be omitted); the gradient is 1 inside. */
export function clamp(x: TensorLike, min?: number | null, max?: number | null): Tensor {
  checkTensorLike("clamp", x);
  checkBound("clamp", "min", min);
  checkBound("clamp", "max", max);
  let t = asTensor(x);
  if (min !== undefined && min !== null) t = where(lt(t, min), min, t);
  if (max !== undefined && max !== null) t = where(gt(t, max), max, t);
  return t;
}

/** clamp's bounds are numbers, or null/undefined for none. */
function checkBound(op: string, what: string, bound: unknown): void {
  if (bound !== undefined && bound !== null && typeof bound !== "number") {
    throw new Error(`${op}: ${what} must be a number (or null for no bound), got ${describeValue(bound)}`);
  }
}
