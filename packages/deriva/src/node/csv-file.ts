/** CSV files → data sets; errors are prefixed with the file's path. */
import { readFile } from "node:fs/promises";
import type { CsvReadOptions } from "../data/csv.js";
import { type CsvOptions, parseCsv, parseCsvFeatures } from "../data/csv-dataset.js";
import type { Dataset } from "../data/dataset.js";
import type { TabularApplyOptions, TabularPreprocessing } from "../data/tabular.js";
import type { Tensor } from "../tensor/tensor.js";

/**
 * A data set from a CSV file (see `data.parseCsv`).
 * @example const iris = await loadCsv("iris.csv", { target: "species" });
 */
export async function loadCsv(path: string, opts: CsvOptions = {}): Promise<Dataset> {
  const text = await readText(path);
  return inFile(path, () => parseCsv(text, opts));
}

/** The encoded features [N, F] of a CSV file's rows under a saved preprocessing (for predictions). */
export async function loadCsvFeatures(
  path: string,
  preprocessing: TabularPreprocessing,
  opts: CsvReadOptions & TabularApplyOptions = {},
): Promise<Tensor> {
  const text = await readText(path);
  return inFile(path, () => parseCsvFeatures(text, preprocessing, opts));
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === "ENOENT" ? `${path} does not exist` : `cannot read ${path}: ${code}`);
  }
}

function inFile<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}
