/** What every loss shares: the reduction option and the checks on its arguments. */
import { formatShape, type Tensor } from "../core.js";

/**
 * How a loss reduces its per-element values: "mean", "sum", or "none" (keep them, one per element or sample).
 */
export type Reduction = "mean" | "sum" | "none";

/** Options every loss accepts. */
export interface LossOptions {
  /** "mean" (default): the average over elements (over samples for crossEntropy); "sum"; "none": per element. */
  reduction?: Reduction;
}

/** Reduces per-element losses as asked; a mean or sum is a 0-d tensor. */
export function reduce(name: string, losses: Tensor, opts: LossOptions | undefined): Tensor {
  const reduction = opts?.reduction ?? "mean";
  switch (reduction) {
    case "mean":
      return losses.mean();
    case "sum":
      return losses.sum();
    case "none":
      return losses;
    default:
      throw new Error(
        `loss.${name}: unknown reduction ${JSON.stringify(reduction)} (use "mean", "sum" or "none")`,
      );
  }
}

/** Pred and target must have the same shape: broadcasting [N, 1] against [N] would silently give [N, N]. */
export function checkSameShape(name: string, pred: Tensor, target: Tensor): void {
  if (pred.shape.length !== target.shape.length || pred.shape.some((d, i) => d !== target.shape[i])) {
    throw new Error(
      `loss.${name}: pred ${formatShape(pred.shape)} and target ${formatShape(target.shape)} must have the same shape`,
    );
  }
}
