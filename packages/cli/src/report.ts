/** Text the training commands print: counts, percentages, the architecture in one line, the confusion matrix. */

import type { nn } from "deriva";
import { writeFileAtomic } from "deriva/node";
import { printable } from "./printable.js";
import { alignedTable, csvLine } from "./table.js";

/** 7200 → "7,200". */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** 0.96125 → "96.13%". */
export function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(2)}%`;
}

/** A number in 4 significant digits (0.001, 0.2134, 1.235e-5). */
export function short(value: number): string {
  return Number(value.toPrecision(4)).toString();
}

/** The layers of a Sequential as `Flatten → Linear(784, 256) → ReLU → Linear(256, 10)`. */
export function architectureLine(config: nn.LayerConfig): string {
  const layers = config.type === "Sequential" ? config.layers : [config];
  return layers.map(layerText).join(" → ");
}

function layerText(layer: nn.LayerConfig): string {
  switch (layer.type) {
    case "Linear":
      return `Linear(${layer.in}, ${layer.out})`;
    case "Conv2d":
      return `Conv2d(${layer.in}, ${layer.out}, ${size(layer.kernel)})`;
    case "MaxPool2d":
    case "AvgPool2d":
      return `${layer.type}(${size(layer.kernel)})`;
    case "Dropout":
      return `Dropout(${layer.p ?? 0.5})`;
    case "BatchNorm1d":
    case "BatchNorm2d":
      return `${layer.type}(${layer.features})`;
    case "Sequential":
      return `(${architectureLine(layer)})`;
    default:
      return layer.type;
  }
}

function size(s: number | [number, number]): string {
  return typeof s === "number" ? `${s}×${s}` : `${s[0]}×${s[1]}`;
}

/** The confusion matrix as aligned lines: a row per true class, a column per predicted class. */
export function confusionLines(matrix: readonly (readonly number[])[], classes: readonly string[]): string[] {
  const names = classes.map(printable);
  const header = ["", ...names];
  const rows = matrix.map((row, i) => [names[i] ?? String(i), ...row.map(String)]);
  return [
    "confusion matrix (rows: true class, columns: predicted class):",
    ...alignedTable(header, rows).map((l) => `  ${l}`),
  ];
}

/** Above this many classes the matrix goes to a CSV file and a per-class summary is printed instead. */
export const MAX_PRINTED_CLASSES = 20;

/**
 * The confusion matrix as lines to print: the matrix itself for up to 20 classes; above that, a
 * line per class (samples, correct, recall, precision), the whole matrix being written to `csvPath`.
 * `data` names the data in the title ("validation data").
 */
export async function confusionReport(
  matrix: readonly (readonly number[])[],
  classes: readonly string[],
  csvPath: string,
  data?: string,
): Promise<string[]> {
  const on = data === undefined ? "" : ` on the ${data}`;
  if (classes.length <= MAX_PRINTED_CLASSES) {
    const [title, ...lines] = confusionLines(matrix, classes);
    return [data === undefined ? title! : `confusion matrix${on}:`, ...lines];
  }
  await writeFileAtomic(
    csvPath,
    [
      csvLine(["true \\ predicted", ...classes]),
      ...matrix.map((row, i) => csvLine([classes[i]!, ...row.map(String)])),
    ]
      .map((line) => `${line}\n`)
      .join(""),
  );
  const predicted = classes.map((_, c) => matrix.reduce((sum, row) => sum + row[c]!, 0));
  const rows = matrix.map((row, i) => {
    const samples = row.reduce((a, b) => a + b, 0);
    const correct = row[i]!;
    const rate = (part: number, whole: number) => (whole === 0 ? "–" : percent(part / whole));
    return [
      printable(classes[i]!),
      count(samples),
      count(correct),
      rate(correct, samples),
      rate(correct, predicted[i]!),
    ];
  });
  return [
    `per class${on} (the ${classes.length}×${classes.length} confusion matrix is in ${printable(csvPath)}):`,
    ...alignedTable(["class", "samples", "correct", "recall", "precision"], rows).map((l) => `  ${l}`),
  ];
}
