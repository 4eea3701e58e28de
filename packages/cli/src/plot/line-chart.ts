/**
 * lineChart: several named series over a shared x axis, as an SVG string (e.g. the training history:
 * loss and accuracy per epoch). Rendered by Vega-Lite, headless and browser-safe.
 */
import type { TopLevelSpec } from "vega-lite";
import { renderVegaLite } from "./render.js";

/** One line of a chart. */
export interface LineSeries {
  /** The legend label, e.g. "loss" or "val accuracy"; unique within a chart. */
  name: string;
  /** The values, one per point; non-finite values leave a gap. */
  y: readonly number[];
  /** The x coordinate of each value (default 1, 2, …, y.length, as epochs are counted). */
  x?: readonly number[];
  /** The y axis this series is read against: "left" (default) or "right", a second scale for quantities of another size (accuracy beside loss). */
  axis?: "left" | "right";
}

export interface LineChartOptions {
  title?: string;
  /** Label of the x axis (default "x"). */
  xLabel?: string;
  /** Label of the left y axis (default "value"). */
  yLabel?: string;
  /** Label of the right y axis, when a series uses it (default: the names of its series). */
  rightLabel?: string;
  /** Plot area size in pixels (default 480 × 280); axes and legend come on top. */
  width?: number;
  height?: number;
  /** A logarithmic left axis (all its values must be positive), for losses spanning decades. */
  logY?: boolean;
  /** Draw a dot at every value (default: only when a series has at most 60 points). */
  points?: boolean;
}

interface Row {
  x: number;
  y: number | null;
  series: string;
}

function rowsOf(series: LineSeries, logY: boolean): Row[] {
  const { name, y } = series;
  const x = series.x ?? y.map((_, i) => i + 1);
  if (x.length !== y.length) {
    throw new Error(`lineChart: series '${name}' has ${x.length} x values but ${y.length} y values`);
  }
  return y.map((value, i) => {
    if (!Number.isFinite(x[i]!)) throw new Error(`lineChart: series '${name}' has x = ${x[i]} at index ${i}`);
    if (logY && series.axis !== "right" && value <= 0) {
      throw new Error(`lineChart: logY needs positive values; series '${name}' has ${value} at x = ${x[i]}`);
    }
    return { x: x[i]!, y: Number.isFinite(value) ? value : null, series: name };
  });
}

function checkSeries(series: readonly LineSeries[]): void {
  if (series.length === 0) throw new Error("lineChart: give at least one series");
  const seen = new Set<string>();
  for (const s of series) {
    if (s.y.length === 0) throw new Error(`lineChart: series '${s.name}' has no values`);
    if (seen.has(s.name)) throw new Error(`lineChart: two series are named '${s.name}'`);
    seen.add(s.name);
  }
}

/**
 * Draws several named series as lines over a shared x axis and returns the SVG markup.
 *
 * Each series is a list of y values (and optionally their x values; by default 1, 2, 3, … as for
 * epochs). Series with `axis: "right"` are read against a second y axis on the right, so a loss near
 * 0.1 and an accuracy near 0.9 can share one chart. The colors come from one legend.
 *
 * Works in Node and in browsers (no canvas, no DOM); writing the file is the caller's job.
 *
 * @example
 * const svg = await lineChart(
 *   [
 *     { name: "loss", y: [0.9, 0.5, 0.3] },
 *     { name: "accuracy", y: [0.6, 0.8, 0.9], axis: "right" },
 *   ],
 *   { title: "training", xLabel: "epoch" },
 * );
 */
export function lineChart(series: readonly LineSeries[], opts: LineChartOptions = {}): Promise<string> {
  checkSeries(series);
  const logY = opts.logY ?? false;
  const values = series.flatMap((s) => rowsOf(s, logY));
  const points = opts.points ?? series.every((s) => s.y.length <= 60);
  const color = { field: "series", type: "nominal" as const, title: null, sort: series.map((s) => s.name) };
  const counted = series.every((s) => s.x === undefined); // 1, 2, 3, …: whole-number ticks
  const x = {
    field: "x",
    type: "quantitative" as const,
    title: opts.xLabel ?? "x",
    axis: counted ? { tickMinStep: 1, format: "d" } : {},
  };
  const layer = (side: "left" | "right", title: string, log: boolean) => ({
    transform: [
      {
        filter: {
          field: "series",
          oneOf: series.filter((s) => (s.axis ?? "left") === side).map((s) => s.name),
        },
      },
    ],
    mark: { type: "line" as const, point: points, interpolate: "linear" as const },
    encoding: {
      x,
      y: {
        field: "y",
        type: "quantitative" as const,
        title,
        scale: log ? { type: "log" as const } : { zero: false },
        axis: { orient: side },
      },
      color,
    },
  });
  const right = series.filter((s) => s.axis === "right");
  const layers = [];
  if (right.length < series.length) layers.push(layer("left", opts.yLabel ?? "value", logY));
  if (right.length > 0)
    layers.push(layer("right", opts.rightLabel ?? right.map((s) => s.name).join(", "), false));
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    ...(opts.title ? { title: opts.title } : {}),
    width: opts.width ?? 480,
    height: opts.height ?? 280,
    background: "white",
    data: { values },
    layer: layers,
    resolve: { scale: { y: "independent" } },
  };
  return renderVegaLite(spec);
}
