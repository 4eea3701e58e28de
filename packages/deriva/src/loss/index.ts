/** Loss functions: each takes a prediction and a target and reduces to a 0-d tensor by default. */
export { bce, bceWithLogits } from "./binary.js";
export { crossEntropy } from "./cross-entropy.js";
export type { LossOptions, Reduction } from "./reduction.js";
export { huber, mae, mse, quadratic } from "./regression.js";
