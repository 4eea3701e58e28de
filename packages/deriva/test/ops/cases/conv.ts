/**
 * Convolution and pooling on NCHW (expected values from a direct NumPy loop over the windows, the
 * small ones checkable by hand), and the internal transposed primitives behind their derivatives.
 */
import { avgPool2d, conv2d, maxPool2d } from "../../../src/index.js";
import type { ConvAttrs, PoolAttrs } from "../../../src/ops/conv.js";
import { conv2dMaxPool2d } from "../../../src/ops/conv-pool.js";
import { apply } from "../../../src/ops/op.js";
import { OPS } from "../../../src/ops/registry.js";
import type { OpCase } from "../../helpers/check-op.js";
import { scattered } from "../../helpers/data.js";

/** 1..9 as a [1, 1, 3, 3] image. */
const X33 = [
  [
    [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ],
  ],
];
const W22 = [
  [
    [
      [1, 2],
      [3, 4],
    ],
  ],
];
/** Distinct values (so each pooling window has one maximum), a [1, 1, 4, 4] image. */
const P = [
  [
    [
      [0.75, 0.25, 1.0, 3.75],
      [2.25, 0.5, 1.5, 1.25],
      [2.0, 3.25, 1.75, 0.0],
      [2.75, 2.5, 3.0, 3.5],
    ],
  ],
];

/** A 2×2 kernel sliding with stride 1 over a 3×3 image, no padding. */
const convAttrs: ConvAttrs = {
  stride: [1, 1],
  padding: [0, 0],
  inputShape: [1, 1, 3, 3],
  weightShape: [1, 1, 2, 2],
};
/** Average pooling with a 2×2 window and stride 1 over a 3×3 image. */
const poolAttrs: PoolAttrs = {
  params: {
    n: 1,
    c: 1,
    h: 3,
    w: 3,
    kh: 2,
    kw: 2,
    strideH: 1,
    strideW: 1,
    padH: 0,
    padW: 0,
    outH: 2,
    outW: 2,
  },
  inputShape: [1, 1, 3, 3],
};

/** x [1, 2, 4, 4], weight [2, 2, 3, 3] and bias [2] of the conv-then-pool rows. */
const CONV_POOL_INPUTS = [
  [
    [
      [
        [0.5, -1.0, 2.0, 0.25],
        [1.5, 0.75, -0.5, 1.0],
        [-2.0, 0.0, 1.25, 0.5],
        [0.25, 1.0, -0.75, 2.5],
      ],
      [
        [1.0, 0.5, -0.25, -1.5],
        [0.0, 2.0, 1.0, 0.5],
        [0.75, -1.25, 0.5, 1.5],
        [-0.5, 0.25, 2.0, -1.0],
      ],
    ],
  ],
  [
    [
      [
        [1, 0, -1],
        [0.5, 1, 0],
        [0, -0.5, 1],
      ],
      [
        [0.25, 0, 0.5],
        [-1, 1, 0],
        [0, 0.5, -0.25],
      ],
    ],
    [
      [
        [-0.5, 1, 0],
        [0, 0.25, -1],
        [1, 0, 0.5],
      ],
      [
        [0, -1, 0.5],
        [1, 0, 0.25],
        [-0.5, 0.5, 0],
      ],
    ],
  ],
  [0.1, -0.2],
];

export const convCases = {
  conv2d: [
    {
      label: "3×3 image, 2×2 kernel, bias (by hand: 1+4+12+20 = 37, …)",
      f: (x, w, b) => conv2d(x, w, b),
      inputs: [X33, W22, [0.5]],
      expected: [
        [
          [
            [37.5, 47.5],
            [67.5, 77.5],
          ],
        ],
      ],
    },
    {
      label: "batch 2, 2→2 channels, stride 2, padding 1, bias",
      f: (x, w, b) => conv2d(x, w, b, { stride: 2, padding: 1 }),
      inputs: [scattered([2, 2, 3, 3]), scattered([2, 2, 2, 2]), [0.25, -0.5]],
      expected: [
        [
          [
            [-1.0, -0.5625],
            [3.0, -3.0],
          ],
          [
            [1.0, -0.75],
            [-0.1875, -1.3125],
          ],
        ],
        [
          [
            [0.5, 3.5625],
            [0.0, 3.5625],
          ],
          [
            [-1.0, 0.5],
            [-0.5625, 2.25],
          ],
        ],
      ],
    },
    {
      label: "stride [1, 2], padding [1, 0], no bias",
      f: (x, w) => conv2d(x, w, null, { stride: [1, 2], padding: [1, 0] }),
      inputs: [
        scattered([1, 1, 3, 4]),
        [
          [
            [
              [0.5, -1],
              [2, 0.25],
            ],
          ],
        ],
      ],
      expected: [
        [
          [
            [-1.8125, -0.125],
            [-0.375, 0.9375],
            [-0.5, 0.125],
            [-1.375, 1.0],
          ],
        ],
      ],
    },
  ],
  conv2dInputGrad: [
    {
      // each input pixel is covered by 1, 2 or 4 windows, weighted by the kernel entry that sees it
      label: "transpose of conv2d in x: g = ones, w = [[1, 2], [3, 4]]",
      f: (g, w) => apply(OPS.conv2dInputGrad, [g, w], convAttrs),
      inputs: [
        [
          [
            [
              [1, 1],
              [1, 1],
            ],
          ],
        ],
        W22,
      ],
      expected: [
        [
          [
            [1, 3, 2],
            [4, 10, 6],
            [3, 7, 4],
          ],
        ],
      ],
    },
  ],
  conv2dFilterGrad: [
    {
      // with g = ones, dw[i][j] sums the input over the window shifted by (i, j)
      label: "transpose of conv2d in w: x = 1..9, g = ones",
      f: (x, g) => apply(OPS.conv2dFilterGrad, [x, g], convAttrs),
      inputs: [
        X33,
        [
          [
            [
              [1, 1],
              [1, 1],
            ],
          ],
        ],
      ],
      expected: [
        [
          [
            [12, 16],
            [24, 28],
          ],
        ],
      ],
    },
  ],
  maxPool2d: [
    {
      label: "kernel 2 (stride = kernel)",
      f: (x) => maxPool2d(x, 2),
      inputs: [P],
      expected: [
        [
          [
            [2.25, 3.75],
            [3.25, 3.5],
          ],
        ],
      ],
    },
    {
      label: "kernel 3, stride 1 (overlapping windows share a max)",
      f: (x) => maxPool2d(x, 3, 1),
      inputs: [P],
      expected: [
        [
          [
            [3.25, 3.75],
            [3.25, 3.5],
          ],
        ],
      ],
    },
    {
      label: "kernel [2, 3], stride 1",
      f: (x) => maxPool2d(x, [2, 3], 1),
      inputs: [P],
      expected: [
        [
          [
            [2.25, 3.75],
            [3.25, 3.25],
            [3.25, 3.5],
          ],
        ],
      ],
    },
    {
      label: "kernel 3, stride 2, padding 1",
      f: (x) => maxPool2d(x, 3, 2, 1),
      inputs: [P],
      expected: [
        [
          [
            [2.25, 3.75],
            [3.25, 3.5],
          ],
        ],
      ],
    },
  ],
  avgPool2d: [
    {
      label: "kernel 2 (stride = kernel)",
      f: (x) => avgPool2d(x, 2),
      inputs: [P],
      expected: [
        [
          [
            [0.9375, 1.875],
            [2.625, 2.0625],
          ],
        ],
      ],
    },
    {
      label: "kernel 3, stride 1",
      f: (x) => avgPool2d(x, 3, 1),
      inputs: [P],
      expected: [
        [
          [
            [1.4722222222222223, 1.4722222222222223],
            [2.1666666666666665, 1.9166666666666667],
          ],
        ],
      ],
    },
    {
      label: "kernel 3, stride 2, padding 1 (padding left out of the mean)",
      f: (x) => avgPool2d(x, 3, 2, 1),
      inputs: [P],
      expected: [
        [
          [
            [0.9375, 1.375],
            [2.2083333333333335, 1.9166666666666667],
          ],
        ],
      ],
    },
  ],
  maxPool2dGrad: [
    {
      label: "transpose of 2×2 stride-1 max pooling: overlapping windows sharing a max add up",
      // x = [[1, 5, 2], [3, 4, 9], [0, 6, 7]]: the windows' maxima are at 1, 5, 7 and 5 again
      f: (g) =>
        apply(OPS.maxPool2dGrad, [g], {
          params: poolAttrs.params,
          indices: new Int32Array([1, 5, 7, 5]),
          shape: [1, 1, 2, 2],
          sourceShape: [1, 1, 3, 3],
        }),
      inputs: [
        [
          [
            [
              [1, 2],
              [3, 4],
            ],
          ],
        ],
      ],
      expected: [
        [
          [
            [0, 1, 0],
            [0, 0, 6],
            [0, 3, 0],
          ],
        ],
      ],
    },
  ],
  avgPool2dGrad: [
    {
      label: "transpose of 2×2 stride-1 average pooling: g = ones",
      f: (g) => apply(OPS.avgPool2dGrad, [g], poolAttrs),
      inputs: [
        [
          [
            [
              [1, 1],
              [1, 1],
            ],
          ],
        ],
      ],
      expected: [
        [
          [
            [0.25, 0.5, 0.25],
            [0.5, 1, 0.5],
            [0.25, 0.5, 0.25],
          ],
        ],
      ],
    },
  ],
  conv2dMaxPool2d: [
    {
      label: "x [1, 2, 4, 4], weight [2, 2, 3, 3], bias, padding 1, then 2×2 max pooling",
      f: (x, w, b) => conv2dMaxPool2d(x, w, b, { padding: 1 }, 2),
      inputs: CONV_POOL_INPUTS,
      // NumPy; each window's largest value leads the next by at least 0.31 (no ties for gradcheck)
      expected: [
        [
          [
            [4.5375, 2.7875],
            [-0.3375, 7.725],
          ],
          [
            [1.425, 3.925],
            [3.3, 0.8],
          ],
        ],
      ],
    },
    {
      label: "the same, then a relu (one pooled value is negative: its gradient is 0)",
      f: (x, w, b) => conv2dMaxPool2d(x, w, b, { padding: 1 }, 2, 2, true),
      inputs: CONV_POOL_INPUTS,
      expected: [
        [
          [
            [4.5375, 2.7875],
            [0, 7.725],
          ],
          [
            [1.425, 3.925],
            [3.3, 0.8],
          ],
        ],
      ],
    },
  ],
} satisfies Record<string, readonly OpCase[]>;
