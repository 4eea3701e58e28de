/** The pure-TypeScript backend: the reference every other backend is tested against. */
import type { Backend } from "../backend.js";
import { conv2d, conv2dBackwardFilter, conv2dBackwardInput } from "./conv.js";
import { conv2dMaxPool2d, conv2dMaxPool2dBackward } from "./conv-pool.js";
import { binary, cast, unary, unaryGrad, where } from "./elementwise.js";
import { matmul } from "./matmul.js";
import { scatterAdd, strided, stridedWrite, take, takeRows } from "./movement.js";
import { batchNormMaxPool2d, batchNormMaxPool2dBackward } from "./norm-pool.js";
import { batchNorm, batchNormBackward } from "./normalization.js";
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward } from "./pool.js";
import { argReduce, reduce } from "./reduce.js";
import { cpuStorage } from "./storage.js";

export const jsBackend: Backend = {
  name: "js",
  ...cpuStorage,
  unary,
  unaryGrad,
  binary,
  where,
  reduce,
  argReduce,
  cast,
  strided,
  stridedWrite,
  take,
  takeRows,
  scatterAdd,
  matmul,
  conv2d,
  conv2dBackwardInput,
  conv2dBackwardFilter,
  maxPool2d,
  maxPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  batchNorm,
  batchNormBackward,
  conv2dMaxPool2d,
  conv2dMaxPool2dBackward,
  batchNormMaxPool2d,
  batchNormMaxPool2dBackward,
};
