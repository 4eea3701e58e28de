/**
 * Every differentiable primitive by name. An OpDef cannot be written without its derivative rule
 * (vjp is required by the type); this table lets the test suite check that each primitive has a
 * value test and gradient checks of first and second order.
 */

import {
  avgPool2dGradOp,
  avgPool2dOp,
  conv2dFilterGradOp,
  conv2dInputGradOp,
  conv2dOp,
  maxPool2dGradOp,
  maxPool2dOp,
} from "./conv.js";
import { conv2dMaxPool2dOp } from "./conv-pool.js";
import { castOp } from "./convert.js";
import {
  absOp,
  addOp,
  cosOp,
  divOp,
  erfOp,
  expOp,
  logOp,
  maximumOp,
  minimumOp,
  mulOp,
  negOp,
  powOp,
  reluGradOp,
  reluOp,
  sigmoidGradOp,
  sigmoidOp,
  sinOp,
  softplusOp,
  sqrtOp,
  squareOp,
  subOp,
  tanhGradOp,
  tanhOp,
  whereOp,
} from "./elementwise.js";
import { linearOp, softmaxCrossEntropyOp, squaredErrorGradOp, squaredErrorOp } from "./fused.js";
import { matmulOp } from "./linalg.js";
import { batchNormMaxPool2dOp } from "./norm-pool.js";
import { batchNormOp } from "./normalization.js";
import type { OpDef } from "./op.js";
import { maxOp, minOp, sumOp } from "./reduce.js";
import {
  broadcastToOp,
  concatOp,
  padOp,
  reshapeOp,
  scatterAddOp,
  sliceOp,
  takeOp,
  transposeOp,
} from "./shape.js";

type AttrsOf<D> = D extends OpDef<infer A> ? A : never;

const ops = {
  neg: negOp,
  exp: expOp,
  log: logOp,
  sqrt: sqrtOp,
  abs: absOp,
  sin: sinOp,
  cos: cosOp,
  tanh: tanhOp,
  sigmoid: sigmoidOp,
  sigmoidGrad: sigmoidGradOp,
  tanhGrad: tanhGradOp,
  relu: reluOp,
  reluGrad: reluGradOp,
  erf: erfOp,
  softplus: softplusOp,
  square: squareOp,
  add: addOp,
  sub: subOp,
  mul: mulOp,
  div: divOp,
  pow: powOp,
  maximum: maximumOp,
  minimum: minimumOp,
  where: whereOp,
  cast: castOp,
  sum: sumOp,
  max: maxOp,
  min: minOp,
  reshape: reshapeOp,
  transpose: transposeOp,
  broadcastTo: broadcastToOp,
  slice: sliceOp,
  pad: padOp,
  concat: concatOp,
  take: takeOp,
  scatterAdd: scatterAddOp,
  matmul: matmulOp,
  linear: linearOp,
  softmaxCrossEntropy: softmaxCrossEntropyOp,
  squaredError: squaredErrorOp,
  squaredErrorGrad: squaredErrorGradOp,
  conv2d: conv2dOp,
  conv2dInputGrad: conv2dInputGradOp,
  conv2dFilterGrad: conv2dFilterGradOp,
  maxPool2d: maxPool2dOp,
  maxPool2dGrad: maxPool2dGradOp,
  avgPool2d: avgPool2dOp,
  avgPool2dGrad: avgPool2dGradOp,
  conv2dMaxPool2d: conv2dMaxPool2dOp,
  batchNorm: batchNormOp,
  batchNormMaxPool2d: batchNormMaxPool2dOp,
};

export type OpName = keyof typeof ops;

/** The primitives by name; each entry's `name` equals its key (checked by the tests). */
export const OPS: { readonly [K in OpName]: OpDef<AttrsOf<(typeof ops)[K]>> } = ops;
