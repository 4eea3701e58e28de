/**
 * The training history's chart beside the model: `history.svg` (loss and accuracy per epoch), drawn
 * from the epochs of history.jsonl (which the library writes with the model).
 */
import { join } from "node:path";
import type { train } from "deriva";
import { writeFileAtomic } from "deriva/node";
import type { LineSeries } from "./plot/line-chart.js";

export const HISTORY_SVG = "history.svg";

/** Draws the epochs' losses and accuracies into `dir`/history.svg (atomically); nothing for no epochs. */
export async function writeHistorySvg(dir: string, logs: readonly train.EpochLog[]): Promise<void> {
  if (logs.length === 0) return;
  const { lineChart } = await import("./plot/line-chart.js"); // Vega loads only when a plot is drawn
  const x = logs[0]!.epoch === 1 ? undefined : logs.map((log) => log.epoch);
  const series = (
    name: string,
    pick: (log: train.EpochLog) => number | undefined,
    axis: "left" | "right",
  ): LineSeries[] =>
    logs.some((log) => pick(log) !== undefined)
      ? [{ name, y: logs.map((log) => pick(log) ?? Number.NaN), axis, ...(x === undefined ? {} : { x }) }]
      : [];
  const svg = await lineChart(
    [
      ...series("loss", (log) => log.loss, "left"),
      ...series("val loss", (log) => log.valLoss, "left"),
      ...series("accuracy", (log) => log.accuracy, "right"),
      ...series("val accuracy", (log) => log.valAccuracy, "right"),
    ],
    { title: "training history", xLabel: "epoch", yLabel: "loss", rightLabel: "accuracy" },
  );
  await writeFileAtomic(join(dir, HISTORY_SVG), svg);
}
