/** Shape and movement ops, and the indexing primitives take / scatterAdd behind gather and indexSelect. */
import {
  broadcastTo,
  cast,
  concat,
  flatten,
  gather,
  indexSelect,
  pad,
  reshape,
  slice,
  squeeze,
  stack,
  tensor,
  transpose,
  unsqueeze,
} from "../../../src/index.js";
import { apply } from "../../../src/ops/op.js";
import { OPS } from "../../../src/ops/registry.js";
import type { OpCase } from "../../helpers/check-op.js";

const M23 = [
  [1, 2, 3],
  [4, 5, 6],
];
const T223 = [
  [
    [1, 2, 3],
    [4, 5, 6],
  ],
  [
    [7, 8, 9],
    [10, 11, 12],
  ],
];

/** take / scatterAdd attributes: flat indices 2, 0, 2, 5 of a [2, 3] source gathered into [2, 2]. */
const indexAttrs = { indices: Int32Array.from([2, 0, 2, 5]), shape: [2, 2], sourceShape: [2, 3] };

export const shapeCases = {
  reshape: [
    {
      label: "[2, 3] → [3, −1]",
      f: (x) => reshape(x, [3, -1]),
      inputs: [M23],
      expected: [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    },
    { label: "[2, 3] → [6]", f: (x) => reshape(x, [6]), inputs: [M23], expected: [1, 2, 3, 4, 5, 6] },
    { label: "[1] → [] (0-d)", f: (x) => reshape(x, []), inputs: [[7]], expected: 7 },
  ],
  flatten: [
    {
      label: "all axes",
      f: (x) => flatten(x),
      inputs: [T223],
      expected: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    },
    {
      label: "from axis 1",
      f: (x) => flatten(x, 1),
      inputs: [T223],
      expected: [
        [1, 2, 3, 4, 5, 6],
        [7, 8, 9, 10, 11, 12],
      ],
    },
  ],
  squeeze: [
    { label: "all size-1 axes", f: (x) => squeeze(x), inputs: [[[[1], [2], [3]]]], expected: [1, 2, 3] },
    { label: "axis −1", f: (x) => squeeze(x, -1), inputs: [[[[1], [2]]]], expected: [[1, 2]] },
  ],
  unsqueeze: [
    { label: "axis 0", f: (x) => unsqueeze(x, 0), inputs: [[1, 2]], expected: [[1, 2]] },
    { label: "axis −1", f: (x) => unsqueeze(x, -1), inputs: [[1, 2]], expected: [[1], [2]] },
  ],
  transpose: [
    {
      label: "matrix (no perm)",
      f: (x) => transpose(x),
      inputs: [M23],
      expected: [
        [1, 4],
        [2, 5],
        [3, 6],
      ],
    },
    {
      label: "perm [1, 2, 0] of [2, 2, 3]",
      f: (x) => transpose(x, [1, 2, 0]),
      inputs: [T223],
      expected: [
        [
          [1, 7],
          [2, 8],
          [3, 9],
        ],
        [
          [4, 10],
          [5, 11],
          [6, 12],
        ],
      ],
    },
    {
      label: "negative axes in perm",
      f: (x) => transpose(x, [-1, 0]),
      inputs: [M23],
      expected: [
        [1, 4],
        [2, 5],
        [3, 6],
      ],
    },
  ],
  T: [
    {
      label: "t.T",
      f: (x) => x.T,
      inputs: [M23],
      expected: [
        [1, 4],
        [2, 5],
        [3, 6],
      ],
    },
  ],
  broadcastTo: [
    {
      label: "[3] → [2, 3]",
      f: (x) => broadcastTo(x, [2, 3]),
      inputs: [[1, 2, 3]],
      expected: [M23[0]!, M23[0]!],
    },
    {
      label: "[2, 1] → [2, 2]",
      f: (x) => broadcastTo(x, [2, 2]),
      inputs: [[[1], [2]]],
      expected: [
        [1, 1],
        [2, 2],
      ],
    },
  ],
  slice: [
    {
      label: "rows 1..3, columns −3..3 of [3, 4]",
      f: (x) => slice(x, [1, -3], [3, 3]),
      inputs: [
        [
          [1, 2, 3, 4],
          [5, 6, 7, 8],
          [9, 10, 11, 12],
        ],
      ],
      expected: [
        [6, 7],
        [10, 11],
      ],
    },
    {
      label: "leading axis only, clipped end",
      f: (x) => slice(x, [1], [99]),
      inputs: [M23],
      expected: [[4, 5, 6]],
    },
  ],
  pad: [
    {
      label: "one row before, two columns after",
      f: (x) => pad(x, [1, 0], [0, 2]),
      inputs: [
        [
          [1, 2],
          [3, 4],
        ],
      ],
      expected: [
        [0, 0, 0, 0],
        [1, 2, 0, 0],
        [3, 4, 0, 0],
      ],
    },
  ],
  concat: [
    {
      label: "axis 1: [2, 2] ++ [2, 1]",
      f: (a, b) => concat([a!, b!], 1),
      inputs: [
        [
          [1, 2],
          [3, 4],
        ],
        [[5], [6]],
      ],
      expected: [
        [1, 2, 5],
        [3, 4, 6],
      ],
    },
    {
      label: "axis 0 (default), three parts",
      f: (a, b, c) => concat([a!, b!, c!]),
      inputs: [[1], [2, 3], [4]],
      expected: [1, 2, 3, 4],
    },
    {
      label: "axis −1",
      f: (a, b) => concat([a!, b!], -1),
      inputs: [
        [[1], [2]],
        [[3], [4]],
      ],
      expected: [
        [1, 3],
        [2, 4],
      ],
    },
  ],
  stack: [
    {
      label: "axis 0",
      f: (a, b) => stack([a!, b!]),
      inputs: [
        [1, 2],
        [3, 4],
      ],
      expected: [
        [1, 2],
        [3, 4],
      ],
    },
    {
      label: "axis −1",
      f: (a, b) => stack([a!, b!], -1),
      inputs: [
        [1, 2],
        [3, 4],
      ],
      expected: [
        [1, 3],
        [2, 4],
      ],
    },
  ],
  gather: [
    {
      label: "axis 1 with a repeated index (gradients add up)",
      f: (x) =>
        gather(
          x,
          1,
          tensor(
            [
              [2, 0],
              [1, 1],
            ],
            { dtype: "int32" },
          ),
        ),
      inputs: [M23],
      expected: [
        [3, 1],
        [5, 5],
      ],
    },
    {
      label: "axis 0, negative index",
      f: (x) => gather(x, 0, tensor([[1, -2, 1]], { dtype: "int32" })),
      inputs: [M23],
      expected: [[4, 2, 6]],
    },
  ],
  indexSelect: [
    {
      label: "rows [2, 0, 2] (repeated)",
      f: (x) => indexSelect(x, 0, [2, 0, 2]),
      inputs: [
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
      ],
      expected: [
        [5, 6],
        [1, 2],
        [5, 6],
      ],
    },
    {
      label: "columns by an int32 tensor, negative index",
      f: (x) => indexSelect(x, -1, tensor([-1, 0], { dtype: "int32" })),
      inputs: [M23],
      expected: [
        [3, 1],
        [6, 4],
      ],
    },
  ],
  take: [
    {
      label: "flat indices [2, 0, 2, 5] of [2, 3]",
      f: (x) => apply(OPS.take, [x], indexAttrs),
      inputs: [M23],
      expected: [
        [3, 1],
        [3, 6],
      ],
    },
  ],
  scatterAdd: [
    {
      label: "into [2, 3], index 2 twice",
      f: (v) => apply(OPS.scatterAdd, [v], indexAttrs),
      inputs: [
        [
          [1, 2],
          [3, 4],
        ],
      ],
      expected: [
        [2, 0, 4],
        [0, 0, 4],
      ],
    },
  ],
  cast: [
    {
      // float32 rounds 0.1: the finite differences need a large step and loose tolerances
      label: "float64 → float32 → float64",
      f: (x) => cast(cast(x, "float32"), "float64"),
      inputs: [[0.5, -2, 0.1]],
      expected: [0.5, -2, 0.10000000149011612],
      gradcheck: { eps: 1e-2, atol: 1e-4, rtol: 1e-4 },
    },
  ],
} satisfies Record<string, readonly OpCase[]>;
