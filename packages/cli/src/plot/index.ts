/**
 * deriva/plot: charts as SVG strings, rendered headless by Vega (no canvas, no DOM), for Node and
 * browsers. Kept out of the main entry so that importing "deriva" does not load Vega.
 */
export { type DescentPlotOptions, descentPlot } from "./descent.js";
export { type LineChartOptions, type LineSeries, lineChart } from "./line-chart.js";
