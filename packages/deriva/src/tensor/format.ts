/**
 * Printing like NumPy/PyTorch: values in a common format and aligned, with `...` eliding the middle
 * of any axis longer than 6 once the tensor has more than 1000 elements.
 */
import type { DType, TypedArray } from "./dtype.js";
import { stridesOf } from "./shape.js";

const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const PRECISION = 4;

type Formatter = (v: number) => string;

function chooseFormatter(values: ArrayLike<number>, indices: readonly number[], dtype: DType): Formatter {
  if (dtype === "int32") return (v) => String(v);
  let maxAbs = 0;
  let minAbs = Infinity;
  let allIntegers = true;
  for (const i of indices) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a !== 0 && a < minAbs) minAbs = a;
    if (!Number.isInteger(v)) allIntegers = false;
  }
  const special = (v: number): string | null =>
    Number.isNaN(v) ? "nan" : Number.isFinite(v) ? null : v > 0 ? "inf" : "-inf";
  const scientific = maxAbs >= 1e8 || (!allIntegers && (minAbs < 1e-4 || maxAbs / minAbs > 1000));
  // two-digit exponents, as NumPy and PyTorch print them: 1.0000e-05
  if (scientific) return (v) => special(v) ?? v.toExponential(PRECISION).replace(/e([+-])(\d)$/, "e$10$2");
  if (allIntegers) return (v) => special(v) ?? `${v}.`;
  return (v) => special(v) ?? v.toFixed(PRECISION);
}

/** Indices shown along an axis of length n: all of them, or the edges around a gap marked -1. */
function shownIndices(n: number, elide: boolean): number[] {
  if (!elide || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
  const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i);
  return [...head, -1, ...tail];
}

export function formatTensor(
  values: TypedArray,
  shape: readonly number[],
  dtype: DType,
  requiresGrad = false,
): string {
  const suffix = `shape=[${shape.join(", ")}], dtype=${dtype}${requiresGrad ? ", requiresGrad=true" : ""}`;
  if (values.length === 0) return `tensor([], ${suffix})`;
  const elide = values.length > THRESHOLD;
  const strides = stridesOf(shape);
  // collect the flat indices that will be shown, to pick one format for all of them
  const shown: number[] = [];
  const collect = (axis: number, base: number): void => {
    if (axis === shape.length) {
      shown.push(base);
      return;
    }
    for (const i of shownIndices(shape[axis]!, elide))
      if (i >= 0) collect(axis + 1, base + i * strides[axis]!);
  };
  collect(0, 0);
  const format = chooseFormatter(values, shown, dtype);
  const width = Math.max(...shown.map((i) => format(values[i]!).length));
  const cell = (i: number): string => format(values[i]!).padStart(width);
  const indent = "tensor(".length;

  const render = (axis: number, base: number): string => {
    if (axis === shape.length) return cell(base);
    const parts = shownIndices(shape[axis]!, elide).map((i) =>
      i < 0 ? "..." : render(axis + 1, base + i * strides[axis]!),
    );
    if (axis === shape.length - 1) return `[${parts.join(", ")}]`;
    const blankLines = "\n".repeat(shape.length - axis - 1);
    return `[${parts.join(`,${blankLines}${" ".repeat(indent + axis + 1)}`)}]`;
  };
  return `tensor(${render(0, 0)}, ${suffix})`;
}
