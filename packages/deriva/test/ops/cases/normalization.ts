/**
 * Batch normalization in training mode (src/ops/normalization.ts), alone and followed by max
 * pooling (src/ops/norm-pool.ts): values from NumPy, derivatives by gradcheck.
 */
import type { Tensor } from "../../../src/index.js";
import { batchNormMaxPool2d } from "../../../src/ops/norm-pool.js";
import { batchNorm } from "../../../src/ops/normalization.js";
import type { OpCase } from "../../helpers/check-op.js";

const withEps =
  (eps: number) =>
  (x: Tensor, w: Tensor, b: Tensor): Tensor =>
    batchNorm(x, w, b, eps).output;

/** x [2, 2, 2, 4], weight [2] and bias [2] of the batch-norm-then-pool rows. */
const NORM_POOL_INPUTS = [
  [
    [
      [
        [0.5, -1.25, 2.0, 0.75],
        [1.5, 0.25, -0.75, 3.0],
      ],
      [
        [-0.5, 1.0, 0.75, -2.0],
        [2.5, -1.5, 0.0, 1.25],
      ],
    ],
    [
      [
        [1.0, -0.25, 0.5, -1.5],
        [0.0, 2.25, 1.75, -0.5],
      ],
      [
        [0.25, -1.0, 1.5, 0.5],
        [-0.75, 2.0, -0.25, 1.0],
      ],
    ],
  ],
  [1.5, -0.5],
  [0.25, -1.0],
];

export const normalizationCases = {
  batchNorm: [
    {
      label: "images x [2, 2, 3] (N, C, H·W), weight and bias [2], eps 1e-5",
      f: withEps(1e-5),
      inputs: [
        [
          [
            [0.5, -1.25, 2.0],
            [1.5, 0.25, -0.75],
          ],
          [
            [-0.5, 1.0, 0.75],
            [2.5, -1.5, 0.0],
          ],
        ],
        [1.5, -0.5],
        [0.25, -1.0],
      ],
      expected: [
        [
          [0.3693330488314266, -2.136660976628533, 2.517327927797106],
          [-1.436646779797388, -0.9688109443001865, -0.5945422759024255],
        ],
        [
          [-1.0626635371456932, 1.0853313418199864, 0.7273321953257066],
          [-1.810915448195149, -0.31384077460410453, -0.8752437772007463],
        ],
      ],
    },
    {
      label: "a batch x [4, 3] (BatchNorm1d's layout), eps 0.1",
      f: withEps(0.1),
      inputs: [
        [
          [1.0, -2.0, 0.5],
          [0.0, 1.0, 1.5],
          [2.0, 0.5, -1.0],
          [-1.0, 3.0, 0.25],
        ],
        [0.75, 2.0, -1.0],
        [0.0, 0.5, 1.0],
      ],
      expected: [
        [0.3227486121839514, -2.4024246360428223, 0.8015810524668637],
        [-0.3227486121839514, 0.9146320908632604, -0.2566533343765296],
        [0.9682458365518543, 0.3617893030455799, 2.3889326327319536],
        [-0.9682458365518543, 3.126003242133982, 1.0661396491777122],
      ],
    },
  ],
  batchNormMaxPool2d: [
    {
      label: "x [2, 2, 2, 4], a negative weight (its windows' maxima are the smallest inputs), 2×2 pooling",
      f: (x, w, b) => batchNormMaxPool2d(x, w, b, 1e-5, 2).output,
      inputs: NORM_POOL_INPUTS,
      expected: [
        [[[1.3598069993627744, 3.1655946593428816]], [[-0.26105978598745894, -0.05544163947962144]]],
        [[[2.262700829352828, 1.660771609359459]], [[-0.46667793249529643, -0.7751051522570527]]],
      ],
    },
    {
      label: "the same, then a relu (the second channel's maxima are all negative: its gradient is 0)",
      f: (x, w, b) => batchNormMaxPool2d(x, w, b, 1e-5, 2, 2, true).output,
      inputs: NORM_POOL_INPUTS,
      expected: [
        [[[1.3598069993627744, 3.1655946593428816]], [[0, 0]]],
        [[[2.262700829352828, 1.660771609359459]], [[0, 0]]],
      ],
    },
  ],
} satisfies Record<string, OpCase[]>;
