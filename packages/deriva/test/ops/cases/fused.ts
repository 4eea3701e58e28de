/** Fused ops (src/ops/fused.ts): values by hand (Python's float arithmetic), derivatives by gradcheck. */
import { linear, softmaxCrossEntropy, squaredError, tensor } from "../../../src/index.js";
import { squaredErrorGrad } from "../../../src/ops/fused.js";
import type { OpCase } from "../../helpers/check-op.js";

const X = [
  [-1, 0.75, -0.25],
  [1.5, 0.5, -0.5],
];
const W = [
  [1, 0, -1],
  [0.5, 2, 0],
];
const B = [0.1, -0.2];
const LABELS = tensor([0, 2, 1], { dtype: "int32" });

export const fusedCases = {
  linear: [
    {
      label: "x [2, 3], W [2, 3], b [2]",
      f: linear,
      inputs: [X, W, B],
      expected: [
        [-0.65, 0.8],
        [2.1, 1.55],
      ],
    },
    {
      label: "no bias",
      f: (x, w) => linear(x, w),
      inputs: [X, W],
      expected: [
        [-0.75, 1],
        [2, 1.75],
      ],
    },
    { label: "1-D x", f: linear, inputs: [X[0]!, W, B], expected: [-0.65, 0.8] },
    {
      label: "batched x [2, 2, 3] (W's gradient sums over the batch)",
      f: linear,
      inputs: [
        [
          X,
          [
            [0.25, -2, 1],
            [0, 1, 2],
          ],
        ],
        W,
        B,
      ],
      expected: [
        [
          [-0.65, 0.8],
          [2.1, 1.55],
        ],
        [
          [-0.65, -4.075],
          [-1.9, 1.8],
        ],
      ],
    },
  ],
  softmaxCrossEntropy: [
    {
      label: "3 rows, int32 labels [0, 2, 1]",
      f: (x) => softmaxCrossEntropy(x, LABELS),
      inputs: [
        [
          [2, 0, 0],
          [0.5, -1, 3],
          [-0.5, 0.25, 0.125],
        ],
      ],
      expected: [0.2395447662218846, 0.09567432941438225, 0.8564827450339756],
    },
  ],
  squaredError: [
    {
      label: "½·Σ (pred − target)² on [2, 3]",
      f: (p, t) => squaredError(p, t, 0.5),
      inputs: [
        X,
        [
          [0.5, 0.75, 1],
          [-1, 0, 0.25],
        ],
      ],
      expected: 5.4375,
    },
    {
      label: "scale 1/N on [3] (the mean)",
      f: (p, t) => squaredError(p, t, 1 / 3),
      inputs: [B.concat(1), [0, 0, 0]],
      expected: 0.35000000000000003,
    },
  ],
  squaredErrorGrad: [
    {
      label: "2·scale·g·(pred − target), scale ¼, g 0.75",
      f: (p, t, g) => squaredErrorGrad(p, t, g, 0.25),
      inputs: [[1, 2], [0.5, -1], 0.75],
      expected: [0.1875, 1.125],
    },
  ],
} satisfies Record<string, OpCase[]>;
