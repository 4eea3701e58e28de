/**
 * Choosing the rate: the same small network (2 → 4 tanh → 1, regression on the "plane" points,
 * full-batch gradient descent on the mse) trained from the same start at several rates, and the
 * learning-rate range test (optim.findLr) on it with its suggestion.
 */
import { loss, manualSeed, nn, optim, type Tensor, tensor } from "deriva";
import { toyPoints } from "../data/toy";
import type { Methods, RateCurves } from "./protocol";

const POINTS = 200;

function dataOf(seed: number): { x: Tensor; y: Tensor } {
  const points = toyPoints("plane", POINTS, 0.05, seed);
  const xy = new Float32Array(POINTS * 2);
  const labels = new Float32Array(POINTS);
  for (let i = 0; i < POINTS; i++) {
    xy.set(points.subarray(i * 3, i * 3 + 2), i * 2);
    labels[i] = points[i * 3 + 2]!;
  }
  return { x: tensor(xy, { shape: [POINTS, 2] }), y: tensor(labels, { shape: [POINTS, 1] }) };
}

/** The network, its weights drawn from the seed (every rate starts from the same ones). */
function networkOf(seed: number): nn.Sequential {
  manualSeed(seed);
  return new nn.Sequential(new nn.Linear(2, 4), new nn.Tanh(), new nn.Linear(4, 1));
}

/** The cost before each step; a run whose cost stops being finite (or explodes) ends there. */
async function curveAt(lr: number, steps: number, seed: number, x: Tensor, y: Tensor): Promise<number[]> {
  const model = networkOf(seed);
  const optimizer = new optim.SGD(model.parameters(), { lr });
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    optimizer.zeroGrad();
    const cost = loss.mse(model.forward(x), y);
    const value = await cost.readItem();
    losses.push(value);
    if (!Number.isFinite(value) || value > 1e6) break;
    cost.backward();
    optimizer.step();
  }
  return losses;
}

export async function rateCurves({ rates, steps, seed }: Methods["rates"]["args"]): Promise<RateCurves> {
  const { x, y } = dataOf(seed);
  const curves = [];
  for (const lr of rates) curves.push({ lr, losses: await curveAt(lr, steps, seed, x, y) });
  const model = networkOf(seed);
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });
  const found = await optim.findLr({
    model,
    optimizer,
    loss: () => loss.mse(model.forward(x), y),
    startLr: 1e-4,
    endLr: 10,
    numIter: 100,
  });
  return { curves, finder: { lrs: found.lrs, losses: found.losses, suggestion: found.suggestion } };
}
