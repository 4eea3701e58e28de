/**
 * A sigmoid neuron learns, as the founding document trains it: ŷ = σ(w·x + b) on two classes,
 * the cost C = 1/(2N) Σ (ŷ − y)² on mini-batches of N points, and w ← w − η ∂C/∂w each step.
 */
import { loss, noGrad, optim, sigmoid, type Tensor, tensor, zeros } from "deriva";
import { blobs } from "../data/toy";
import { rate } from "./backend";
import type { Methods, NeuronSnapshot } from "./protocol";

const POINTS = 200;
const GRID = 40;
const BOX: [number, number, number, number] = [-6, 6, -6, 6];

interface Session {
  points: Float32Array;
  x: Tensor;
  y: Tensor;
  w: Tensor;
  b: Tensor;
  step: number;
  /** Where the next mini-batch starts (the points are visited in order, then again). */
  cursor: number;
  lattice: Tensor;
}

let session: Session | null = null;

/** The box's lattice as [GRID², 2] points, row 0 at the top. */
function latticeOf(): Tensor {
  const [x0, x1, y0, y1] = BOX;
  const values = new Float32Array(GRID * GRID * 2);
  for (let row = 0; row < GRID; row++) {
    for (let col = 0; col < GRID; col++) {
      values[(row * GRID + col) * 2] = x0 + ((x1 - x0) * (col + 0.5)) / GRID;
      values[(row * GRID + col) * 2 + 1] = y1 - ((y1 - y0) * (row + 0.5)) / GRID;
    }
  }
  return tensor(values, { shape: [GRID * GRID, 2] });
}

async function snapshot(s: Session, stepsPerSecond: number): Promise<NeuronSnapshot> {
  const { field, cost, accuracy } = noGrad(() => {
    const predicted = sigmoid(s.x.matmul(s.w).add(s.b));
    const correct = predicted.gt(0.5).eq(s.y).mean();
    return {
      field: sigmoid(s.lattice.matmul(s.w).add(s.b)),
      cost: loss.quadratic(predicted, s.y),
      accuracy: correct,
    };
  });
  const [w0, w1] = Array.from(await s.w.read());
  return {
    step: s.step,
    cost: await cost.readItem(),
    accuracy: await accuracy.readItem(),
    w: [w0!, w1!],
    b: await s.b.readItem(),
    field: Float32Array.from(await field.read()),
    grid: GRID,
    points: s.points.slice(),
    box: BOX,
    stepsPerSecond,
  };
}

/** New points (from the seed) and a neuron starting at w = 0, b = 0. */
export async function neuronReset({ seed, spread }: Methods["neuronReset"]["args"]): Promise<NeuronSnapshot> {
  const points = blobs(POINTS, spread, seed);
  const xs = new Float32Array(POINTS * 2);
  const ys = new Float32Array(POINTS);
  for (let i = 0; i < POINTS; i++) {
    xs.set(points.subarray(i * 3, i * 3 + 2), i * 2);
    ys[i] = points[i * 3 + 2]!;
  }
  session = {
    points,
    x: tensor(xs, { shape: [POINTS, 2] }),
    y: tensor(ys),
    w: zeros([2], { requiresGrad: true }),
    b: zeros([], { requiresGrad: true }),
    step: 0,
    cursor: 0,
    lattice: latticeOf(),
  };
  return await snapshot(session, 0);
}

/** Mini-batch steps until `steps` are done or about `ms` have passed. */
export async function neuronTrain({
  lr,
  batchSize,
  steps,
  ms,
}: Methods["neuronTrain"]["args"]): Promise<NeuronSnapshot> {
  if (session === null) await neuronReset({ seed: 1, spread: 1.5 });
  const s = session!;
  const optimizer = new optim.SGD([s.w, s.b], { lr });
  const size = Math.max(1, Math.min(POINTS, Math.round(batchSize)));
  const started = performance.now();
  let done = 0;
  while (done < steps && (done === 0 || performance.now() - started < ms)) {
    const from = s.cursor;
    const to = Math.min(POINTS, from + size);
    const xb = s.x.slice([from, 0], [to, 2]);
    const yb = s.y.slice([from], [to]);
    optimizer.zeroGrad();
    loss.quadratic(sigmoid(xb.matmul(s.w).add(s.b)), yb).backward();
    optimizer.step();
    s.cursor = to === POINTS ? 0 : to;
    s.step++;
    done++;
  }
  return await snapshot(s, rate(done, started));
}
