/**
 * CSV files → tables, data sets and features, read as a stream: the file's text is never held
 * whole, rows go straight into typed columns (see data/csv.ts). Errors are prefixed with the path.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import Papa from "papaparse";
import { type CsvReadOptions, type CsvTable, CsvTableBuilder, papaOptions } from "../data/csv.js";
import { type CsvOptions, tableDataset, tableFeatures } from "../data/csv-dataset.js";
import type { Dataset } from "../data/dataset.js";
import type { TabularApplyOptions, TabularPreprocessing } from "../data/tabular.js";
import type { Tensor } from "../tensor/tensor.js";

/** How far reading has come: bytes of the file read, its size, data rows so far. */
export interface CsvProgress {
  /** Bytes of the file read so far. */
  bytes: number;
  /** The file's size in bytes. */
  totalBytes: number;
  /** Data rows parsed so far (the header not counted). */
  rows: number;
}

/** Options of the CSV file readers. */
export interface CsvFileOptions extends CsvReadOptions {
  /** Called as the file is read (about every 4 MB), e.g. to show a progress line. */
  onProgress?: (progress: CsvProgress) => void;
}

/**
 * Reads a CSV file with a header row into columns, streaming it.
 * @example
 * import { writeFileSync } from "node:fs";
 * import { readCsvFile } from "deriva/node";
 * writeFileSync("big.csv", "x,y\n1,2\n3,4\n");
 * const rowsSeen: number[] = [];
 * const table = await readCsvFile("big.csv", { onProgress: ({ rows }) => rowsSeen.push(rows) });
 * table.length; // 2
 */
export async function readCsvFile(path: string, opts: CsvFileOptions = {}): Promise<CsvTable> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      error.code === "ENOENT" ? `${path} does not exist` : `cannot read ${path}: ${error.code}`,
    );
  });
  if (!info.isFile()) throw new Error(`${path} is not a file`);
  const builder = new CsvTableBuilder();
  const stream = createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 });
  let bytes = 0;
  let reported = 0;
  stream.on("data", (chunk) => {
    bytes += Buffer.byteLength(chunk as string);
    if (opts.onProgress !== undefined && bytes - reported >= 4 << 20) {
      reported = bytes;
      opts.onProgress({ bytes, totalBytes: info.size, rows: builder.rows });
    }
  });
  let failure: Error | null = null;
  await new Promise<void>((resolve, reject) => {
    stream.on("error", (error: NodeJS.ErrnoException) =>
      reject(new Error(`cannot read ${path}: ${error.code}`)),
    );
    Papa.parse<string[]>(stream as unknown as File, {
      ...papaOptions(opts),
      step(results, parser) {
        failure = builder.step(results);
        if (failure !== null) parser.abort();
      },
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    });
  });
  stream.destroy();
  return inFile(path, () => {
    if (failure !== null) throw failure;
    return builder.finish();
  });
}

/**
 * A data set from a CSV file (see `data.parseCsv`), read as a stream.
 * @example
 * import { writeFileSync } from "node:fs";
 * import { loadCsv } from "deriva/node";
 * writeFileSync("iris.csv", "petal,sepal,species\n1.4,5.1,setosa\n4.7,7.0,versicolor\n6.0,6.3,virginica\n");
 * const iris = await loadCsv("iris.csv", { target: "species" });
 * iris.classNames; // ["setosa", "versicolor", "virginica"]
 */
export async function loadCsv(path: string, opts: CsvOptions & CsvFileOptions = {}): Promise<Dataset> {
  const table = await readCsvFile(path, opts);
  return inFile(path, () => tableDataset(table, opts));
}

/** The encoded features [N, F] of a CSV file's rows under a saved preprocessing (for predictions). */
export async function loadCsvFeatures(
  path: string,
  preprocessing: TabularPreprocessing,
  opts: CsvFileOptions & TabularApplyOptions = {},
): Promise<Tensor> {
  const table = await readCsvFile(path, opts);
  return inFile(path, () => tableFeatures(table, preprocessing, opts));
}

function inFile<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}
