/** Small seeded data sets for the training tests. */
import { data, Generator, type nn, type Tensor, tensor } from "../../src/index.js";

/** `perClass` points around each of three centres in 2-D (unit spread), labels 0..2 as int32. */
export function blobs(perClass: number, seed = 3): data.Dataset {
  const generator = new Generator(seed);
  const centres = [
    [-3, 0],
    [3, 0],
    [0, 4],
  ];
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 3 * perClass; i++) {
    const label = i % 3;
    x.push([centres[label]![0]! + generator.normal(), centres[label]![1]! + generator.normal()]);
    y.push(label);
  }
  return new data.Dataset({ x: tensor(x), y: tensor(y, { dtype: "int32" }), classNames: ["a", "b", "c"] });
}

/** y = 3x₀ − 2x₁ + 1 + noise/10 on points of a seeded normal cloud: a regression target [N, 1]. */
export function line(n: number, seed = 5): data.Dataset {
  const generator = new Generator(seed);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = [generator.normal(), generator.normal()];
    x.push([a, b]);
    y.push([3 * a - 2 * b + 1 + generator.normal() / 10]);
  }
  return new data.Dataset({ x: tensor(x), y: tensor(y) });
}

/** The model's weights as plain arrays by name. */
export function weightsOf(model: nn.Module): Record<string, number[]> {
  return Object.fromEntries(
    model.namedParameters().map(([name, p]: [string, Tensor]) => [name, Array.from(p.data())]),
  );
}
