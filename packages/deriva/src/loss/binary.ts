/** Binary cross-entropy, on probabilities or on logits. */
import { softplus, type Tensor } from "../core.js";
import { checkSameShape, type LossOptions, reduce } from "./reduction.js";

/**
 * log p clamped at −100 as PyTorch's BCELoss does. p is first raised to the smallest positive
 * float32 (so log never sees 0, whose derivative 1/0 would turn into NaN), then the log is clamped:
 * where the clamp holds, the gradient is 0.
 */
function clampedLog(p: Tensor): Tensor {
  return p.clamp(1.401298464324817e-45).log().clamp(-100);
}

/**
 * Probabilities must lie in [0, 1] (PyTorch's BCELoss refuses the rest too; NaN included): p = 1.5
 * would give log(1 − p) = NaN, clamped to −100, and a loss that looks fine. The check is one pass
 * of comparisons over a copy of p's elements (data(), the CPU backends' synchronous read), about
 * the cost of one of the loss's own elementwise ops.
 */
function checkProbabilities(prob: Tensor): void {
  const p = prob.data();
  for (let i = 0; i < p.length; i++) {
    const v = p[i]!;
    if (!(v >= 0 && v <= 1)) {
      throw new Error(
        `loss.bce: prob must hold probabilities in [0, 1], got ${v} at flat index ${i} (for logits use loss.bceWithLogits)`,
      );
    }
  }
}

/**
 * Binary cross-entropy on probabilities: −[y log p + (1 − y) log(1 − p)], each log clamped at −100
 * (PyTorch's BCELoss): finite, never NaN, even at p = 0 or 1. p outside [0, 1] (or NaN) is refused.
 *
 * @example
 * loss.bce(tensor([0.8]), tensor([1])).item(); // −log 0.8 ≈ 0.2231
 */
export function bce(prob: Tensor, target: Tensor, opts?: LossOptions): Tensor {
  checkSameShape("bce", prob, target);
  checkProbabilities(prob);
  const logP = clampedLog(prob);
  const logNotP = clampedLog(prob.neg().add(1));
  const losses = target.mul(logP).add(target.neg().add(1).mul(logNotP)).neg();
  return reduce("bce", losses, opts);
}

/**
 * Binary cross-entropy on logits x (σ applied inside): softplus(x) − x·y, which is
 * max(x, 0) − x·y + log(1 + e^(−|x|)) computed stably: finite loss and gradient σ(x) − y at any x
 * (±1e4 included). Prefer it to bce(sigmoid(x), y).
 */
export function bceWithLogits(logits: Tensor, target: Tensor, opts?: LossOptions): Tensor {
  checkSameShape("bceWithLogits", logits, target);
  return reduce("bceWithLogits", softplus(logits).sub(logits.mul(target)), opts);
}
