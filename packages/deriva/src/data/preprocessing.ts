/**
 * A saved preprocessing, checked field by field: what a model folder's reader accepts, and what
 * training checks before it saves (so a model is never saved that its reader would refuse).
 */
import type { Preprocessing } from "./dataset.js";
import type { ImagePreprocessing } from "./image.js";
import type { FeatureColumn, TabularPreprocessing, TabularTarget } from "./tabular.js";

/** The shape of one input sample: [features] for tables, [C, H, W] (or [C·H·W] when flat) for images. */
export function inputShapeOf(prep: Preprocessing): number[] {
  if (prep.kind === "tabular") return [prep.featureNames.length];
  const { channels, height, width } = prep;
  return prep.layout === "flat" ? [channels * height * width] : [channels, height, width];
}

/**
 * Checks parsed JSON as a preprocessing and returns it typed. A refusal is one line that names
 * `source`, the column and the field: `model.json: the preprocessing is corrupt: columns[2] ('age'):
 * std must be a positive finite number, got -1`.
 */
export function checkPreprocessing(value: unknown, source: string): Preprocessing {
  const fail = (what: string): never => {
    throw new Error(`${source}: the preprocessing is corrupt: ${what}`);
  };
  if (!isRecord(value)) return fail(`it must be an object, got ${describe(value)}`);
  if (value.kind === "image") return checkImage(value, fail);
  if (value.kind === "tabular") return checkTabular(value, fail);
  return fail(`kind must be "image" or "tabular", got ${describe(value.kind)}`);
}

type Fail = (what: string) => never;

function checkImage(value: Record<string, unknown>, fail: Fail): ImagePreprocessing {
  const { height, width, channels, layout } = value;
  if (!isCount(height)) fail(`height must be a positive integer, got ${describe(height)}`);
  if (!isCount(width)) fail(`width must be a positive integer, got ${describe(width)}`);
  if (channels !== 1 && channels !== 3) fail(`channels must be 1 or 3, got ${describe(channels)}`);
  if (layout !== "nchw" && layout !== "flat")
    fail(`layout must be "nchw" or "flat", got ${describe(layout)}`);
  const checked = { kind: "image", height, width, channels, layout } as ImagePreprocessing;
  const { mean, std } = value;
  if (mean === undefined && std === undefined) return checked;
  // per-channel standardization: one mean and one positive std per channel
  const perChannel = (name: string, list: unknown, ok: (v: number) => boolean): number[] => {
    if (
      !Array.isArray(list) ||
      list.length !== channels ||
      !list.every((v) => typeof v === "number" && ok(v))
    ) {
      fail(
        `${name} must list ${channels} ${name === "std" ? "positive " : ""}finite numbers (one per channel), got ${describe(list)}`,
      );
    }
    return [...(list as number[])];
  };
  return {
    ...checked,
    mean: perChannel("mean", mean, Number.isFinite),
    std: perChannel("std", std, (v) => Number.isFinite(v) && v > 0),
  };
}

function checkTabular(value: Record<string, unknown>, fail: Fail): TabularPreprocessing {
  const { columns, featureNames, target } = value;
  if (!Array.isArray(columns)) return fail(`columns must be a list, got ${describe(columns)}`);
  const checked = columns.map((column, i) => checkColumn(column, i, fail));
  const seen = new Set<string>();
  for (const [i, column] of checked.entries()) {
    if (seen.has(column.name)) fail(`columns[${i}]: the column '${column.name}' appears twice`);
    seen.add(column.name);
  }
  const expected = checked.flatMap(encodedNames);
  if (
    !Array.isArray(featureNames) ||
    featureNames.length !== expected.length ||
    featureNames.some((name, i) => name !== expected[i])
  ) {
    fail(
      `featureNames must list the encoded inputs of the columns (${expected.length}: ${listed(expected)}), got ${describe(featureNames)}`,
    );
  }
  return {
    kind: "tabular",
    columns: checked,
    target: checkTarget(target, seen, fail),
    featureNames: expected,
  };
}

function checkColumn(column: unknown, i: number, fail: Fail): FeatureColumn {
  if (!isRecord(column)) return fail(`columns[${i}] must be an object, got ${describe(column)}`);
  const { name, kind } = column;
  if (typeof name !== "string" || name === "") {
    return fail(`columns[${i}]: name must be a non-empty string, got ${describe(name)}`);
  }
  const where = `columns[${i}] ('${name}')`;
  if (kind === "numeric") {
    const { mean, std } = column;
    if (typeof mean !== "number" || !Number.isFinite(mean)) {
      fail(`${where}: mean must be a finite number, got ${describe(mean)}`);
    }
    if (typeof std !== "number" || !Number.isFinite(std) || !(std > 0)) {
      fail(`${where}: std must be a positive finite number, got ${describe(std)}`);
    }
    return { name, kind, mean: mean as number, std: std as number };
  }
  if (kind === "categorical") {
    const { categories } = column;
    if (
      !Array.isArray(categories) ||
      categories.length === 0 ||
      !categories.every((c) => typeof c === "string") ||
      new Set(categories).size !== categories.length
    ) {
      fail(`${where}: categories must be a non-empty list of distinct strings, got ${describe(categories)}`);
    }
    return { name, kind, categories: [...(categories as string[])] };
  }
  return fail(`${where}: kind must be "numeric" or "categorical", got ${describe(kind)}`);
}

function checkTarget(target: unknown, features: ReadonlySet<string>, fail: Fail): TabularTarget {
  if (!isRecord(target)) return fail(`target must be an object, got ${describe(target)}`);
  const { column, task, classes } = target;
  if (typeof column !== "string" || column === "") {
    return fail(`target: column must be a non-empty string, got ${describe(column)}`);
  }
  if (features.has(column)) fail(`target: the column '${column}' is also an input column`);
  if (task === "regression") return { column, task };
  if (task !== "classification") {
    return fail(`target ('${column}'): task must be "classification" or "regression", got ${describe(task)}`);
  }
  if (
    !Array.isArray(classes) ||
    classes.length < 2 ||
    !classes.every((c) => typeof c === "string") ||
    new Set(classes).size !== classes.length
  ) {
    fail(
      `target ('${column}'): classes must be a list of at least two distinct strings, got ${describe(classes)}`,
    );
  }
  return { column, task, classes: [...(classes as string[])] };
}

/** The names of a column's encoded inputs: the column for a number, `name=category` for each category. */
export function encodedNames(column: FeatureColumn): string[] {
  return column.kind === "numeric" ? [column.name] : column.categories.map((c) => `${column.name}=${c}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

/** A value as JSON, cut short: what a message shows of a wrong field. */
function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function listed(names: readonly string[]): string {
  return names.length <= 6 ? names.join(", ") : `${names.slice(0, 6).join(", ")}, …`;
}
