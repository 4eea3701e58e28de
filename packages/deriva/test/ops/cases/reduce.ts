/** Reductions: sum, max and min are primitives; mean and logSumExp are composites. */
import { logSumExp, max, mean, min, sum } from "../../../src/index.js";
import type { OpCase } from "../../helpers/check-op.js";

const M = [
  [1, 5, 3],
  [4, 2, 6],
];

export const reduceCases = {
  sum: [
    { label: "all axes → 0-d", f: (x) => sum(x), inputs: [M], expected: 21 },
    { label: "axis 1", f: (x) => sum(x, 1), inputs: [M], expected: [9, 12] },
    { label: "axis −2, keepDims", f: (x) => sum(x, -2, true), inputs: [M], expected: [[5, 7, 9]] },
    {
      label: "axes [0, 2] of [2, 2, 2]",
      f: (x) => sum(x, [0, 2]),
      inputs: [
        [
          [
            [1, 2],
            [3, 4],
          ],
          [
            [5, 6],
            [7, 8],
          ],
        ],
      ],
      expected: [14, 22],
    },
  ],
  mean: [
    { label: "all axes", f: (x) => mean(x), inputs: [M], expected: 3.5 },
    { label: "axis 0, keepDims", f: (x) => mean(x, 0, true), inputs: [M], expected: [[2.5, 3.5, 4.5]] },
  ],
  max: [
    { label: "all axes", f: (x) => max(x), inputs: [M], expected: 6 },
    { label: "axis −1", f: (x) => max(x, -1), inputs: [M], expected: [5, 6] },
    { label: "axis 0, keepDims", f: (x) => max(x, 0, true), inputs: [M], expected: [[4, 5, 6]] },
  ],
  min: [
    { label: "all axes", f: (x) => min(x), inputs: [M], expected: 1 },
    { label: "axis 1, keepDims", f: (x) => min(x, 1, true), inputs: [M], expected: [[1], [2]] },
  ],
  logSumExp: [
    {
      label: "axis 1",
      f: (x) => logSumExp(x, 1),
      inputs: [
        [
          [1, 2, 3],
          [0, 0, 0],
        ],
      ],
      expected: [3.40760596444438, 1.0986122886681098],
    },
    {
      label: "all axes",
      f: (x) => logSumExp(x),
      inputs: [
        [
          [1, 2, 3],
          [0, 0, 0],
        ],
      ],
      expected: 3.502335239955375,
    },
    {
      label: "stable at 1e4",
      f: (x) => logSumExp(x, 0, true),
      inputs: [[1e4, 1e4 + 1, 1e4 - 2]],
      expected: [10001.349012216768],
    },
  ],
} satisfies Record<string, readonly OpCase[]>;
