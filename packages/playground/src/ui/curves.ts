/**
 * Curves that grow while a model trains (losses per step or epoch), drawn by uPlot, which
 * redraws thousands of points within a frame.
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { series as palette } from "./canvas";
import { h } from "./dom";

export interface LiveChart {
  element: HTMLElement;
  /** Replaces the data: x values and one array per series. */
  set(xs: number[], ys: (number | null)[][]): void;
  /** Fits the chart to its container's width. */
  fit(): void;
  destroy(): void;
}

/** A chart of several series against x, with a log-scaled y when asked (losses). */
export function liveChart(opts: {
  label: string;
  xLabel: string;
  series: string[];
  logY?: boolean;
  logX?: boolean;
  height?: number;
}): LiveChart {
  const element = h("div", { class: "chart", role: "img", "aria-label": opts.label });
  const height = opts.height ?? 220;
  const plot = new uPlot(
    {
      width: 600,
      height,
      legend: { show: true },
      cursor: { show: true, drag: { x: false, y: false } },
      scales: {
        x: { time: false, distr: opts.logX ? 3 : 1 },
        y: { distr: opts.logY ? 3 : 1 },
      },
      axes: [{ label: opts.xLabel, size: 40 }, { size: 64 }],
      series: [
        { label: opts.xLabel },
        ...opts.series.map((label, i) => ({
          label,
          stroke: palette[i % palette.length],
          width: 2,
          points: { show: false },
        })),
      ],
    },
    [[], ...opts.series.map(() => [])],
    element,
  );
  const fit = () => {
    const parent = element.parentElement;
    const padding = parent ? Number.parseFloat(getComputedStyle(parent).paddingLeft) * 2 : 0;
    const width = Math.max(240, Math.min(720, (parent?.clientWidth ?? 600) - padding));
    plot.setSize({ width, height });
  };
  return {
    element,
    set(xs, ys) {
      plot.setData([xs, ...ys] as uPlot.AlignedData);
    },
    fit,
    destroy: () => plot.destroy(),
  };
}
