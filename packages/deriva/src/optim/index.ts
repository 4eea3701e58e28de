/** Optimizers (torch.optim's update rules), learning-rate schedules and the learning-rate range test. */

export { Adagrad, type AdagradOptions } from "./adagrad.js";
export { Adam, type AdamOptions, AdamW } from "./adam.js";
export { type FindLrOptions, type FindLrResult, findLr } from "./find-lr.js";
export {
  type BaseOptions,
  type HyperValue,
  Optimizer,
  type OptimizerStateDict,
  type ParamState,
  stateBuffer,
} from "./optimizer.js";
export { RMSprop, type RMSpropOptions } from "./rmsprop.js";
export * as schedules from "./schedules.js";
export { SGD, type SGDOptions } from "./sgd.js";
