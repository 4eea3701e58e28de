/**
 * Evaluation and prediction: the model in eval mode (Dropout off, BatchNorm on its running
 * statistics), nothing recorded for gradients, the data run through in batches.
 */

import type { Dataset, Task } from "../data/dataset.js";
import { gatherRows } from "../data/gather.js";
import type { Samples } from "../data/loader.js";
import type { Module } from "../nn/module.js";
import { allocate } from "../tensor/dtype.js";
import { noGrad } from "../tensor/grad-mode.js";
import { fromValues } from "../tensor/storage.js";
import type { Tensor } from "../tensor/tensor.js";
import { defaultLoss, type LossFunction, type LossName, type LossSpec, resolveLoss } from "./loss-spec.js";
import { classesOfRows, confusionMatrix, countMatches } from "./metrics.js";

/** Options of train.evaluate. */
export interface EvaluateOptions {
  /** The loss to report (default: cross-entropy for classes, mse for values). */
  loss?: LossName | LossFunction;
  /** Samples per forward pass (default 256); only memory depends on it. */
  batchSize?: number;
}

/** What train.evaluate reports about a model on a data set. */
export interface Evaluation {
  /** The number of samples evaluated. */
  samples: number;
  /** The mean loss over the samples. */
  loss: number;
  /**
   * For classification: the fraction predicted right, and the confusion matrix (rows: true
   * classes) of the samples whose outputs are finite; a NaN or infinite output counts as wrong and
   * in no class.
   */
  accuracy: number | null;
  /** For classification: the number of samples predicted right (null for regression). */
  correct: number | null;
  /** For classification: counts [true class][predicted class] (null for regression). */
  confusionMatrix: number[][] | null;
  /** The indices of the samples whose outputs hold a NaN or an infinity (in data set order). */
  nonFinite: number[];
}

const DEFAULT_BATCH = 256;

/**
 * The model's outputs for inputs x [N, ...], computed in eval mode without recording gradients,
 * `batchSize` samples at a time; the model's mode is restored afterwards.
 * @example
 * const model = new nn.Linear(4, 3);
 * train.predict(model, randn([10, 4])).shape; // [10, 3]
 */
export function predict(model: Module, x: Tensor, opts: { batchSize?: number } = {}): Tensor {
  const n = x.shape[0]!;
  const order = rowOrder(n);
  return inEvalMode(model, () => {
    const parts: Tensor[] = [];
    for (const [start, end] of ranges(n, opts.batchSize ?? DEFAULT_BATCH)) {
      parts.push(model.forward(gatherRows(x, order, start, end)));
    }
    return concatRows(parts);
  });
}

/**
 * The mean loss of the model on a data set and, for classification, its accuracy and confusion
 * matrix; in eval mode, without gradients.
 * Asynchronous: the outputs are read back with read(), which every backend serves.
 * @example
 * const model = new nn.Linear(4, 3);
 * const test = { x: randn([50, 4]), y: randint(0, 3, [50], { dtype: "int32" }) };
 * const { loss, accuracy } = await train.evaluate(model, test); // accuracy in [0, 1]
 */
export async function evaluate(
  model: Module,
  data: Dataset | Samples,
  opts: EvaluateOptions = {},
): Promise<Evaluation> {
  const task = taskOf(data);
  const spec = resolveLoss(opts.loss ?? defaultLoss(task), task);
  return await evaluateWith(model, data, spec, task, opts.batchSize ?? DEFAULT_BATCH);
}

/** evaluate() with the loss already resolved (fit's validation pass). */
export async function evaluateWith(
  model: Module,
  data: Samples,
  spec: LossSpec,
  task: Task,
  batchSize: number,
): Promise<Evaluation> {
  const n = data.x.shape[0]!;
  if (n === 0) throw new Error("evaluate: the data set is empty");
  const order = rowOrder(n);
  // every batch computed in eval mode, then read: the model's mode and the grad mode are never
  // left switched while this function waits for a read
  const batches = inEvalMode(model, () =>
    [...ranges(n, batchSize)].map(([start, end]) => {
      const output = model.forward(gatherRows(data.x, order, start, end));
      return { start, end, output, loss: spec.compute(output, gatherRows(data.y, order, start, end)) };
    }),
  );
  const predicted = task === "classification" ? new Int32Array(n) : null;
  const nonFinite: number[] = [];
  let lossSum = 0;
  let classes = 0;
  for (const { start, end, output, loss } of batches) {
    lossSum += (await loss.readItem()) * (end - start);
    const values = await output.read();
    const rows = output.shape[0]!;
    nonFinite.push(...nonFiniteRows(values, rows, start));
    if (predicted !== null) {
      classes = output.shape[1]!;
      predicted.set(classesOfRows(values, rows, classes), start);
    }
  }
  const loss = lossSum / n;
  if (predicted === null) {
    return { samples: n, loss, accuracy: null, correct: null, confusionMatrix: null, nonFinite };
  }
  const labels = await data.y.read();
  const correct = countMatches(predicted, labels);
  // a sample without a prediction (-1) has no column in the matrix
  const finite = Int32Array.from({ length: n }, (_, i) => i).filter((i) => predicted[i]! >= 0);
  return {
    samples: n,
    loss,
    accuracy: correct / n,
    correct,
    confusionMatrix: confusionMatrix(
      Array.from(finite, (i) => predicted[i]!),
      Array.from(finite, (i) => labels[i]!),
      classes,
    ),
    nonFinite,
  };
}

/** The indices (from `offset`) of the `rows` rows of the values that hold a NaN or an infinity. */
function nonFiniteRows(values: ArrayLike<number>, rows: number, offset: number): number[] {
  const found: number[] = [];
  const width = values.length / rows;
  for (let r = 0; r < rows; r++) {
    for (let i = r * width; i < (r + 1) * width; i++) {
      if (!Number.isFinite(values[i]!)) {
        found.push(offset + r);
        break;
      }
    }
  }
  return found;
}

/** The task of a data set; plain samples are classification when their targets are int32. */
export function taskOf(data: Dataset | Samples): Task {
  return "task" in data ? (data as Dataset).task : data.y.dtype === "int32" ? "classification" : "regression";
}

/** Runs `fn` with the model in eval mode and gradients off, then puts the model's mode back. */
function inEvalMode<T>(model: Module, fn: () => T): T {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(fn);
  } finally {
    model.train(wasTraining);
  }
}

/** [start, end) of each batch of `batchSize` over n samples, in order. */
function* ranges(n: number, batchSize: number): Generator<[number, number]> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`evaluate: batchSize must be a positive integer, got ${batchSize}`);
  }
  for (let start = 0; start < n; start += batchSize) yield [start, Math.min(n, start + batchSize)];
}

function concatRows(parts: Tensor[]): Tensor {
  const first = parts[0];
  if (first === undefined) throw new Error("predict: no inputs");
  if (parts.length === 1) return first;
  const rows = parts.reduce((sum, p) => sum + p.shape[0]!, 0);
  const out = allocate(first.dtype, rows * (first.size / first.shape[0]!));
  let offset = 0;
  for (const part of parts) {
    out.set(part.data(), offset);
    offset += part.size;
  }
  return fromValues(out, [rows, ...first.shape.slice(1)]);
}

/** 0, 1, ..., n − 1: batches are gathered in data set order. */
function rowOrder(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}
