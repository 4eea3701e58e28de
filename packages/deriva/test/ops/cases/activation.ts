/** Activations built from primitives (sigmoid, tanh, relu and softplus are in elementwise.ts). */
import { gelu, leakyRelu, logSoftmax, softmax } from "../../../src/index.js";
import type { OpCase } from "../../helpers/check-op.js";

export const activationCases = {
  leakyRelu: [
    {
      label: "default slope 0.01",
      f: (x) => leakyRelu(x),
      inputs: [[-2, 0.5, 3]],
      expected: [-0.02, 0.5, 3],
    },
    {
      label: "slope 0.1",
      f: (x) => leakyRelu(x, 0.1),
      inputs: [[-2, 0.5, -0.1]],
      expected: [-0.2, 0.5, -0.01],
    },
  ],
  gelu: [
    {
      label: "exact (erf) form: gelu(1) = 0.8413447460685429",
      f: gelu,
      inputs: [[1, 0, -1, 2, -3]],
      expected: [0.8413447460685429, 0, -0.15865525393145707, 1.9544997361036416, -0.00404969409489031],
      tol: 1e-15,
    },
  ],
  softmax: [
    {
      label: "last axis",
      f: (x) => softmax(x),
      inputs: [
        [
          [1, 2, 3],
          [0, 0, 0],
        ],
      ],
      expected: [
        [0.09003057317038046, 0.24472847105479764, 0.6652409557748218],
        [1 / 3, 1 / 3, 1 / 3],
      ],
    },
    {
      label: "axis 0",
      f: (x) => softmax(x, 0),
      inputs: [
        [
          [1, 2],
          [3, 5],
        ],
      ],
      expected: [
        [0.11920292202211755, 0.04742587317756679],
        [0.8807970779778823, 0.9525741268224334],
      ],
    },
  ],
  logSoftmax: [
    {
      label: "axis −1",
      f: (x) => logSoftmax(x, -1),
      inputs: [
        [
          [1, 2, 3],
          [-1, 0, 4],
        ],
      ],
      expected: [
        [-2.4076059644443806, -1.4076059644443804, -0.4076059644443804],
        [-5.024744890138822, -4.024744890138822, -0.02474489013882259],
      ],
    },
  ],
} satisfies Record<string, readonly OpCase[]>;
