/**
 * Checks of the arguments that JavaScript callers (with no type checker to stop them) pass to the
 * public functions: each failure is a one-line Error naming the op, what it expects and what it got.
 * They are written to cost nothing on the good path (a typeof or instanceof test, an Array.isArray);
 * the message is built only when a check fails.
 */
import { formatShape } from "./shape.js";
import { Tensor } from "./tensor.js";

/** A value as an error message shows it: `the number 2`, `an array [1, 2, 3]`, `the string "float64"`. */
export function describeValue(value: unknown): string {
  if (value instanceof Tensor) return `a ${value.dtype} Tensor of shape ${formatShape(value.shape)}`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}…` : value)}`;
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) {
    const text = JSON.stringify(value) ?? "";
    return `an array ${text.length > 40 ? `${text.slice(0, 37)}…` : text}`;
  }
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value === "object"
    ? `an object (${value.constructor?.name ?? "no prototype"})`
    : typeof value;
}

/** `x` must be a Tensor. (Each check is a small guard; the message is built in a separate, cold function.) */
export function checkTensor(op: string, what: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) notATensor(op, what, x);
}

function notATensor(op: string, what: string, x: unknown): never {
  throw new Error(`${op}: ${what} must be a Tensor, got ${describeValue(x)}`);
}

/**
 * `x` must be a Tensor or a number (a scalar). Arrays are refused as in PyTorch (`x + [1, 2]` is a
 * TypeError there): wrap them in tensor() to say which dtype they should have.
 */
export function checkTensorLike(op: string, x: unknown): asserts x is Tensor | number {
  if (typeof x !== "number" && !(x instanceof Tensor)) notTensorLike(op, x);
}

function notTensorLike(op: string, x: unknown): never {
  const hint = Array.isArray(x) ? " (wrap an array in tensor(...))" : "";
  throw new Error(`${op}: expects a Tensor or a number, got ${describeValue(x)}${hint}`);
}

/** `list` must be an array of integers (a shape, a permutation, slice bounds); `what` names it with an example. */
export function checkIntegerList(op: string, what: string, list: unknown): asserts list is readonly number[] {
  if (!isIntegerList(list)) notAnIntegerList(op, what, list);
}

function notAnIntegerList(op: string, what: string, list: unknown): never {
  throw new Error(`${op}: ${what} must be an array of integers, got ${describeValue(list)}`);
}

function isIntegerList(list: unknown): boolean {
  if (!Array.isArray(list)) return false;
  for (let i = 0; i < list.length; i++) if (!Number.isInteger(list[i])) return false;
  return true;
}

/** An optional options object: undefined, or a plain object (a dtype string in its place is a common slip). */
export function checkOptions(op: string, opts: unknown, example: string): void {
  if (opts !== undefined && (typeof opts !== "object" || opts === null || Array.isArray(opts))) {
    throw new Error(`${op}: options must be an object such as ${example}, got ${describeValue(opts)}`);
  }
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Values bound for an int32 tensor must be finite and within int32's range once truncated toward
 * zero (as PyTorch refuses `torch.tensor([3e10], dtype=torch.int32)`); a typed array would wrap
 * 3e10 around and turn NaN into 0 without a word.
 */
export function checkInt32Range(op: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    checkInt32Value(op, values[i]!, values.length === 1 ? "" : ` at flat index ${i}`);
  }
}

/** One value bound for int32 (see checkInt32Range); `location` ends the message's subject (" at [0, 2]"). */
export function checkInt32Value(op: string, v: number, location: string): void {
  if (!(Math.trunc(v) >= INT32_MIN && Math.trunc(v) <= INT32_MAX)) {
    throw new Error(
      `${op}: ${v}${location} cannot be held by int32 (integers from ${INT32_MIN} to ${INT32_MAX})`,
    );
  }
}
