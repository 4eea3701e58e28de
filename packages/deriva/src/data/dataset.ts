/** An in-memory data set: inputs x [N, ...] and targets y [N] or [N, k], with what describes them. */
import { formatShape } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { gatherRows } from "./gather.js";
import type { ImagePreprocessing } from "./image.js";
import { mulberry32, permutation } from "./seeded-shuffle.js";
import type { TabularPreprocessing } from "./tabular.js";

/** What a data set's targets are: class indices to classify, or numbers to predict (regression). */
export type Task = "classification" | "regression";

/** How raw inputs became x: serializable (plain JSON), saved with a model and re-applied to new inputs. */
export type Preprocessing = TabularPreprocessing | ImagePreprocessing;

/** What a Dataset is built from: x and y, and optionally what describes them. */
export interface DatasetInit {
  /** Inputs, one sample per entry of axis 0: [N, features] or [N, C, H, W]. */
  x: Tensor;
  /** Targets: int32 class indices [N] for classification; float [N] or [N, k] for regression. */
  y: Tensor;
  /** Default: "classification" when y is int32, else "regression". */
  task?: Task;
  /** Name of each class (index i ↔ classNames[i]); default "0", "1", ... up to the largest label. */
  classNames?: readonly string[] | null;
  /** Name of each input feature (column of a 2-D x), when known. */
  featureNames?: readonly string[] | null;
  /**
   * How raw inputs became x (tabular standardization and encoding, or image resizing), saved with a model and
   * re-applied at prediction; default null.
   */
  preprocessing?: Preprocessing | null;
}

/**
 * A data set held in memory.
 * @example
 * const ds = new data.Dataset({ x: randn([100, 4]), y: randint(0, 3, [100], { dtype: "int32" }) });
 * const [fitSet, validation] = ds.split(0.2, 7); // seeded shuffle
 * [fitSet.length, validation.length]; // [80, 20]
 */
export class Dataset {
  /** Inputs, one sample per entry of axis 0: [N, features] or [N, C, H, W]. */
  readonly x: Tensor;
  /** Targets: int32 class indices [N] for classification; float [N] or [N, k] for regression. */
  readonly y: Tensor;
  /** "classification" or "regression" (by default inferred from y's dtype). */
  readonly task: Task;
  /** Class names for classification (null for regression). */
  readonly classNames: readonly string[] | null;
  /** Name of each input feature (column of a 2-D x), or null when not known. */
  readonly featureNames: readonly string[] | null;
  /**
   * How raw inputs became x, or null: saved with a model so that predictions preprocess new inputs the same
   * way.
   */
  readonly preprocessing: Preprocessing | null;

  constructor(init: DatasetInit) {
    const { x, y } = init;
    if (x.ndim === 0 || y.ndim === 0) {
      throw new Error(
        `Dataset: x and y need a sample axis, got x ${formatShape(x.shape)} and y ${formatShape(y.shape)}`,
      );
    }
    if (x.shape[0] !== y.shape[0]) {
      throw new Error(
        `Dataset: x ${formatShape(x.shape)} and y ${formatShape(y.shape)} hold different numbers of samples`,
      );
    }
    const task = init.task ?? (y.dtype === "int32" ? "classification" : "regression");
    this.x = x;
    this.y = y;
    this.task = task;
    this.classNames = task === "classification" ? checkLabels(y, init.classNames ?? null) : null;
    if (task === "regression" && (y.dtype === "int32" || y.ndim > 2)) {
      throw new Error(
        `Dataset: a regression target is a float tensor [N] or [N, k], got ${y.dtype} ${formatShape(y.shape)}`,
      );
    }
    const featureNames = init.featureNames ?? null;
    if (featureNames !== null && (x.ndim !== 2 || featureNames.length !== x.shape[1])) {
      throw new Error(`Dataset: ${featureNames.length} feature names do not match x ${formatShape(x.shape)}`);
    }
    this.featureNames = featureNames === null ? null : Object.freeze([...featureNames]);
    this.preprocessing = init.preprocessing ?? null;
  }

  /** Number of samples. */
  get length(): number {
    return this.x.shape[0]!;
  }

  /**
   * A seeded random split: the samples are shuffled by permutation(N, mulberry32(seed)), then the
   * last round(N · fraction) go to the second part (e.g. the validation set), the rest to the first.
   * Same seed → same split. Both parts must be non-empty.
   */
  split(fraction: number, seed = 0): [Dataset, Dataset] {
    if (!(fraction > 0 && fraction < 1)) {
      throw new Error(`Dataset.split: the fraction must lie strictly between 0 and 1, got ${fraction}`);
    }
    const n = this.length;
    const second = Math.round(n * fraction);
    if (second === 0 || second === n) {
      throw new Error(`Dataset.split: a fraction of ${fraction} of ${n} samples leaves one part empty`);
    }
    const order = permutation(n, mulberry32(seed));
    return [this.subset(order.subarray(0, n - second)), this.subset(order.subarray(n - second))];
  }

  /** The samples at `indices`, in that order (copied), with the same metadata. */
  subset(indices: ArrayLike<number>): Dataset {
    return this.withData(gatherRows(this.x, indices), gatherRows(this.y, indices));
  }

  /** A data set with other x and y (e.g. a reshaped x) and this one's metadata. */
  withData(x: Tensor, y: Tensor): Dataset {
    return new Dataset({
      x,
      y,
      task: this.task,
      classNames: this.classNames,
      featureNames: x.ndim === 2 && x.shape[1] === this.x.shape[1] ? this.featureNames : null,
      preprocessing: this.preprocessing,
    });
  }
}

/** Checks class labels against the class names (or derives "0".."k-1") and returns the names. */
function checkLabels(y: Tensor, classNames: readonly string[] | null): readonly string[] {
  if (y.dtype !== "int32" || y.ndim !== 1) {
    throw new Error(
      `Dataset: classification labels are int32 class indices [N], got ${y.dtype} ${formatShape(y.shape)}`,
    );
  }
  let largest = -1;
  const labels = y.data();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label < 0) throw new Error(`Dataset: label ${label} of sample ${i} is negative`);
    if (label > largest) largest = label;
  }
  if (classNames === null) {
    return Object.freeze(Array.from({ length: largest + 1 }, (_, i) => String(i)));
  }
  if (largest >= classNames.length) {
    throw new Error(`Dataset: label ${largest} is out of range for ${classNames.length} class names`);
  }
  return Object.freeze([...classNames]);
}
