/**
 * Losses chosen by name for training: how the model's raw outputs meet the targets (class
 * indices, one-hot vectors or values) and how outputs turn into probabilities for predictions.
 */
import type { Task } from "../data/dataset.js";
import { bceWithLogits, crossEntropy, huber, mae, mse, quadratic } from "../loss/index.js";
import { fromValues } from "../tensor/storage.js";
import type { Tensor } from "../tensor/tensor.js";

/** The losses fit knows by name. */
export type LossName = "cross-entropy" | "mse" | "quadratic" | "bce" | "mae" | "huber";

/** A loss given as a function of the model's output and the batch's targets, reducing to a scalar. */
export type LossFunction = (output: Tensor, target: Tensor) => Tensor;

/**
 * How outputs become predictions: softmax over the classes (cross-entropy), an independent sigmoid
 * per class (bce, and mse/quadratic on classes, as in the founding document's sigmoid neurons), or
 * the value itself (regression).
 */
export type OutputLink = "softmax" | "sigmoid" | "identity";

/** A loss as fit uses it: its name, how outputs become predictions, and how a batch's loss is computed. */
export interface LossSpec {
  /** The name, or "custom" for a function. */
  readonly name: LossName | "custom";
  /** How the model's raw outputs become predictions under this loss (softmax, sigmoid or the identity). */
  readonly link: OutputLink;
  /** The loss of a batch: raw outputs [B, k] against the batch's targets as the data set holds them. */
  compute(output: Tensor, target: Tensor): Tensor;
}

/** Every loss fit knows by name, in the order error messages list them. */
export const LOSS_NAMES: readonly LossName[] = ["cross-entropy", "mse", "quadratic", "bce", "mae", "huber"];

const CLASSIFICATION: readonly LossName[] = ["cross-entropy", "mse", "quadratic", "bce"];
const REGRESSION: readonly LossName[] = ["mse", "quadratic", "mae", "huber"];

/** The default loss of a task: cross-entropy for classes, mse for values. */
export function defaultLoss(task: Task): LossName {
  return task === "classification" ? "cross-entropy" : "mse";
}

/**
 * The loss for `task` from a name or a function. On classes, mse and quadratic compare
 * σ(output) with the one-hot target and bce is computed from the logits (bceWithLogits);
 * a custom function gets the raw outputs and the targets as they are (its outputs are read as logits).
 */
export function resolveLoss(loss: LossName | LossFunction, task: Task): LossSpec {
  if (typeof loss === "function") {
    return { name: "custom", link: task === "classification" ? "softmax" : "identity", compute: loss };
  }
  const allowed = task === "classification" ? CLASSIFICATION : REGRESSION;
  if (!allowed.includes(loss)) {
    const known = LOSS_NAMES.includes(loss);
    throw new Error(
      known
        ? `loss '${loss}' does not fit a ${task} task (use ${allowed.join(", ")})`
        : `unknown loss ${JSON.stringify(loss)} (known: ${LOSS_NAMES.join(", ")})`,
    );
  }
  if (task === "regression") {
    const fn = { mse, quadratic, mae, huber }[loss as "mse" | "quadratic" | "mae" | "huber"];
    return {
      name: loss,
      link: "identity",
      compute: (output, target) => fn(output, asColumns(target, output)),
    };
  }
  switch (loss) {
    case "cross-entropy":
      return { name: loss, link: "softmax", compute: (output, labels) => crossEntropy(output, labels) };
    case "bce":
      return {
        name: loss,
        link: "sigmoid",
        compute: (output, labels) => bceWithLogits(output, oneHot(labels, output)),
      };
    default: {
      const fn = loss === "mse" ? mse : quadratic;
      return {
        name: loss,
        link: "sigmoid",
        compute: (output, labels) => fn(output.sigmoid(), oneHot(labels, output)),
      };
    }
  }
}

/** Outputs [B, k] → what predictions report: probabilities (softmax or sigmoid) or the values. */
export function applyLink(output: Tensor, link: OutputLink): Tensor {
  if (link === "softmax") return output.softmax(-1);
  if (link === "sigmoid") return output.sigmoid();
  return output;
}

/** A regression target [B] next to outputs [B, 1] becomes [B, 1] (no broadcast to [B, B]). */
function asColumns(target: Tensor, output: Tensor): Tensor {
  return target.ndim === 1 && output.ndim === 2 ? target.reshape([target.shape[0]!, 1]) : target;
}

/** Class indices [B] → one-hot float rows [B, C] shaped like the outputs (a plain loop, one tensor). */
function oneHot(labels: Tensor, output: Tensor): Tensor {
  const [rows, classes] = output.shape as [number, number];
  if (output.ndim !== 2 || labels.ndim !== 1 || labels.shape[0] !== rows) {
    throw new Error(
      `one-hot targets: outputs [B, C] and labels [B] expected, got [${output.shape}] and [${labels.shape}]`,
    );
  }
  const hot =
    output.dtype === "float64" ? new Float64Array(rows * classes) : new Float32Array(rows * classes);
  const values = labels.data();
  for (let i = 0; i < rows; i++) {
    const label = values[i]!;
    if (label < 0 || label >= classes) {
      throw new Error(`label ${label} of sample ${i} is not a class index in [0, ${classes})`);
    }
    hot[i * classes + label] = 1;
  }
  return fromValues(hot, [rows, classes]);
}
