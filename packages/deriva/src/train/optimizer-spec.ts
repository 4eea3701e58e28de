/** Optimizers chosen by name for training, with the learning rates that suit each by default. */

import { Adagrad, Adam, AdamW, type HyperValue, type Optimizer, RMSprop, SGD } from "../optim/index.js";
import type { Tensor } from "../tensor/tensor.js";

/** The optimizers fit knows by name; "momentum" is SGD with momentum 0.9. */
export type OptimizerName = "sgd" | "momentum" | "adam" | "adamw" | "rmsprop" | "adagrad";

/** An optimizer by name with constructor options (e.g. `{ name: "sgd", options: { nesterov: true, momentum: 0.9 } }`). */
export interface NamedOptimizer {
  /** Which optimizer. */
  name: OptimizerName;
  /** Its constructor options (momentum, weightDecay, betas, …); lr given to fit takes precedence. */
  options?: Record<string, HyperValue>;
}

/** Every optimizer fit knows by name, in the order error messages list them. */
export const OPTIMIZER_NAMES: readonly OptimizerName[] = [
  "sgd",
  "momentum",
  "adam",
  "adamw",
  "rmsprop",
  "adagrad",
];

/** The learning rate used when none is given: the usual starting point for each method. */
export const DEFAULT_LR: Readonly<Record<OptimizerName, number>> = {
  sgd: 0.1,
  momentum: 0.01,
  adam: 1e-3,
  adamw: 1e-3,
  rmsprop: 1e-3,
  adagrad: 1e-2,
};

/** A new optimizer over `params` from a name (or a name with options) and a learning rate. */
export function createOptimizer(
  choice: OptimizerName | NamedOptimizer,
  params: Tensor[],
  lr?: number,
): Optimizer {
  const { name, options = {} } = typeof choice === "string" ? { name: choice } : choice;
  if (!OPTIMIZER_NAMES.includes(name)) {
    throw new Error(`unknown optimizer ${JSON.stringify(name)} (known: ${OPTIMIZER_NAMES.join(", ")})`);
  }
  const opts = { ...options, lr: lr ?? (options.lr as number | undefined) ?? DEFAULT_LR[name] };
  switch (name) {
    case "sgd":
      return new SGD(params, opts);
    case "momentum":
      return new SGD(params, { momentum: 0.9, ...opts });
    case "adam":
      return new Adam(params, opts);
    case "adamw":
      return new AdamW(params, opts);
    case "rmsprop":
      return new RMSprop(params, opts);
    case "adagrad":
      return new Adagrad(params, opts);
  }
}

/** A new optimizer of the type an optimizer state dict records ("SGD", "Adam", ...), to load that state into. */
export function optimizerForState(type: string, params: Tensor[]): Optimizer {
  const byType: Record<string, (p: Tensor[]) => Optimizer> = {
    SGD: (p) => new SGD(p),
    Adam: (p) => new Adam(p),
    AdamW: (p) => new AdamW(p),
    RMSprop: (p) => new RMSprop(p),
    Adagrad: (p) => new Adagrad(p),
  };
  const make = Object.hasOwn(byType, type) ? byType[type] : undefined;
  if (make === undefined)
    throw new Error(`unknown optimizer type ${JSON.stringify(type)} in the saved state`);
  return make(params);
}
