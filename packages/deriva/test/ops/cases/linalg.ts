/** Matrix products with torch.matmul's rules (expected values from NumPy's @). */
import { dot, matmul, outer } from "../../../src/index.js";
import type { OpCase } from "../../helpers/check-op.js";
import { scattered } from "../../helpers/data.js";

const A = [
  [-1, 0.75, -0.25],
  [1.5, 0.5, -0.5],
];
const B = [
  [-0.5, 1.25],
  [0.25, 2],
  [1, 0],
];
const V = [1, 2, -1];

export const linalgCases = {
  matmul: [
    {
      label: "[2, 3] @ [3, 2]",
      f: matmul,
      inputs: [A, B],
      expected: [
        [0.4375, 0.25],
        [-1.125, 2.875],
      ],
    },
    { label: "[3] @ [3] → 0-d", f: matmul, inputs: [V, V], expected: 6 },
    { label: "[2, 3] @ [3]", f: matmul, inputs: [A, V], expected: [0.75, 3] },
    { label: "[3] @ [3, 2]", f: matmul, inputs: [V, B], expected: [-1, 5.25] },
    {
      label: "batched [2, 2, 3] @ [3, 2] (right operand broadcast)",
      f: matmul,
      inputs: [scattered([2, 2, 3]), scattered([3, 2])],
      expected: [
        [
          [0.6875, 0.5],
          [-1.875, 2.125],
        ],
        [
          [-1.6875, 1.6875],
          [-1.5, 1.25],
        ],
      ],
    },
    {
      label: "batch axes broadcast: [2, 1, 2, 3] @ [3, 3, 2] → [2, 3, 2, 2]",
      f: matmul,
      inputs: [scattered([2, 1, 2, 3]), scattered([3, 3, 2])],
      expected: [
        [
          [
            [0.6875, 0.5],
            [-1.875, 2.125],
          ],
          [
            [-1.8125, 0.75],
            [1.5, 1.375],
          ],
          [
            [0.5, 0.3125],
            [2.125, -0.75],
          ],
        ],
        [
          [
            [-1.6875, 1.6875],
            [-1.5, 1.25],
          ],
          [
            [1.375, 1.3125],
            [1.25, 1.25],
          ],
          [
            [1.6875, -1.125],
            [1.25, -1.5],
          ],
        ],
      ],
    },
    {
      label: "batched [2, 2, 3] @ [3] (vector on the right)",
      f: matmul,
      inputs: [scattered([2, 2, 3]), V],
      expected: [
        [0.75, 3],
        [2.5, 2],
      ],
    },
    {
      label: "[3] @ batched [3, 3, 2] (vector on the left)",
      f: matmul,
      inputs: [V, scattered([3, 3, 2])],
      expected: [
        [-2, 4.25],
        [-0.25, 3.25],
        [4.25, -0.5],
      ],
    },
  ],
  dot: [{ label: "alias of matmul", f: dot, inputs: [V, [0.5, 1, 2]], expected: 0.5 }],
  outer: [
    {
      label: "[2] ⊗ [3]",
      f: outer,
      inputs: [[1, -2], V],
      expected: [
        [1, 2, -1],
        [-2, -4, 2],
      ],
    },
  ],
} satisfies Record<string, readonly OpCase[]>;
