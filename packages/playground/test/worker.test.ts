/**
 * The worker's computations, run in Node on the library's sources (the page only draws what
 * these return): the document's numbers, the parser's errors, the chain rule's gradients, and
 * training that learns.
 */
import { describe, expect, it } from "vitest";
import { decodeImageSet, encodeImageSet } from "../src/data/image-set";
import { toyPoints } from "../src/data/toy";
import { contours, cost, parabola, race, routes } from "../src/worker/functions";
import { networkReset, networkTrain } from "../src/worker/network";
import { neuronReset, neuronTrain } from "../src/worker/neuron";
import { rateCurves } from "../src/worker/rates";
import { sigmoidGraph } from "../src/worker/sigmoid";

describe("the first chapters", () => {
  it("computes the quadratic cost both ways", async () => {
    const points: [number, number][] = [
      [0, 1],
      [1, 3],
      [2, 2],
    ];
    const result = await cost({ points, slope: 1, intercept: 1 });
    // residuals 0, −1, 1: C = 2/3 and half of it
    expect(result.residuals).toEqual([0, -1, 1]);
    expect(result.mse).toBeCloseTo(2 / 3, 6);
    expect(result.quadratic).toBeCloseTo(1 / 3, 6);
  });

  it("walks the document's steps down the parabola and refuses a rate of 1.1", () => {
    const run = parabola({ lr: 0.1, x0: 8 });
    expect(run.steps.slice(0, 4).map((s) => s.x.toFixed(2))).toEqual(["6.80", "5.84", "5.07", "4.46"]);
    expect(run.converged).toBe(true);
    expect(run.steps.at(-1)!.x).toBeCloseTo(2, 5);
    const wild = parabola({ lr: 1.1, x0: 8 });
    expect(wild.diverged).toBe(true);
    expect(wild.reason).toMatch(/too large/);
    expect(parabola({ lr: "auto", x0: 8 }).steps).toHaveLength(1);
  });

  it("finds the minimum by every route and reports the parser's column", async () => {
    const result = await routes({ expression: "x^2 - 4x + 6", x0: 8, bounds: [-10, 10] });
    if (!("ok" in result)) throw new Error(result.problem.message);
    expect(result.ok.derivative).toBe("2*x - 4");
    expect(result.ok.second).toBe("2");
    expect(result.ok.analytic).toEqual({ points: [{ x: 2, value: 2, kind: "minimum" }] });
    expect(result.ok.newton.iterations).toBe(1);
    expect(result.ok.grid.x[0]).toBeCloseTo(2, 3);
    const bad = await routes({ expression: "x^2 - (4x", x0: 8, bounds: [-10, 10] });
    expect(bad).toEqual({ problem: { message: "unclosed '(' at column 7", column: 7 } });
    const sine = await routes({ expression: "sin(x) + x^2/10", x0: 3, bounds: [-10, 10] });
    if (!("ok" in sine)) throw new Error("sin(x) + x^2/10 should parse");
    expect(sine.ok.analytic).toHaveProperty("error");
    expect(sine.ok.newton.converged).toBe(true);
  });

  it("evaluates contours and races the minimizers on Rosenbrock", async () => {
    const grid = await contours({ expression: "(1-x)^2 + 100(y-x^2)^2", box: [-2, 2, -1, 3], n: 5 });
    if (!("values" in grid)) throw new Error(grid.problem.message);
    // row 0 is y = 3, column 0 is x = −2; row 2, column 3 is (1, 1), the minimum
    expect(grid.values[0]).toBeCloseTo(9 + 100 * 1, 6);
    expect(grid.values[2 * 5 + 3]).toBe(0);
    const result = await race({
      expression: "(1-x)^2 + 100(y-x^2)^2",
      start: [-1.2, 1],
      methods: ["lbfgs", "newton", "adam"],
      lr: 0.001,
      maxIter: 500,
    });
    if (!("paths" in result)) throw new Error(result.problem.message);
    const [lbfgs, newton, adam] = result.paths;
    expect(lbfgs!.converged && newton!.converged).toBe(true);
    expect(lbfgs!.path.slice(0, 2)).toEqual([-1.2, 1]);
    expect(adam!.converged).toBe(false);
    expect(adam!.reason).toMatch(/max-iter/);
  });
});

describe("the chain rule", () => {
  it("gives every node's gradient as the chain rule does by hand", async () => {
    const [x, w, b, y] = [[1, 2] as [number, number], [0.5, -0.3] as [number, number], 0.1, 1];
    const { nodes, secondW1, curves } = await sigmoidGraph({ x, w, b, y });
    const z = w[0] * x[0] + w[1] * x[1] + b;
    const s = 1 / (1 + Math.exp(-z));
    const dC = s - y;
    const dz = dC * s * (1 - s);
    const node = (name: string) => nodes.find((n) => n.name === name)!;
    expect(node("z").value).toBeCloseTo(z, 12);
    expect(node("ŷ").grad).toBeCloseTo(dC, 12);
    expect(node("z").grad).toBeCloseTo(dz, 12);
    expect(node("w₁").grad).toBeCloseTo(dz * x[0], 12);
    expect(node("x₂").grad).toBeCloseTo(dz * w[1], 12);
    expect(node("b").grad).toBeCloseTo(dz, 12);
    // d²C/dw₁² = x₁² (σ′² + (σ − y) σ″), σ″ = σ′(1 − 2σ)
    const d1 = s * (1 - s);
    expect(secondW1).toBeCloseTo(x[0] ** 2 * (d1 * d1 + dC * d1 * (1 - 2 * s)), 12);
    const middle = curves.zs.indexOf(0);
    expect(curves.sigma[middle]).toBeCloseTo(0.5, 12);
    expect(curves.d1[middle]).toBeCloseTo(0.25, 12);
    expect(curves.d2[middle]).toBeCloseTo(0, 12);
  });
});

describe("training in the worker", () => {
  it("the sigmoid neuron separates the blobs", async () => {
    const start = await neuronReset({ seed: 1, spread: 1.2 });
    expect(start.cost).toBeCloseTo(0.125, 6); // σ(0) = ½ everywhere: ½ · ¼
    const end = await neuronTrain({ lr: 2, batchSize: 20, steps: 300, ms: 10_000 });
    expect(end.step).toBe(300);
    expect(end.cost).toBeLessThan(0.05);
    expect(end.accuracy).toBeGreaterThan(0.9);
    expect(end.field).toHaveLength(end.grid * end.grid);
  });

  it("the network learns xor", async () => {
    const start = await networkReset({
      dataset: "xor",
      noise: 0,
      trainRatio: 50,
      seed: 2,
      features: ["x", "y"],
      hidden: [8, 4],
      activation: "tanh",
    });
    expect(start.neurons).toHaveLength(12 * start.neuronGrid ** 2);
    const end = await networkTrain({
      lr: 0.03,
      batchSize: 10,
      regularization: "l2",
      regRate: 0.0001,
      steps: 1500,
      ms: 60_000,
    });
    expect(end.testLoss).toBeLessThan(start.testLoss / 3);
    expect(end.weights.map((w) => w.length)).toEqual([16, 32, 4]);
  });

  it("draws the rate curves and the range test's suggestion", async () => {
    const { curves, finder } = await rateCurves({ rates: [0.001, 0.03, 1], steps: 100, seed: 1 });
    const last = (c: { losses: number[] }) => c.losses.at(-1)!;
    expect(last(curves[1]!)).toBeLessThan(last(curves[0]!));
    expect(curves[2]!.losses.length < 100 || !(last(curves[2]!) < last(curves[1]!))).toBe(true);
    expect(finder.suggestion).toBeGreaterThan(1e-4);
    expect(finder.suggestion).toBeLessThan(10);
  });
});

describe("the data", () => {
  it("round-trips an image set and refuses a broken one", () => {
    const set = {
      count: 3,
      trainCount: 2,
      channels: 1,
      height: 2,
      width: 2,
      classes: 2,
      labels: Uint8Array.from([0, 1, 1]),
      pixels: Uint8Array.from({ length: 12 }, (_, i) => i * 20),
    };
    const bytes = encodeImageSet(set);
    expect(decodeImageSet(bytes, "t.bin")).toEqual(set);
    expect(() => decodeImageSet(bytes.subarray(0, bytes.length - 1), "t.bin")).toThrow(
      /t.bin .*bytes where the header implies/,
    );
    const wrong = bytes.slice();
    wrong[32] = 7;
    expect(() => decodeImageSet(wrong, "t.bin")).toThrow(/image 0 has label 7/);
  });

  it("makes the same toy points from the same seed, labelled as the set says", () => {
    const a = toyPoints("xor", 100, 0, 3);
    expect(toyPoints("xor", 100, 0, 3)).toEqual(a);
    for (let i = 0; i < 100; i++) expect(a[i * 3 + 2]).toBe(a[i * 3]! * a[i * 3 + 1]! >= 0 ? 1 : 0);
  });
});
