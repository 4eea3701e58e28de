/** Cross-entropy for classification from logits. */
import { formatShape, softmaxCrossEntropy, type Tensor } from "../core.js";
import { type LossOptions, reduce } from "./reduction.js";

/**
 * Cross-entropy between logits [N, C] and either int32 class indices [N] (−log softmax(x)[label])
 * or probability (one-hot or soft) targets [N, C] (−Σ_c y_c log softmax(x)_c), computed through
 * logSoftmax so it is stable at any logits. The mean is over the N samples.
 *
 * @example
 * loss.crossEntropy(tensor([[2, 0, 0]]), tensor([0], { dtype: "int32" })).item(); // log(e² + 2) − 2 ≈ 0.2395
 */
export function crossEntropy(logits: Tensor, labels: Tensor, opts?: LossOptions): Tensor {
  if (logits.ndim !== 2) {
    throw new Error(`loss.crossEntropy: logits must have shape [N, C], got ${formatShape(logits.shape)}`);
  }
  const [n, c] = logits.shape as [number, number];
  if (labels.dtype === "int32" && labels.ndim === 1 && labels.shape[0] === n) {
    const indices = labels.data();
    for (let i = 0; i < n; i++) {
      const label = indices[i]!;
      if (label < 0 || label >= c) {
        throw new Error(`loss.crossEntropy: label ${label} of sample ${i} is not a class index in [0, ${c})`);
      }
    }
    return reduce("crossEntropy", softmaxCrossEntropy(logits, labels), opts);
  }
  if (labels.dtype !== "int32" && labels.ndim === 2 && labels.shape[0] === n && labels.shape[1] === c) {
    return reduce("crossEntropy", labels.mul(logits.logSoftmax(1)).sum(1).neg(), opts);
  }
  throw new Error(
    `loss.crossEntropy: for logits ${formatShape(logits.shape)} the labels must be int32 class indices [${n}] or float probabilities [${n}, ${c}], got ${labels.dtype} ${formatShape(labels.shape)}`,
  );
}
