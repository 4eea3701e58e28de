/** Text the training commands print: counts, percentages, the architecture in one line, the confusion matrix. */

import type { nn } from "deriva";
import { alignedTable } from "./table.js";

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
  const header = ["", ...classes];
  const rows = matrix.map((row, i) => [classes[i] ?? String(i), ...row.map(String)]);
  return [
    "confusion matrix (rows: true class, columns: predicted class):",
    ...alignedTable(header, rows).map((l) => `  ${l}`),
  ];
}
