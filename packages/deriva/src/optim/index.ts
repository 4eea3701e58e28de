/** Optimizers (torch.optim's update rules), learning-rate schedules and the learning-rate range test. */

export type { FloatArray } from "../tensor/dtype.js";
export { Adagrad, type AdagradOptions } from "./adagrad.js";
export { Adam, type AdamOptions, AdamW } from "./adam.js";
export {
  type AdagradScalingOptions,
  type AdamScalingOptions,
  type RmsScalingOptions,
  scaleByAdagrad,
  scaleByAdam,
  scaleByRms,
} from "./adaptive-scaling.js";
export { type FindLrOptions, type FindLrResult, findLr } from "./find-lr.js";
export { chain, type ParamSlot, stateBuffer, type Transform } from "./gradient-transform.js";
export { type MomentumTraceOptions, trace } from "./momentum-trace.js";
export { type BaseOptions, type HyperValue, Optimizer, type OptimizerStateDict } from "./optimizer.js";
export { RMSprop, type RMSpropOptions } from "./rmsprop.js";
export * as schedules from "./schedules.js";
export { SGD, type SGDOptions } from "./sgd.js";
export { addDecayedWeights, type WeightDecayOptions } from "./weight-decay.js";
