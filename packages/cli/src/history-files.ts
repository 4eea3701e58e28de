/**
 * The training history next to the model: `history.jsonl` (one JSON object per epoch: loss,
 * accuracy, val_loss, val_accuracy, lr, seconds) and `history.svg` (loss and accuracy per epoch).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { train } from "deriva";
import { writeFileAtomic } from "deriva/node";
import type { LineSeries } from "./plot/line-chart.js";

export const HISTORY_JSONL = "history.jsonl";
export const HISTORY_SVG = "history.svg";

/** The epochs recorded in a model folder's history.jsonl ([] when there is none). */
export async function readHistory(dir: string): Promise<train.EpochLog[]> {
  const text = await readFile(join(dir, HISTORY_JSONL), "utf8").catch(() => null);
  if (text === null) return [];
  const logs: train.EpochLog[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    try {
      logs.push(JSON.parse(line) as train.EpochLog);
    } catch {
      throw new Error(`${join(dir, HISTORY_JSONL)}: line ${i + 1} is not JSON`);
    }
  }
  return logs;
}

/** Writes history.jsonl and history.svg into `dir` (each atomically). */
export async function writeHistory(dir: string, logs: readonly train.EpochLog[]): Promise<void> {
  await writeFileAtomic(join(dir, HISTORY_JSONL), logs.map((log) => `${JSON.stringify(log)}\n`).join(""));
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
