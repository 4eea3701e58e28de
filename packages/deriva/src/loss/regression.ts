/** Regression losses on a prediction and a target of the same shape. */
import { squaredError, type Tensor } from "../core.js";
import { checkSameShape, type LossOptions, reduce } from "./reduction.js";

/**
 * Mean squared error: C = 1/N Σ (ŷ − y)², the founding document's quadratic cost.
 *
 * @example
 * loss.mse(tensor([1, 2]), tensor([0, 0])).item(); // (1 + 4) / 2 = 2.5
 */
export function mse(pred: Tensor, target: Tensor, opts?: LossOptions): Tensor {
  checkSameShape("mse", pred, target);
  if ((opts?.reduction ?? "mean") === "mean") return squaredError(pred, target, 1 / pred.size);
  return reduce("mse", pred.sub(target).square(), opts);
}

/**
 * The quadratic cost with the conventional ½: C = 1/(2N) Σ (ŷ − y)², so ∂C/∂ŷ = (ŷ − y)/N.
 * With reduction "sum" it is ½ Σ (ŷ − y)²; with "none", ½ (ŷ − y)² per element.
 */
export function quadratic(pred: Tensor, target: Tensor, opts?: LossOptions): Tensor {
  checkSameShape("quadratic", pred, target);
  if ((opts?.reduction ?? "mean") === "mean") return squaredError(pred, target, 0.5 / pred.size);
  return reduce("quadratic", pred.sub(target).square().mul(0.5), opts);
}

/** Mean absolute error: 1/N Σ |ŷ − y|. */
export function mae(pred: Tensor, target: Tensor, opts?: LossOptions): Tensor {
  checkSameShape("mae", pred, target);
  return reduce("mae", pred.sub(target).abs(), opts);
}

/**
 * Huber loss (torch.nn.HuberLoss): ½ d² where |d| < delta, delta·(|d| − ½ delta) elsewhere, with
 * d = ŷ − y. Computed as ½ q² + delta·(|d| − q) with q = min(|d|, delta), one smooth expression.
 */
export function huber(pred: Tensor, target: Tensor, delta = 1, opts?: LossOptions): Tensor {
  checkSameShape("huber", pred, target);
  if (!(delta > 0)) throw new Error(`loss.huber: delta must be positive, got ${delta}`);
  const a = pred.sub(target).abs();
  const q = a.minimum(delta);
  return reduce("huber", q.square().mul(0.5).add(a.sub(q).mul(delta)), opts);
}
