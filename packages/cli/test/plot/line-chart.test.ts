import { describe, expect, it } from "vitest";
import { lineChart } from "../../src/plot/line-chart.js";
import { findAll, parseSvg, pathCommands, textsOf } from "./svg.js";

const lines = (svg: string) =>
  findAll(parseSvg(svg), (e) => e.tag === "path" && e.attrs["aria-roledescription"] === "line mark");

describe("lineChart", () => {
  it("draws one line per series, with a legend, a title and axis labels", async () => {
    const svg = await lineChart(
      [
        { name: "loss", y: [0.9, 0.5, 0.3, 0.2] },
        { name: "val loss", y: [1.0, 0.7, 0.5, 0.45] },
      ],
      { title: "training history", xLabel: "epoch", yLabel: "loss" },
    );
    const root = parseSvg(svg);
    const drawn = lines(svg);
    expect(drawn).toHaveLength(2);
    // one move + three segments per line of four points
    for (const path of drawn) expect(pathCommands(path.attrs.d!)).toBe(4);
    expect(new Set(drawn.map((p) => p.attrs.stroke)).size).toBe(2);
    const texts = textsOf(root);
    for (const t of ["training history", "epoch", "loss", "val loss"]) expect(texts).toContain(t);
  });

  it("puts a series on a second y axis when asked (accuracy beside loss)", async () => {
    const svg = await lineChart(
      [
        { name: "loss", y: [2.3, 0.4] },
        { name: "accuracy", y: [0.1, 0.9], axis: "right" },
      ],
      { xLabel: "epoch", rightLabel: "accuracy" },
    );
    const texts = textsOf(parseSvg(svg));
    expect(lines(svg)).toHaveLength(2);
    // each axis spans its own data: the left one reaches 2.x, the right one stays within [0, 1]
    expect(texts.some((t) => /^2\.\d/.test(t))).toBe(true);
    expect(texts).toContain("accuracy");
  });

  it("places points at their x coordinates, left to right", async () => {
    const svg = await lineChart([{ name: "f", x: [0, 10, 5], y: [1, 3, 2] }], { points: true });
    const d = lines(svg)[0]!.attrs.d!;
    const xs = [...d.matchAll(/[ML](-?[\d.]+),/g)].map((m) => Number(m[1]));
    expect(xs).toHaveLength(3);
    expect(xs[0]).toBeLessThan(xs[1]!);
  });

  it("leaves a gap at a non-finite value instead of failing", async () => {
    const svg = await lineChart([{ name: "loss", y: [1, Number.NaN, 0.5, 0.4] }]);
    const d = lines(svg)[0]!.attrs.d!;
    expect((d.match(/M/g) ?? []).length).toBe(2);
  });

  it("rejects bad input with a message naming the series", async () => {
    expect(() => lineChart([])).toThrow(/at least one series/);
    expect(() => lineChart([{ name: "a", x: [1, 2], y: [1] }])).toThrow(/'a' has 2 x values but 1 y values/);
    expect(() =>
      lineChart([
        { name: "a", y: [1] },
        { name: "a", y: [2] },
      ]),
    ).toThrow(/two series are named 'a'/);
    expect(() => lineChart([{ name: "loss", y: [1, -1] }], { logY: true })).toThrow(/logY.*'loss' has -1/);
  });
});
