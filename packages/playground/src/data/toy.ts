/**
 * The two-dimensional datasets of TensorFlow Playground (circle, xor, gauss, spiral; plane and
 * multigauss for regression), generated from a seed: points in [−6, 6]², labels 0/1 for the
 * classification sets and values in [−1, 1] for the regression ones.
 */
import { data } from "deriva";

export type ToyName = "circle" | "xor" | "gauss" | "spiral" | "plane" | "multigauss";

/** Whether a dataset is a regression (its labels are values, not classes). */
export const isRegression = (name: ToyName): boolean => name === "plane" || name === "multigauss";

/** Points as [x, y, label] triples, flattened. */
export type ToyPoints = Float32Array;

/**
 * `count` points of a dataset with `noise` in [0, 0.5], from `seed`, shuffled (so the first ones
 * can be the training points).
 */
export function toyPoints(name: ToyName, count: number, noise: number, seed: number): ToyPoints {
  const random = data.mulberry32(seed);
  const between = (lo: number, hi: number) => lo + (hi - lo) * random();
  const normal = (mean: number, variance: number) => {
    const u = 1 - random();
    const v = random();
    return mean + Math.sqrt(variance) * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const points: [number, number, number][] = [];
  const add = (x: number, y: number, label: number) => points.push([x, y, label]);
  switch (name) {
    case "circle": {
      const radius = 5;
      const inner = (x: number, y: number) => (Math.hypot(x, y) < radius * 0.5 ? 1 : 0);
      for (let i = 0; i < count; i++) {
        const r = i < count / 2 ? between(0, radius * 0.5) : between(radius * 0.7, radius);
        const angle = between(0, 2 * Math.PI);
        const [x, y] = [r * Math.sin(angle), r * Math.cos(angle)];
        const [nx, ny] = [between(-radius, radius) * noise, between(-radius, radius) * noise];
        add(x + nx, y + ny, inner(x, y));
      }
      break;
    }
    case "xor":
      for (let i = 0; i < count; i++) {
        let [x, y] = [between(-5, 5), between(-5, 5)];
        x += x > 0 ? 0.3 : -0.3;
        y += y > 0 ? 0.3 : -0.3;
        add(x + between(-5, 5) * noise, y + between(-5, 5) * noise, x * y >= 0 ? 1 : 0);
      }
      break;
    case "gauss": {
      const variance = 0.5 + 3.5 * (noise / 0.5);
      for (let i = 0; i < count; i++) {
        const label = i < count / 2 ? 1 : 0;
        const centre = label === 1 ? 2 : -2;
        add(normal(centre, variance), normal(centre, variance), label);
      }
      break;
    }
    case "spiral":
      for (let i = 0; i < count; i++) {
        const label = i % 2;
        const k = Math.floor(i / 2);
        const r = (k / (count / 2)) * 5;
        const t = ((1.75 * k) / (count / 2)) * 2 * Math.PI + label * Math.PI;
        add(r * Math.sin(t) + between(-1, 1) * noise, r * Math.cos(t) + between(-1, 1) * noise, label);
      }
      break;
    case "plane":
      for (let i = 0; i < count; i++) {
        const [x, y] = [between(-6, 6), between(-6, 6)];
        add(x + between(-6, 6) * noise, y + between(-6, 6) * noise, (x + y) / 12);
      }
      break;
    case "multigauss": {
      const bumps = [
        [-4, 2.5, 1],
        [0, 2.5, -1],
        [4, 2.5, 1],
        [-4, -2.5, -1],
        [0, -2.5, 1],
        [4, -2.5, -1],
      ] as const;
      for (let i = 0; i < count; i++) {
        const [x, y] = [between(-6, 6), between(-6, 6)];
        let value = 0;
        for (const [cx, cy, sign] of bumps) value += sign * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 2);
        add(x + between(-6, 6) * noise, y + between(-6, 6) * noise, Math.max(-1, Math.min(1, value)));
      }
      break;
    }
  }
  for (let i = points.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [points[i], points[j]] = [points[j]!, points[i]!];
  }
  return Float32Array.from(points.flat());
}

/** Two Gaussian blobs for the single sigmoid neuron, labels 0 and 1, in [−6, 6]². */
export function blobs(count: number, spread: number, seed: number): ToyPoints {
  const random = data.mulberry32(seed);
  const out = new Float32Array(count * 3);
  for (let i = 0; i < count; i++) {
    const label = i % 2;
    const centre = label === 1 ? [2, 1.5] : [-1.5, -2];
    const u = 1 - random();
    const v = random();
    const radius = spread * Math.sqrt(-2 * Math.log(u));
    out.set(
      [
        centre[0]! + radius * Math.cos(2 * Math.PI * v),
        centre[1]! + radius * Math.sin(2 * Math.PI * v),
        label,
      ],
      i * 3,
    );
  }
  return out;
}
