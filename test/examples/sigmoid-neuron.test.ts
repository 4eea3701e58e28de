import { Generator, grad, type Tensor, tensor } from "deriva";
import { describe, expect, it } from "vitest";
import { cost, makeBlobs, neuron, train } from "../../examples/sigmoid-neuron.js";
import { expectClose } from "../../packages/deriva/test/nn/expect-close.js";
import { runExample } from "./run-example.js";

/** ∂C/∂w = 1/N Σ (ŷ − y) ŷ (1 − ŷ) x and ∂C/∂b = 1/N Σ (ŷ − y) ŷ (1 − ŷ), with plain loops. */
function closedForm(w: number[], b: number, x: number[][], y: number[]): { dw: number[]; db: number } {
  const n = x.length;
  const dw = [0, 0];
  let db = 0;
  for (let i = 0; i < n; i++) {
    const z = w[0]! * x[i]![0]! + w[1]! * x[i]![1]! + b;
    const yHat = 1 / (1 + Math.exp(-z));
    const delta = ((yHat - y[i]!) * yHat * (1 - yHat)) / n;
    dw[0]! += delta * x[i]![0]!;
    dw[1]! += delta * x[i]![1]!;
    db += delta;
  }
  return { dw, db };
}

describe("examples/sigmoid-neuron.ts", () => {
  it("autodiff's gradient of the quadratic cost equals the closed form (float64, 1e-12)", () => {
    const data = makeBlobs(25, 7, "float64");
    const x = data.x.toArray() as number[][];
    const y = data.y.toArray() as number[];
    const generator = new Generator(3);
    for (let trial = 0; trial < 5; trial++) {
      const wValues = [generator.normal() * 2, generator.normal() * 2];
      const bValue = generator.normal();
      const w = tensor(wValues, { dtype: "float64" });
      const b = tensor(bValue, { dtype: "float64" });
      const [dw, db] = grad(cost, { argnums: [0, 1] })(w, b, data.x, data.y) as Tensor[];
      const expected = closedForm(wValues, bValue, x, y);
      expect(dw!.dtype).toBe("float64");
      expectClose(dw!, expected.dw, 1e-12);
      expectClose([db!.item()], [expected.db], 1e-12);
      // the document's formula without the factor x is not the gradient
      expect(Math.abs(dw!.data()[0]! - expected.db)).toBeGreaterThan(1e-6);
    }
  });

  it("the neuron is σ(wᵀx + b)", () => {
    const y = neuron(tensor([1, -1]), tensor(0.5), tensor([[2, 1]])).item();
    expect(y).toBeCloseTo(1 / (1 + Math.exp(-1.5)), 6);
  });

  it("mini-batch gradient descent makes the cost fall and separates the blobs", () => {
    const epochs: number[] = [];
    const result = train(makeBlobs(100, 2), { epochs: 8, onEpoch: (e) => epochs.push(e) });
    expect(epochs).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(result.costs[0]).toBeCloseTo(0.125, 6); // ŷ = 0.5 for every point at w = 0, b = 0
    expect(result.costs.at(-1)!).toBeLessThan(0.25 * result.costs[0]!);
    expect(result.costs[3]!).toBeLessThan(result.costs[1]!);
    expect(result.accuracy).toBeGreaterThan(0.9);
    // seeded: the same run twice gives the same costs
    expect(train(makeBlobs(100, 2), { epochs: 8 }).costs).toEqual(result.costs);
  });

  it("runs as a script and prints the cost as it falls", () => {
    const out = runExample("examples/sigmoid-neuron.ts");
    const costs = [...out.matchAll(/^epoch +(\d+) +cost (\d\.\d+)/gm)].map((m) => Number(m[2]));
    expect(costs.length).toBeGreaterThan(5);
    expect(costs[0]).toBe(0.125);
    expect(costs.at(-1)!).toBeLessThan(costs[0]! / 4);
    expect(out).toMatch(/accuracy \d+\.\d %/);
  });
});
