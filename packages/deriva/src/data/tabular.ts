/**
 * Tabular preprocessing: which columns are features (numeric, standardized; or categorical,
 * one-hot encoded), which is the target (class or numeric), and the statistics that turn rows
 * into numbers. Everything fitted is plain JSON, saved with a model and re-applied to new rows.
 */
import type { CsvTable } from "./csv.js";
import type { Task } from "./dataset.js";

/** A numeric feature, standardized as (value − mean) / std (mean 0, std 1 when not standardized). */
export type NumericColumn = {
  name: string;
  kind: "numeric";
  mean: number;
  std: number;
};

/** A string feature, one-hot encoded over the categories seen when fitting (sorted). */
export type CategoricalColumn = {
  name: string;
  kind: "categorical";
  categories: string[];
};

export type FeatureColumn = NumericColumn | CategoricalColumn;

export type TabularTarget =
  | { column: string; task: "classification"; classes: string[] }
  | { column: string; task: "regression" };

// object types are aliases, not interfaces, so that they are assignable to JSON value types
export type TabularPreprocessing = {
  kind: "tabular";
  /** Feature columns, in the order of the file they were fitted on. */
  columns: FeatureColumn[];
  target: TabularTarget;
  /** Name of each encoded input (a column of x): numeric columns by name, one-hot ones as `name=category`. */
  featureNames: string[];
};

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
  header.forEach((name, index) => {
    if (index === targetIndex) return;
    columns.push(
      forcedCategorical.has(name) || !isMostlyNumeric(table, index)
        ? { name, kind: "categorical", categories: distinct(table, index).sort() }
        : fitNumeric(table, index, opts.standardize ?? true),
    );
  });
  const target = fitTarget(table, targetIndex, forcedCategorical.has(targetName), opts);
  return { kind: "tabular", columns, target, featureNames: columns.flatMap(encodedNames) };
}

/** The encoded features of every row: a row-major [N, featureNames.length] array. */
export function encodeFeatures(
  table: CsvTable,
  prep: TabularPreprocessing,
  opts: TabularApplyOptions = {},
): Float32Array {
  const width = prep.featureNames.length;
  const out = new Float32Array(table.rows.length * width);
  let offset = 0;
  for (const column of prep.columns) {
    const index = columnIndex(table, column.name, "input column", prep.columns);
    if (column.kind === "numeric") {
      const std = column.std;
      for (let r = 0; r < table.rows.length; r++) {
        out[r * width + offset] = (numberAt(table, r, index) - column.mean) / std;
      }
      offset += 1;
    } else {
      const position = new Map(column.categories.map((c, i) => [c, i]));
      table.rows.forEach((row, r) => {
        const category = position.get(row[index]!);
        if (category !== undefined) out[r * width + offset + category] = 1;
        else if (opts.unknownCategory !== "zeros") {
          throw new Error(
            `${cellName(table, r, index)}: category '${row[index]}' was not seen in training (known: ${listed(column.categories)})`,
          );
        }
      });
      offset += column.categories.length;
    }
  }
  return out;
}

/** The targets of every row: int32 class indices [N], or float32 values [N] for regression. */
export function encodeTargets(table: CsvTable, prep: TabularPreprocessing): Int32Array | Float32Array {
  const { target } = prep;
  const index = columnIndex(table, target.column, "target column");
  const n = table.rows.length;
  if (target.task === "regression") {
    const out = new Float32Array(n);
    for (let r = 0; r < n; r++) out[r] = numberAt(table, r, index);
    return out;
  }
  const position = new Map(target.classes.map((c, i) => [c, i]));
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const cell = table.rows[r]![index]!;
    const number = parseNumber(cell);
    const label = position.get(cell) ?? (number === null ? undefined : position.get(String(number)));
    if (label === undefined) {
      throw new Error(
        `${cellName(table, r, index)}: class '${cell}' was not seen in training (classes: ${listed(target.classes)})`,
      );
    }
    out[r] = label;
  }
  return out;
}

function fitNumeric(table: CsvTable, index: number, standardize: boolean): NumericColumn {
  const name = table.header[index]!;
  if (!standardize) return { name, kind: "numeric", mean: 0, std: 1 };
  const n = table.rows.length;
  let sum = 0;
  for (let r = 0; r < n; r++) sum += numberAt(table, r, index);
  const mean = sum / n;
  let squares = 0;
  for (let r = 0; r < n; r++) squares += (numberAt(table, r, index) - mean) ** 2;
  const std = Math.sqrt(squares / n);
  // a constant column stays constant (0) instead of dividing by zero
  return { name, kind: "numeric", mean, std: std > 1e-12 ? std : 1 };
}

function fitTarget(
  table: CsvTable,
  index: number,
  forcedCategorical: boolean,
  opts: TabularFitOptions,
): TabularTarget {
  const column = table.header[index]!;
  const numeric = !forcedCategorical && isMostlyNumeric(table, index);
  if (opts.task === "regression") {
    if (!numeric) {
      throw new Error(`the target column '${column}' holds strings; a regression target must be numeric`);
    }
    return { column, task: "regression" };
  }
  if (!numeric) return { column, task: "classification", classes: distinct(table, index).sort() };
  const values = table.rows.map((_, r) => numberAt(table, r, index));
  const classes = [...new Set(values)].sort((a, b) => a - b);
  const fewIntegers = values.every(Number.isInteger) && classes.length <= (opts.maxClasses ?? 10);
  if (opts.task === "classification" || fewIntegers) {
    return { column, task: "classification", classes: classes.map(String) };
  }
  return { column, task: "regression" };
}

function encodedNames(column: FeatureColumn): string[] {
  return column.kind === "numeric" ? [column.name] : column.categories.map((c) => `${column.name}=${c}`);
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
function isMostlyNumeric(table: CsvTable, index: number): boolean {
  let numbers = 0;
  for (const row of table.rows) if (parseNumber(row[index]!) !== null) numbers++;
  return numbers * 2 > table.rows.length;
}

function distinct(table: CsvTable, index: number): string[] {
  return [...new Set(table.rows.map((row) => row[index]!))];
}

function parseNumber(cell: string): number | null {
  if (cell === "") return null;
  const value = Number(cell);
  return Number.isFinite(value) ? value : null;
}

function numberAt(table: CsvTable, r: number, index: number): number {
  const cell = table.rows[r]![index]!;
  const value = parseNumber(cell);
  if (value !== null) return value;
  if (cell === "")
    throw new Error(`${cellName(table, r, index)}: the cell is empty (missing values are not supported)`);
  throw new Error(`${cellName(table, r, index)}: '${cell}' is not a number`);
}

function cellName(table: CsvTable, r: number, index: number): string {
  return `row ${table.lines[r]}, column '${table.header[index]}'`;
}

function listed(names: readonly string[]): string {
  return names.length <= 12
    ? names.join(", ")
    : `${names.slice(0, 12).join(", ")}, … (${names.length} in all)`;
}
