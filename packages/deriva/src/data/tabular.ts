/**
 * Tabular preprocessing: which columns are features (numeric, standardized; or categorical,
 * one-hot encoded), which is the target (class or numeric), and the statistics that turn rows
 * into numbers. Everything fitted is plain JSON, saved with a model and re-applied to new rows.
 */
import { type CsvColumn, type CsvTable, DECIMAL, MAX_DISTINCT } from "./csv.js";
import type { Task } from "./dataset.js";
import { encodedNames } from "./preprocessing.js";

/** A numeric feature, standardized as (value − mean) / std (mean 0, std 1 when not standardized). */
export type NumericColumn = {
  /** The column's name in the CSV header. */
  name: string;
  /** Tells a numeric column from a categorical one. */
  kind: "numeric";
  /** The mean subtracted from each value (0 when not standardized). */
  mean: number;
  /** The standard deviation each value is divided by after centering (1 when not standardized; never 0). */
  std: number;
};

/** A string feature, one-hot encoded over the categories seen when fitting (sorted). */
export type CategoricalColumn = {
  /** The column's name in the CSV header. */
  name: string;
  /** Tells a categorical column from a numeric one. */
  kind: "categorical";
  /** The categories seen when fitting, sorted: one input (a one-hot position) each. */
  categories: string[];
};

/** One input column and how it is encoded: numeric (standardized) or categorical (one-hot). */
export type FeatureColumn = NumericColumn | CategoricalColumn;

/** The target column and what it holds: classes (with their names) or numbers. */
export type TabularTarget =
  | {
      /** The target column's name. */
      column: string;
      /** A class target: its cells become int32 class indices. */
      task: "classification";
      /** The class names, sorted; class i is classes[i]. */
      classes: string[];
    }
  | {
      /** The target column's name. */
      column: string;
      /** A numeric target, predicted as a float. */
      task: "regression";
    };

// object types are aliases, not interfaces, so that they are assignable to JSON value types
/**
 * How CSV rows become inputs and targets (fitted by fitTabular): saved with a model and re-applied to new
 * rows.
 */
export type TabularPreprocessing = {
  /** Tells tabular preprocessing from image preprocessing. */
  kind: "tabular";
  /** Feature columns, in the order of the file they were fitted on. */
  columns: FeatureColumn[];
  /** The target column and its classes or numeric task. */
  target: TabularTarget;
  /** Name of each encoded input (a column of x): numeric columns by name, one-hot ones as `name=category`. */
  featureNames: string[];
};

/** Options of fitTabular: which column is the target and how to encode the features. */
export interface TabularFitOptions {
  /** Target column (default: the last one). */
  target?: string;
  /** Default: a string target, or an integer one with at most `maxClasses` distinct values, is a class. */
  task?: Task;
  /** Columns to one-hot encode even if they hold numbers (string columns always are). */
  categorical?: readonly string[];
  /** Standardize numeric features to mean 0, std 1 (default true). */
  standardize?: boolean;
  /** An integer target with at most this many distinct values is taken as classes (default 10). */
  maxClasses?: number;
}

/** Options of encoding new rows with fitted preprocessing. */
export interface TabularApplyOptions {
  /** A category not seen when fitting: an error (default), or all zeros in its one-hot block. */
  unknownCategory?: "error" | "zeros";
}

/** Infers column kinds and the target from a table and fits the encoding statistics. */
export function fitTabular(table: CsvTable, opts: TabularFitOptions = {}): TabularPreprocessing {
  const { header } = table;
  const targetName = opts.target ?? header.at(-1)!;
  const targetIndex = columnIndex(table, targetName, "target column");
  const forcedCategorical = new Set(opts.categorical ?? []);
  for (const name of forcedCategorical) columnIndex(table, name, "categorical column");
  if (header.length < 2) {
    throw new Error(`the CSV has no feature columns: its only column is the target '${targetName}'`);
  }
  const columns: FeatureColumn[] = [];
  table.columns.forEach((column, index) => {
    if (index === targetIndex) return;
    columns.push(
      forcedCategorical.has(column.name) || !isMostlyNumeric(table, column)
        ? { name: column.name, kind: "categorical", categories: distinctCells(table, column).sort() }
        : fitNumeric(table, column, opts.standardize ?? true),
    );
  });
  const target = fitTarget(table, table.columns[targetIndex]!, forcedCategorical.has(targetName), opts);
  return { kind: "tabular", columns, target, featureNames: columns.flatMap(encodedNames) };
}

/** The encoded features of every row: a row-major [N, featureNames.length] array. */
export function encodeFeatures(
  table: CsvTable,
  prep: TabularPreprocessing,
  opts: TabularApplyOptions = {},
): Float32Array {
  const width = prep.featureNames.length;
  const n = table.length;
  const out = new Float32Array(n * width);
  let offset = 0;
  for (const feature of prep.columns) {
    const column = table.columns[columnIndex(table, feature.name, "input column", prep.columns)]!;
    if (feature.kind === "numeric") {
      const numbers = numbersOf(table, column);
      // (x − mean) / std as x/std − mean/std: no overflow for values near ±1.8e308 (and no
      // 1/std, which overflows for a subnormal std)
      const { mean, std } = feature;
      const shift = mean / std;
      for (let r = 0; r < n; r++) out[r * width + offset] = numbers[r]! / std - shift;
      offset += 1;
    } else {
      const codes = codesOf(table, column);
      const known = new Map(feature.categories.map((c, i) => [c, i]));
      const position = column.distinct!.map((cell) => known.get(cell) ?? -1);
      for (let r = 0; r < n; r++) {
        const category = position[codes[r]!]!;
        if (category >= 0) out[r * width + offset + category] = 1;
        else if (opts.unknownCategory !== "zeros") {
          throw new Error(
            `${cellName(table, r, column)}: category '${column.distinct![codes[r]!]}' was not seen in training (known: ${listed(feature.categories)})`,
          );
        }
      }
      offset += feature.categories.length;
    }
  }
  return out;
}

/** The targets of every row: int32 class indices [N], or float32 values [N] for regression. */
export function encodeTargets(table: CsvTable, prep: TabularPreprocessing): Int32Array | Float32Array {
  const { target } = prep;
  const column = table.columns[columnIndex(table, target.column, "target column")]!;
  const n = table.length;
  if (target.task === "regression") {
    const numbers = numbersOf(table, column);
    const out = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      out[r] = numbers[r]!;
      if (!Number.isFinite(out[r]!)) {
        throw new Error(`${cellName(table, r, column)}: ${numbers[r]} is beyond float32's range (±3.4e38)`);
      }
    }
    return out;
  }
  const codes = codesOf(table, column);
  const position = new Map(target.classes.map((c, i) => [c, i]));
  // a class is its cell, or for numbers their shortest form ("1.0" is class "1")
  const label = column.distinct!.map((cell) => {
    const number = DECIMAL.test(cell) ? Number(cell) : Number.NaN;
    return position.get(cell) ?? (Number.isFinite(number) ? position.get(String(number)) : undefined) ?? -1;
  });
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    out[r] = label[codes[r]!]!;
    if (out[r]! < 0) {
      const cell = column.distinct![codes[r]!]!;
      throw new Error(
        cell === ""
          ? `${cellName(table, r, column)}: the target is empty`
          : `${cellName(table, r, column)}: class '${cell}' was not seen in training (classes: ${listed(target.classes)})`,
      );
    }
  }
  return out;
}

/**
 * Mean and standard deviation in float64, on the values scaled by their largest magnitude so
 * that no square overflows (a cell of 1e160 or 1e308 gives finite statistics); refuses a
 * statistic that would still not be finite, naming the column.
 */
function fitNumeric(table: CsvTable, column: CsvColumn, standardize: boolean): NumericColumn {
  const numbers = numbersOf(table, column);
  const { name } = column;
  let largest = 0;
  for (const v of numbers) largest = Math.max(largest, Math.abs(v));
  if (!standardize) {
    if (largest > FLOAT32_MAX) {
      throw new Error(`column '${name}' holds ${largest}, beyond float32's range (±3.4e38): standardize it`);
    }
    return { name, kind: "numeric", mean: 0, std: 1 };
  }
  const scale = largest > 0 ? largest : 1;
  let mean = 0;
  let squares = 0;
  for (let i = 0; i < numbers.length; i++) {
    // Welford's update on x / scale, in [−1, 1]
    const x = numbers[i]! / scale;
    const delta = x - mean;
    mean += delta / (i + 1);
    squares += delta * (x - mean);
  }
  const std = Math.sqrt(squares / numbers.length) * scale;
  const fitted: NumericColumn = {
    name,
    kind: "numeric",
    mean: mean * scale,
    // a column constant to 12 digits is divided by its magnitude instead: an exact constant stays
    // 0, and 1.8e308 next to 1.8e308 − 1.8e296 gives ±1e-12, where dividing by 1 overflowed float32
    std: std > 1e-12 * scale ? std : scale,
  };
  if (!Number.isFinite(fitted.mean) || !Number.isFinite(fitted.std)) {
    throw new Error(
      `column '${name}': its mean or standard deviation is not finite (${fitted.mean}, ${fitted.std})`,
    );
  }
  return fitted;
}

function fitTarget(
  table: CsvTable,
  column: CsvColumn,
  forcedCategorical: boolean,
  opts: TabularFitOptions,
): TabularTarget {
  const name = column.name;
  if (column.firstEmpty >= 0) {
    throw new Error(
      `${cellName(table, column.firstEmpty, column)}: the target is empty (every row needs one)`,
    );
  }
  const numeric = !forcedCategorical && isMostlyNumeric(table, column);
  if (opts.task === "regression") {
    if (!numeric) {
      throw new Error(`the target column '${name}' holds strings; a regression target must be numeric`);
    }
    return { column: name, task: "regression" };
  }
  let classes: string[];
  if (!numeric) classes = distinctCells(table, column).sort();
  else {
    const values = numbersOf(table, column);
    const distinct = [...new Set(values)].sort((a, b) => a - b);
    const fewIntegers = values.every(Number.isInteger) && distinct.length <= (opts.maxClasses ?? 10);
    if (opts.task !== "classification" && !fewIntegers) return { column: name, task: "regression" };
    classes = distinct.map(String);
  }
  if (classes.length < 2) {
    throw new Error(
      `the target column '${name}' has one class ('${classes[0]}') in all ${table.length} rows: a classifier needs at least two`,
    );
  }
  return { column: name, task: "classification", classes };
}

function columnIndex(
  table: CsvTable,
  name: string,
  what: string,
  expected?: readonly FeatureColumn[],
): number {
  const index = table.header.indexOf(name);
  if (index >= 0) return index;
  const trained =
    expected === undefined ? "" : ` (the model's input columns: ${listed(expected.map((c) => c.name))})`;
  throw new Error(`${what} '${name}' not found; the columns are: ${table.header.join(", ")}${trained}`);
}

/** A column counts as numeric when most of its cells are numbers; its other cells are then errors. */
function isMostlyNumeric(table: CsvTable, column: CsvColumn): boolean {
  return column.numberCount * 2 > table.length;
}

/** The column's numbers, once every cell is known to be one (else the first bad cell is named). */
function numbersOf(table: CsvTable, column: CsvColumn): Float64Array {
  const bad = [
    column.firstEmpty < 0
      ? null
      : { row: column.firstEmpty, what: "the cell is empty (missing values are not supported)" },
    column.firstText === null
      ? null
      : { row: column.firstText.row, what: `'${column.firstText.text}' is not a number` },
    column.firstOverflow === null
      ? null
      : {
          row: column.firstOverflow.row,
          what: `'${column.firstOverflow.text}' is beyond the range of numbers (±1.8e308)`,
        },
  ].filter((b) => b !== null);
  if (bad.length > 0) {
    const first = bad.reduce((a, b) => (b.row < a.row ? b : a));
    throw new Error(`${cellName(table, first.row, column)}: ${first.what}`);
  }
  return column.numbers;
}

/** The column's cell codes, when it has few enough different cells to be categories. */
function codesOf(table: CsvTable, column: CsvColumn): Int32Array {
  if (column.codes === null) {
    throw new Error(
      `column '${column.name}' has more than ${MAX_DISTINCT.toLocaleString("en-US")} different values in ${table.length} rows: too many to be categories`,
    );
  }
  return column.codes;
}

function distinctCells(table: CsvTable, column: CsvColumn): string[] {
  codesOf(table, column);
  return [...column.distinct!];
}

function cellName(table: CsvTable, r: number, column: CsvColumn): string {
  return `row ${table.lines[r]}, column '${column.name}'`;
}

function listed(names: readonly string[]): string {
  return names.length <= 12
    ? names.join(", ")
    : `${names.slice(0, 12).join(", ")}, … (${names.length} in all)`;
}

/** The largest float32. */
const FLOAT32_MAX = 3.4028234663852886e38;
