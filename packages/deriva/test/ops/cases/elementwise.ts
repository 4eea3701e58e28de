/** Elementwise ops: unary primitives, broadcasting binary primitives, where, and their composites. */
import {
  abs,
  add,
  clamp,
  cos,
  div,
  erf,
  exp,
  log,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  relu,
  sigmoid,
  sin,
  softplus,
  sqrt,
  square,
  sub,
  tan,
  tanh,
  tensor,
  where,
} from "../../../src/index.js";
import { reluGrad, sigmoidGrad, tanhGrad } from "../../../src/ops/elementwise.js";
import type { OpCase } from "../../helpers/check-op.js";

const PI = Math.PI;

export const elementwiseCases = {
  neg: [
    {
      label: "−x",
      f: neg,
      inputs: [
        [
          [1.5, -2],
          [0, 3],
        ],
      ],
      expected: [
        [-1.5, 2],
        [0, -3],
      ],
    },
  ],
  exp: [
    {
      label: "e^x",
      f: exp,
      inputs: [[0, 1, -1, 0.5]],
      expected: [1, Math.E, 0.36787944117144233, 1.6487212707001282],
    },
  ],
  log: [
    {
      label: "natural log",
      f: log,
      inputs: [[1, Math.E, 0.5, 10]],
      expected: [0, 1, -Math.LN2, Math.LN10],
    },
  ],
  sqrt: [{ label: "√x", f: sqrt, inputs: [[4, 2, 0.25, 9]], expected: [2, Math.SQRT2, 0.5, 3] }],
  abs: [{ label: "|x| away from 0", f: abs, inputs: [[-1.5, 2, -0.25, 3]], expected: [1.5, 2, 0.25, 3] }],
  sin: [
    { label: "sin", f: sin, inputs: [[0, PI / 6, PI / 2, 1]], expected: [0, 0.5, 1, 0.8414709848078965] },
  ],
  cos: [{ label: "cos", f: cos, inputs: [[0, PI / 3, PI, 1]], expected: [1, 0.5, -1, 0.5403023058681398] }],
  tan: [{ label: "sin/cos", f: tan, inputs: [[0, PI / 4, 1]], expected: [0, 1, 1.5574077246549023] }],
  tanh: [
    {
      label: "tanh",
      f: tanh,
      inputs: [[0, 0.5, -1, 2]],
      expected: [0, 0.46211715726000974, -0.7615941559557649, 0.9640275800758169],
    },
  ],
  sigmoid: [
    {
      label: "1 / (1 + e^−x)",
      f: sigmoid,
      inputs: [[0, 2, -2, 5]],
      expected: [0.5, 0.8807970779778823, 0.11920292202211755, 0.9933071490757153],
    },
  ],
  sigmoidGrad: [
    {
      label: "g·y(1 − y)",
      f: sigmoidGrad,
      inputs: [
        [0.5, -2, 3],
        [0.25, 0.5, 0.9],
      ],
      expected: [0.09375, -0.5, 0.27],
    },
  ],
  tanhGrad: [
    {
      label: "g·(1 − y²)",
      f: tanhGrad,
      inputs: [
        [0.5, -2, 3],
        [0.25, -0.5, 0.9],
      ],
      expected: [0.46875, -1.5, 0.57],
    },
  ],
  reluGrad: [
    {
      label: "g where y > 0",
      f: reluGrad,
      inputs: [
        [0.5, -2, 3, 4],
        [0.25, -0.5, 0.9, -1],
      ],
      expected: [0.5, 0, 3, 0],
    },
  ],
  relu: [
    { label: "max(x, 0) away from 0", f: relu, inputs: [[-1, 0.5, 2, -0.25]], expected: [0, 0.5, 2, 0] },
  ],
  erf: [
    {
      label: "error function (SciPy's values)",
      f: erf,
      inputs: [[0, 0.5, 1, -2, 3]],
      expected: [0, 0.5204998778130465, 0.8427007929497148, -0.9953222650189527, 0.9999779095030014],
      tol: 1e-15,
    },
  ],
  softplus: [
    {
      label: "log(1 + e^x)",
      f: softplus,
      inputs: [[0, 1, -1, 3]],
      expected: [Math.LN2, 1.3132616875182228, 0.31326168751822286, 3.048587351573742],
    },
  ],
  square: [{ label: "x·x", f: square, inputs: [[1.5, -2, 3]], expected: [2.25, 4, 9] }],
  add: [
    {
      label: "broadcast [2, 3] + [3]",
      f: add,
      inputs: [
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [10, 20, 30],
      ],
      expected: [
        [11, 22, 33],
        [14, 25, 36],
      ],
    },
    {
      label: "broadcast both ways: [2, 1] + [1, 3]",
      f: add,
      inputs: [[[1], [2]], [[10, 20, 30]]],
      expected: [
        [11, 21, 31],
        [12, 22, 32],
      ],
    },
    { label: "tensor + number", f: (x) => add(x, 0.5), inputs: [[1, -1]], expected: [1.5, -0.5] },
  ],
  sub: [
    {
      label: "broadcast [2, 3] − [2, 1]",
      f: sub,
      inputs: [
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [[1], [10]],
      ],
      expected: [
        [0, 1, 2],
        [-6, -5, -4],
      ],
    },
    { label: "number − tensor", f: (x) => sub(1, x), inputs: [[0.25, 3]], expected: [0.75, -2] },
  ],
  mul: [
    {
      label: "broadcast [3] · [2, 3]",
      f: mul,
      inputs: [
        [1, -2, 0.5],
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
      ],
      expected: [
        [1, -4, 1.5],
        [4, -10, 3],
      ],
    },
    {
      label: "scalar tensor · matrix",
      f: mul,
      inputs: [
        3,
        [
          [1, 2],
          [3, 4],
        ],
      ],
      expected: [
        [3, 6],
        [9, 12],
      ],
    },
  ],
  div: [
    {
      label: "broadcast [2, 2] / [2]",
      f: div,
      inputs: [
        [
          [1, 2],
          [3, 4],
        ],
        [2, -0.5],
      ],
      expected: [
        [0.5, -4],
        [1.5, -8],
      ],
    },
    { label: "number / tensor", f: (x) => div(1, x), inputs: [[2, -4, 0.5]], expected: [0.5, -0.25, 2] },
  ],
  pow: [
    {
      label: "broadcast [2, 2] ^ [2]",
      f: pow,
      inputs: [
        [
          [1.5, 2],
          [0.5, 3],
        ],
        [2, 0.5],
      ],
      expected: [
        [2.25, Math.SQRT2],
        [0.25, 1.7320508075688772],
      ],
    },
    { label: "x³ (number exponent)", f: (x) => pow(x, 3), inputs: [[2, -1, 0.5]], expected: [8, -1, 0.125] },
    {
      label: "x² (computed as x·x)",
      f: (x) => pow(x, 2),
      inputs: [[3, -1.5, 0.5]],
      expected: [9, 2.25, 0.25],
    },
    {
      label: "x⁰ and x¹ through 0 (exponent reaching 0: derivatives 0, not NaN)",
      f: (x) => add(pow(x, 0), pow(x, 1)),
      inputs: [[0, 2, -1.5]],
      expected: [1, 3, -0.5],
    },
    {
      label: "2^x (number base)",
      f: (x) => pow(2, x),
      inputs: [[3, -1, 0.5]],
      expected: [8, 0.5, Math.SQRT2],
    },
  ],
  maximum: [
    {
      label: "elementwise max, no ties",
      f: maximum,
      inputs: [
        [1, 5, -2, 0.5],
        [2, 3, -1, 0.25],
      ],
      expected: [2, 5, -1, 0.5],
    },
    {
      label: "broadcast against a scalar",
      f: (x) => maximum(x, 0.5),
      inputs: [
        [
          [0, 1],
          [2, -3],
        ],
      ],
      expected: [
        [0.5, 1],
        [2, 0.5],
      ],
    },
  ],
  minimum: [
    {
      label: "elementwise min, no ties",
      f: minimum,
      inputs: [
        [1, 5, -2, 0.5],
        [2, 3, -1, 0.25],
      ],
      expected: [1, 3, -2, 0.25],
    },
  ],
  where: [
    {
      label: "cond ? a : b with b broadcast",
      f: (a, b) => where(tensor([1, 0, 1, 0]), a!, b!),
      inputs: [[1, 2, 3, 4], [-1]],
      expected: [1, -1, 3, -1],
    },
    {
      label: "cond [2, 1] broadcast over a [2, 3]",
      f: (a, b) => where(tensor([[0], [1]]), a!, b!),
      inputs: [
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [
          [7, 8, 9],
          [10, 11, 12],
        ],
      ],
      expected: [
        [7, 8, 9],
        [4, 5, 6],
      ],
    },
  ],
  clamp: [
    {
      label: "to [−1, 1]",
      f: (x) => clamp(x, -1, 1),
      inputs: [[-2, -0.5, 0.3, 1.5, 3]],
      expected: [-1, -0.5, 0.3, 1, 1],
    },
    { label: "min only", f: (x) => clamp(x, 0), inputs: [[-2, 0.5]], expected: [0, 0.5] },
    { label: "max only", f: (x) => clamp(x, null, 0), inputs: [[-2, 0.5]], expected: [-2, 0] },
  ],
} satisfies Record<string, readonly OpCase[]>;
