/** CSV text → Dataset (fitting the preprocessing, or re-applying a saved one) or features only. */
import { fromValues } from "../tensor/storage.js";
import type { Tensor } from "../tensor/tensor.js";
import { type CsvReadOptions, type CsvTable, readCsvTable } from "./csv.js";
import { Dataset } from "./dataset.js";
import {
  encodeFeatures,
  encodeTargets,
  fitTabular,
  type TabularApplyOptions,
  type TabularFitOptions,
  type TabularPreprocessing,
} from "./tabular.js";

export interface CsvOptions extends CsvReadOptions, TabularFitOptions, TabularApplyOptions {
  /** Re-apply this preprocessing (saved with a model) instead of fitting one on this file. */
  preprocessing?: TabularPreprocessing;
}

/**
 * A data set from CSV text with a header row. Numeric columns become standardized features,
 * string columns one-hot blocks; the target (default the last column) becomes int32 class
 * indices [N] (strings, or integers with few distinct values) or float32 values [N, 1]
 * (regression). `dataset.preprocessing` holds the fitted statistics (JSON) to re-apply later.
 * Errors name the row (line of the file, header = row 1) and the column.
 * @example
 * const pets = data.parseCsv("size,weight,kind\n1,10,cat\n2,20,dog\n3,30,cat\n4,40,dog\n", { target: "kind" });
 * pets.x.shape; // [4, 2]
 * pets.classNames; // ["cat", "dog"]
 */
export function parseCsv(text: string, opts: CsvOptions = {}): Dataset {
  return tableDataset(readCsvTable(text, opts), opts);
}

/** A data set from a table read into columns (see parseCsv). */
export function tableDataset(table: CsvTable, opts: CsvOptions = {}): Dataset {
  const prep = opts.preprocessing ?? fitTabular(table, opts);
  const n = table.length;
  const x = fromValues(encodeFeatures(table, prep, opts), [n, prep.featureNames.length]);
  const targets = encodeTargets(table, prep);
  const y = prep.target.task === "classification" ? fromValues(targets, [n]) : fromValues(targets, [n, 1]);
  return new Dataset({
    x,
    y,
    task: prep.target.task,
    classNames: prep.target.task === "classification" ? prep.target.classes : null,
    featureNames: prep.featureNames,
    preprocessing: prep,
  });
}

/**
 * The encoded features [N, F] of CSV rows under a saved preprocessing (for predictions: the
 * target column may be absent; if present it is ignored).
 */
export function parseCsvFeatures(
  text: string,
  preprocessing: TabularPreprocessing,
  opts: CsvReadOptions & TabularApplyOptions = {},
): Tensor {
  return tableFeatures(readCsvTable(text, opts), preprocessing, opts);
}

/** The encoded features [N, F] of a table's rows under a saved preprocessing (see parseCsvFeatures). */
export function tableFeatures(
  table: CsvTable,
  preprocessing: TabularPreprocessing,
  opts: TabularApplyOptions = {},
): Tensor {
  return fromValues(encodeFeatures(table, preprocessing, opts), [
    table.length,
    preprocessing.featureNames.length,
  ]);
}
