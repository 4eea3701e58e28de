/**
 * The op table: every primitive in src/ops/registry.ts and every differentiable op of the public
 * contract (API.md, "Operations") has at least one row. A missing name is a compile error here and
 * a failing test in ops.test.ts.
 */
import type { OpName } from "../../../src/ops/registry.js";
import type { OpCase } from "../../helpers/check-op.js";
import { activationCases } from "./activation.js";
import { convCases } from "./conv.js";
import { elementwiseCases } from "./elementwise.js";
import { fusedCases } from "./fused.js";
import { linalgCases } from "./linalg.js";
import { normalizationCases } from "./normalization.js";
import { reduceCases } from "./reduce.js";
import { shapeCases } from "./shape.js";

/** The differentiable ops of API.md (plus the extras the package exports: tan, erf, dot, outer, pad, broadcastTo, cast). */
export const PUBLIC_OPS = [
  ...[
    "add",
    "sub",
    "mul",
    "div",
    "neg",
    "pow",
    "exp",
    "log",
    "sqrt",
    "abs",
    "square",
    "sin",
    "cos",
    "tan",
    "erf",
  ],
  ...["clamp", "maximum", "minimum", "where"],
  ...["sigmoid", "tanh", "relu", "leakyRelu", "gelu", "softplus", "softmax", "logSoftmax"],
  ...["sum", "mean", "max", "min", "logSumExp"],
  ...["matmul", "dot", "outer", "transpose", "T"],
  ...[
    "reshape",
    "flatten",
    "squeeze",
    "unsqueeze",
    "broadcastTo",
    "concat",
    "stack",
    "slice",
    "pad",
    "gather",
  ],
  ...["indexSelect", "cast", "conv2d", "maxPool2d", "avgPool2d"],
] as const;

export type PublicOp = (typeof PUBLIC_OPS)[number];

export const OP_CASES: { readonly [K in OpName | PublicOp]: readonly OpCase[] } = {
  ...elementwiseCases,
  ...activationCases,
  ...reduceCases,
  ...linalgCases,
  ...shapeCases,
  ...convCases,
  ...fusedCases,
  ...normalizationCases,
};
