import { minimize, parseExpression } from "deriva";
import { describe, expect, it } from "vitest";
import { descentPlot } from "../../src/plot/descent.js";
import { findAll, parseSvg, type SvgElement, textsOf } from "./svg.js";

/** The drawn elements of a named mark group. */
function marks(root: SvgElement, name: string): SvgElement[] {
  const group = findAll(root, (e) => e.tag === "g" && (e.attrs.class ?? "").split(" ").includes(name))[0];
  if (!group) throw new Error(`no mark group ${name}`);
  return findAll(group, (e) => e.tag === "path" && e.attrs.d !== undefined && e.attrs.d !== "");
}

/** The [x, y] vertices of an SVG path made of M/L commands. */
function vertices(d: string): [number, number][] {
  return [...d.matchAll(/[ML](-?[\d.e-]+),(-?[\d.e-]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

describe("descentPlot", () => {
  it("draws the 1-D curve with every iterate on it, joined in order", async () => {
    const f = parseExpression("x^2 - 4x + 6");
    const result = minimize(f.source, 8, { lr: 0.1, maxIter: 20 });
    const path = [[8], ...result.trace.map((s) => s.x)];
    const root = parseSvg(await descentPlot((p) => f.atNumbers(p), path, { title: "gd from 8" }));
    expect(marks(root, "curve_marks")).toHaveLength(1);
    const line = marks(root, "path_marks");
    expect(line).toHaveLength(1);
    const points = vertices(line[0]!.attrs.d!);
    expect(points).toHaveLength(21);
    // x decreases along the descent from 8 towards 2: pixels move left
    for (let i = 1; i < points.length; i++) expect(points[i]![0]).toBeLessThan(points[i - 1]![0]);
    expect(marks(root, "iterates_marks")).toHaveLength(21);
    const texts = textsOf(root);
    for (const t of ["gd from 8", "x", "f(x)", "start"]) expect(texts).toContain(t);
  });

  it("draws contour lines of a 2-D function centred where f is lowest, and the path over them", async () => {
    // circles around (3, -1): the path's bounding box is centred there, and so is the plot
    const f = ([x, y]: readonly number[]) => (x! - 3) ** 2 + (y! + 1) ** 2;
    const width = 300;
    const height = 300;
    const root = parseSvg(
      await descentPlot(
        f,
        [
          [2, -2],
          [3.5, -0.5],
          [4, 0],
        ],
        { width, height, variables: ["a", "b"] },
      ),
    );
    const rings = marks(root, "contour_marks");
    expect(rings.length).toBeGreaterThanOrEqual(5);
    let centred = 0;
    // each level is one path of closed sub-paths (the region where f ≥ level: the border, and a circular hole)
    for (const sub of rings.flatMap((r) => r.attrs.d!.split(/(?=M)/))) {
      const pts = vertices(sub);
      const cx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
      const cy = pts.reduce((s, p) => s + p[1], 0) / pts.length;
      // closed rings fully inside the view are centred on the minimum, to a fraction of a grid cell
      const inside = pts.every(([x, y]) => x > 0 && x < width && y > 0 && y < height);
      if (inside) {
        expect(Math.abs(cx - width / 2)).toBeLessThan(1);
        expect(Math.abs(cy - height / 2)).toBeLessThan(1);
        centred++;
      }
    }
    expect(centred).toBeGreaterThanOrEqual(3);
    const path = vertices(marks(root, "path_marks")[0]!.attrs.d!);
    expect(path).toHaveLength(3);
    // y grows upwards: the path goes right and up on screen
    expect(path[2]![0]).toBeGreaterThan(path[0]![0]);
    expect(path[2]![1]).toBeLessThan(path[0]![1]);
    const texts = textsOf(root);
    expect(texts).toContain("a");
    expect(texts).toContain("b");
  });

  it("rejects paths it cannot draw", () => {
    expect(() => descentPlot(() => 0, [])).toThrow(/one or two variables/);
    expect(() => descentPlot(() => 0, [[1, 2, 3]])).toThrow(/one or two variables/);
    expect(() => descentPlot(() => 0, [[1], [Number.NaN]])).toThrow(/point 1 of the path/);
  });
});
