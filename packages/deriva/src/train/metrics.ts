/**
 * Classification metrics on plain arrays: the predicted class of each output row, accuracy and the
 * confusion matrix. They read the outputs' values once (no tensor op per sample).
 */
import type { Tensor } from "../tensor/tensor.js";

/**
 * The index of the largest value in each row of outputs [N, C] (the first one on ties); -1 for a
 * row with a NaN or infinite value, which predicts no class.
 */
export function predictedClasses(output: Tensor): Int32Array {
  if (output.ndim !== 2) {
    throw new Error(`predictedClasses: outputs must have shape [N, C], got [${output.shape.join(", ")}]`);
  }
  const [rows, classes] = output.shape as [number, number];
  return classesOfRows(output.data(), rows, classes);
}

/** predictedClasses on the outputs' values, read already: `rows` rows of `classes` values, row-major. */
export function classesOfRows(values: ArrayLike<number>, rows: number, classes: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let best = 0;
    let bestValue = values[base]!;
    let finite = Number.isFinite(bestValue);
    for (let c = 1; c < classes; c++) {
      const v = values[base + c]!;
      finite &&= Number.isFinite(v);
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    out[r] = finite ? best : -1;
  }
  return out;
}

/** How many rows of outputs [N, C] have their largest value at the label's index (labels int32 [N]). */
export function countCorrect(output: Tensor, labels: Tensor): number {
  const predicted = predictedClasses(output);
  checkLabels("countCorrect", predicted.length, labels);
  return countMatches(predicted, labels.data());
}

/** How many predictions equal their label. */
export function countMatches(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === truth[i]) correct++;
  return correct;
}

/**
 * The fraction of samples whose largest output is at their label: outputs (logits or
 * probabilities) [N, C] against int32 labels [N].
 * @example train.accuracy(tensor([[2, 1], [0, 3]]), tensor([0, 0], { dtype: "int32" })); // 0.5
 */
export function accuracy(output: Tensor, labels: Tensor): number {
  return countCorrect(output, labels) / output.shape[0]!;
}

/**
 * The confusion matrix: entry [t][p] counts the samples of true class t predicted as p (rows: true
 * classes, columns: predictions; the diagonal holds the correct ones).
 * @example train.confusionMatrix([0, 1, 1], [0, 1, 0], 2); // [[1, 1], [0, 1]]
 */
export function confusionMatrix(
  predicted: ArrayLike<number>,
  labels: ArrayLike<number>,
  classes: number,
): number[][] {
  if (predicted.length !== labels.length) {
    throw new Error(`confusionMatrix: ${predicted.length} predictions for ${labels.length} labels`);
  }
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i]!;
    const p = predicted[i]!;
    if (!(t >= 0 && t < classes && p >= 0 && p < classes)) {
      throw new Error(
        `confusionMatrix: sample ${i} has label ${t} and prediction ${p}, outside [0, ${classes})`,
      );
    }
    matrix[t]![p]!++;
  }
  return matrix;
}

function checkLabels(what: string, rows: number, labels: Tensor): void {
  if (labels.dtype !== "int32" || labels.ndim !== 1 || labels.shape[0] !== rows) {
    throw new Error(
      `${what}: labels must be int32 class indices [${rows}], got ${labels.dtype} [${labels.shape.join(", ")}]`,
    );
  }
}
