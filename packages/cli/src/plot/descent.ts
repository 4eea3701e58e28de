/**
 * descentPlot: a function with the path of a minimizer's iterates drawn on it, as SVG. In 1-D, the
 * curve y = f(x) with the iterates as dots joined in order; in 2-D, contour lines of f with the path
 * across them. Rendered by Vega (contours by its isocontour transform), headless and browser-safe.
 */
import type { Mark, Spec } from "vega";
import type { TopLevelSpec } from "vega-lite";
import { renderVega, renderVegaLite } from "./render.js";

export interface DescentPlotOptions {
  title?: string;
  /** Axis names (default ["x"] in 1-D, ["x", "y"] in 2-D). */
  variables?: readonly string[];
  /** Plot area in pixels (default 480 × 320 in 1-D, 420 × 420 in 2-D). */
  width?: number;
  height?: number;
  /** Join the points in order (default true); false for points that are not a path (stationary points). */
  connect?: boolean;
}

/** Samples along each axis of the 2-D grid that the contours are traced on. */
const GRID = 120;
/** Samples of the 1-D curve. */
const CURVE_SAMPLES = 400;
const PATH_COLOR = "#d62728";

/** [low, high] covering the values with a margin (never empty). */
function span(values: readonly number[], margin = 0.15): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = hi > lo ? (hi - lo) * margin : Math.max(1, Math.abs(lo) * 0.5);
  return [lo - pad, hi + pad];
}

function checkPath(path: readonly (readonly number[])[], dimensions: number): void {
  if (path.length === 0) throw new Error("descentPlot: the path has no points");
  path.forEach((p, i) => {
    if (p.length !== dimensions || !p.every(Number.isFinite)) {
      throw new Error(
        `descentPlot: point ${i} of the path is [${p.join(", ")}], expected ${dimensions} finite number(s)`,
      );
    }
  });
}

function plot1d(
  f: (x: readonly number[]) => number,
  path: readonly (readonly number[])[],
  opts: DescentPlotOptions,
) {
  const name = opts.variables?.[0] ?? "x";
  const [lo, hi] = span(path.map((p) => p[0]!));
  const curve = Array.from({ length: CURVE_SAMPLES }, (_, i) => {
    const x = lo + ((hi - lo) * i) / (CURVE_SAMPLES - 1);
    const y = f([x]);
    return { x, y: Number.isFinite(y) ? y : null };
  });
  const points = path.map((p, i) => ({ i, x: p[0]!, y: f(p), label: i === 0 ? "start" : "" }));
  const x = {
    field: "x",
    type: "quantitative" as const,
    title: name,
    scale: { domain: [lo, hi], nice: false },
  };
  const y = { field: "y", type: "quantitative" as const, title: `f(${name})`, scale: { zero: false } };
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    ...(opts.title ? { title: opts.title } : {}),
    width: opts.width ?? 480,
    height: opts.height ?? 320,
    background: "white",
    layer: [
      {
        name: "curve",
        data: { values: curve },
        mark: { type: "line", color: "#4c78a8", strokeWidth: 2 },
        encoding: { x, y },
      },
      ...(opts.connect === false
        ? []
        : [
            {
              name: "path",
              data: { values: points },
              mark: { type: "line" as const, color: PATH_COLOR, strokeWidth: 1.5, opacity: 0.8 },
              encoding: { x, y, order: { field: "i", type: "quantitative" as const } },
            },
          ]),
      {
        name: "iterates",
        data: { values: points },
        mark: { type: "point", filled: true, color: PATH_COLOR, size: 45 },
        encoding: { x, y },
      },
      {
        data: { values: points.slice(0, 1) },
        mark: { type: "text", dy: -12, fontSize: 11 },
        encoding: { x, y, text: { field: "label" } },
      },
    ],
  };
  return renderVegaLite(spec);
}

/** Contour levels denser near the bottom of f's range, where the minimum is. */
function levels(values: readonly number[], count = 14): number[] {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const out: number[] = [];
  for (let k = 1; k <= count; k++) {
    const q = (k / (count + 1)) ** 2;
    const v = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    if (out.length === 0 || v > out[out.length - 1]!) out.push(v);
  }
  return out;
}

function plot2d(
  f: (x: readonly number[]) => number,
  path: readonly (readonly number[])[],
  opts: DescentPlotOptions,
) {
  const [xName, yName] = [opts.variables?.[0] ?? "x", opts.variables?.[1] ?? "y"];
  const width = opts.width ?? 420;
  const height = opts.height ?? 420;
  const [xlo, xhi] = span(
    path.map((p) => p[0]!),
    0.25,
  );
  const [ylo, yhi] = span(
    path.map((p) => p[1]!),
    0.25,
  );
  // samples at cell centres, row 0 at the top (y = yhi), as the contour tracer lays cells out; one
  // extra cell on each side, clipped away, hides the segments that close contours along the border
  const cells = GRID + 2;
  const raw: number[] = [];
  for (let j = 0; j < cells; j++) {
    for (let i = 0; i < cells; i++) {
      raw.push(f([xlo + ((xhi - xlo) * (i - 0.5)) / GRID, yhi - ((yhi - ylo) * (j - 0.5)) / GRID]));
    }
  }
  const finite = raw.filter(Number.isFinite);
  if (finite.length === 0) throw new Error("descentPlot: f is not finite anywhere around the path");
  const top = Math.max(...finite);
  const values = raw.map((v) => (Number.isFinite(v) ? v : top)); // outside the domain reads as high ground
  const thresholds = levels(values);
  const points = path.map((p, i) => ({ i, x: p[0]!, y: p[1]!, label: i === 0 ? "start" : "" }));
  const spec: Spec = {
    $schema: "https://vega.github.io/schema/vega/v6.json",
    ...(opts.title ? { title: { text: opts.title } } : {}),
    width,
    height,
    padding: 5,
    background: "white",
    data: [
      {
        name: "contours",
        values: [
          {
            width: cells,
            height: cells,
            values,
            scale: [width / GRID, height / GRID],
            translate: [-width / GRID, -height / GRID],
          },
        ],
        transform: [{ type: "isocontour", thresholds }],
      },
      { name: "path", values: points },
    ],
    scales: [
      { name: "x", type: "linear", domain: [xlo, xhi], range: "width", zero: false, nice: false },
      { name: "y", type: "linear", domain: [ylo, yhi], range: "height", zero: false, nice: false },
      {
        name: "level",
        type: "linear",
        domain: [thresholds[0]!, thresholds[thresholds.length - 1]!],
        range: { scheme: "viridis" },
      },
    ],
    axes: [
      { orient: "bottom", scale: "x", title: xName },
      { orient: "left", scale: "y", title: yName },
    ],
    legends: [{ stroke: "level", title: "f", type: "gradient", gradientLength: Math.min(200, height - 40) }],
    marks: [
      {
        type: "path",
        name: "contour_marks",
        from: { data: "contours" },
        clip: true,
        encode: {
          enter: {
            stroke: { scale: "level", field: "contour.value" },
            strokeWidth: { value: 1.2 },
            fill: { value: null },
          },
        },
        transform: [{ type: "geopath", field: "datum.contour" }],
      },
      ...(opts.connect === false
        ? []
        : [pathMark("line", "path_marks", { stroke: { value: PATH_COLOR }, strokeWidth: { value: 2 } })]),
      pathMark("symbol", "iterates_marks", { fill: { value: PATH_COLOR }, size: { value: 30 } }),
      pathMark("text", "start_marks", {
        dy: { value: -10 },
        text: { field: "label" },
        fontSize: { value: 11 },
      }),
    ],
  };
  return renderVega(spec);
}

/** A mark drawn at each point of the path, placed by the x and y scales. */
function pathMark(type: "line" | "symbol" | "text", name: string, style: Record<string, unknown>): Mark {
  return {
    type,
    name,
    from: { data: "path" },
    encode: { enter: { x: { scale: "x", field: "x" }, y: { scale: "y", field: "y" }, ...style } },
  } as Mark;
}

/**
 * Draws f around the path of the iterates and returns the SVG markup.
 *
 * `f` takes a point as an array of coordinates; `path` lists the points in order (the start first).
 * One coordinate: the curve y = f(x) with the iterates on it. Two: contour lines of f with the path
 * across them. The view spans the path with a margin.
 *
 * @example
 * const r = minimize("x^2 - 4x + 6", 8, { lr: 0.1 });
 * const svg = await descentPlot(([x]) => x * x - 4 * x + 6, [[8], ...r.trace.map((s) => s.x)]);
 */
export function descentPlot(
  f: (x: readonly number[]) => number,
  path: readonly (readonly number[])[],
  opts: DescentPlotOptions = {},
): Promise<string> {
  const dimensions = path[0]?.length ?? 0;
  if (dimensions !== 1 && dimensions !== 2) {
    throw new Error(
      `descentPlot: draws functions of one or two variables, got points with ${dimensions} coordinates`,
    );
  }
  checkPath(path, dimensions);
  return dimensions === 1 ? plot1d(f, path, opts) : plot2d(f, path, opts);
}
