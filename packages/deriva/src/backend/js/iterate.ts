/**
 * Iteration plans for strided loops. A plan merges axes that are contiguous for every operand and
 * drops size-1 axes, so that most broadcasts become one outer loop around one flat inner loop.
 */

export interface StridedPlan {
  /** Sizes of the remaining axes, outermost first; never empty (a scalar is one axis of size 1). */
  readonly shape: number[];
  /** One stride list per operand, aligned with `shape`. */
  readonly strides: number[][];
}

export function planStrided(
  shape: readonly number[],
  operandStrides: readonly (readonly number[])[],
): StridedPlan {
  const dims: number[] = [];
  const strides: number[][] = operandStrides.map(() => []);
  for (let axis = 0; axis < shape.length; axis++) {
    const size = shape[axis]!;
    if (size === 1) continue;
    const last = dims.length - 1;
    const mergeable = last >= 0 && operandStrides.every((s, op) => strides[op]![last] === s[axis]! * size);
    if (mergeable) {
      dims[last]! *= size;
      operandStrides.forEach((s, op) => {
        strides[op]![last] = s[axis]!;
      });
    } else {
      dims.push(size);
      operandStrides.forEach((s, op) => {
        strides[op]!.push(s[axis]!);
      });
    }
  }
  if (dims.length === 0) {
    dims.push(1);
    for (const s of strides) s.push(0);
  }
  return { shape: dims, strides };
}

/**
 * Calls `row(offsets, rowIndex)` once per row of the plan (every axis but the last), with each
 * operand's element offset of that row's first element. The inner loop over the last axis is the
 * caller's: `plan.shape[last]` elements at stride `plan.strides[op][last]`.
 */
export function forEachRow(
  plan: StridedPlan,
  row: (offsets: Int32Array | number[], rowIndex: number) => void,
): void {
  const { shape, strides } = plan;
  const outer = shape.length - 1;
  const operands = strides.length;
  const offsets = new Array<number>(operands).fill(0);
  if (outer === 0) {
    row(offsets, 0);
    return;
  }
  const index = new Array<number>(outer).fill(0);
  let rows = 1;
  for (let a = 0; a < outer; a++) rows *= shape[a]!;
  for (let r = 0; r < rows; r++) {
    row(offsets, r);
    // advance the multi-index like an odometer, updating each operand's offset incrementally
    for (let a = outer - 1; a >= 0; a--) {
      index[a]!++;
      for (let op = 0; op < operands; op++) offsets[op]! += strides[op]![a]!;
      if (index[a]! < shape[a]!) break;
      for (let op = 0; op < operands; op++) offsets[op]! -= strides[op]![a]! * shape[a]!;
      index[a] = 0;
    }
  }
}
