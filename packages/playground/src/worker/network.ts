/**
 * A network in the manner of TensorFlow Playground, trained by deriva: a toy dataset, input
 * features of (x, y), hidden layers of nn.Linear with an activation, one output (the logit of
 * class 1, or the value for regression), SGD on mini-batches with optional L1/L2 on the weights.
 * Each call trains a few steps and returns what the page draws: the output over the plane, each
 * hidden neuron's activation, the weights and the train/test losses.
 */
import {
  concat,
  loss,
  manualSeed,
  nn,
  noGrad,
  optim,
  relu,
  sigmoid,
  type Tensor,
  tanh,
  tensor,
} from "deriva";
import { isRegression, toyPoints } from "../data/toy";
import { rate } from "./backend";
import type { Feature, NetActivation, NetworkConfig, NetworkSnapshot, NetworkTrainArgs } from "./protocol";

const POINTS = 400;
const GRID = 50;
const NEURON_GRID = 20;
const BOX = 6;

interface Session {
  config: NetworkConfig;
  regression: boolean;
  points: Float32Array;
  trainCount: number;
  trainX: Tensor;
  trainY: Tensor;
  testX: Tensor;
  testY: Tensor;
  layers: nn.Linear[];
  step: number;
  /** Training samples seen (for the epoch count). */
  seen: number;
  cursor: number;
  outputLattice: Tensor;
  neuronLattice: Tensor;
}

let session: Session | null = null;

/** The chosen features of points given as (x, y) pairs. */
function featuresOf(xy: Float32Array, features: readonly Feature[]): Tensor {
  const n = xy.length / 2;
  const out = new Float32Array(n * features.length);
  for (let i = 0; i < n; i++) {
    const [x, y] = [xy[2 * i]!, xy[2 * i + 1]!];
    features.forEach((feature, j) => {
      out[i * features.length + j] = featureValue(feature, x, y);
    });
  }
  return tensor(out, { shape: [n, features.length] });
}

function featureValue(feature: Feature, x: number, y: number): number {
  switch (feature) {
    case "x":
      return x;
    case "y":
      return y;
    case "x2":
      return x * x;
    case "y2":
      return y * y;
    case "xy":
      return x * y;
    case "sinx":
      return Math.sin(x);
    case "siny":
      return Math.sin(y);
  }
}

/** An n×n lattice over the box as (x, y) pairs, row 0 at the top. */
function lattice(n: number): Float32Array {
  const xy = new Float32Array(n * n * 2);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      xy[(row * n + col) * 2] = -BOX + (2 * BOX * (col + 0.5)) / n;
      xy[(row * n + col) * 2 + 1] = BOX - (2 * BOX * (row + 0.5)) / n;
    }
  }
  return xy;
}

const ACTIVATIONS: Record<NetActivation, (t: Tensor) => Tensor> = {
  tanh,
  relu,
  sigmoid,
  linear: (t) => t,
};

/** The output (logit or value) and, when asked, each hidden layer's activations. */
function forward(s: Session, x: Tensor, keep: Tensor[] | null = null): Tensor {
  const act = ACTIVATIONS[s.config.activation];
  let h = x;
  s.layers.forEach((layer, i) => {
    h = layer.forward(h);
    if (i < s.layers.length - 1) {
      h = act(h);
      keep?.push(h);
    }
  });
  return h;
}

function lossOf(s: Session, output: Tensor, target: Tensor): Tensor {
  return s.regression ? loss.mse(output, target) : loss.bceWithLogits(output, target);
}

function split(points: Float32Array, from: number, to: number): { xy: Float32Array; labels: Float32Array } {
  const xy = new Float32Array((to - from) * 2);
  const labels = new Float32Array(to - from);
  for (let i = from; i < to; i++) {
    xy.set(points.subarray(i * 3, i * 3 + 2), (i - from) * 2);
    labels[i - from] = points[i * 3 + 2]!;
  }
  return { xy, labels };
}

async function snapshot(s: Session, stepsPerSecond: number): Promise<NetworkSnapshot> {
  const result = noGrad(() => {
    const hidden: Tensor[] = [];
    forward(s, s.neuronLattice, hidden);
    const out = forward(s, s.outputLattice);
    return {
      trainLoss: lossOf(s, forward(s, s.trainX), s.trainY),
      testLoss: lossOf(s, forward(s, s.testX), s.testY),
      output: s.regression ? out : sigmoid(out),
      // each neuron's activation over the lattice, neuron by neuron: [units, NEURON_GRID²] per layer
      neurons: hidden.length === 0 ? null : concat(hidden.map((h) => h.T.reshape([-1]))),
    };
  });
  return {
    step: s.step,
    epoch: s.seen / s.trainCount,
    trainLoss: await result.trainLoss.readItem(),
    testLoss: await result.testLoss.readItem(),
    regression: s.regression,
    grid: GRID,
    output: Float32Array.from(await result.output.read()),
    neurons: result.neurons === null ? new Float32Array(0) : Float32Array.from(await result.neurons.read()),
    neuronGrid: NEURON_GRID,
    weights: await Promise.all(s.layers.map(async (layer) => Array.from(await layer.weight.read()))),
    points: s.points.slice(),
    trainCount: s.trainCount,
    stepsPerSecond,
  };
}

/** A new dataset and a freshly initialized network (seeded: the same config gives the same start). */
export async function networkReset(config: NetworkConfig): Promise<NetworkSnapshot> {
  const regression = isRegression(config.dataset);
  const points = toyPoints(config.dataset, POINTS, config.noise / 100, config.seed);
  const trainCount = Math.max(1, Math.min(POINTS - 1, Math.round((POINTS * config.trainRatio) / 100)));
  const train = split(points, 0, trainCount);
  const test = split(points, trainCount, POINTS);
  manualSeed(config.seed);
  const widths = [config.features.length, ...config.hidden, 1];
  const layers = widths.slice(1).map((out, i) => new nn.Linear(widths[i]!, out));
  const column = (labels: Float32Array) => tensor(labels, { shape: [labels.length, 1] });
  session = {
    config,
    regression,
    points,
    trainCount,
    trainX: featuresOf(train.xy, config.features),
    trainY: column(train.labels),
    testX: featuresOf(test.xy, config.features),
    testY: column(test.labels),
    layers,
    step: 0,
    seen: 0,
    cursor: 0,
    outputLattice: featuresOf(lattice(GRID), config.features),
    neuronLattice: featuresOf(lattice(NEURON_GRID), config.features),
  };
  return await snapshot(session, 0);
}

/** Mini-batch SGD steps until `steps` are done or about `ms` have passed. */
export async function networkTrain(args: NetworkTrainArgs): Promise<NetworkSnapshot> {
  const s = session;
  if (s === null) throw new Error("the network has not been set up yet");
  const params = s.layers.flatMap((layer) => layer.parameters());
  const optimizer = new optim.SGD(params, { lr: args.lr });
  const weights = s.layers.map((layer) => layer.weight);
  const size = Math.max(1, Math.min(s.trainCount, Math.round(args.batchSize)));
  const started = performance.now();
  let done = 0;
  while (done < args.steps && (done === 0 || performance.now() - started < args.ms)) {
    const from = s.cursor;
    const to = Math.min(s.trainCount, from + size);
    const xb = s.trainX.slice([from, 0], [to, s.config.features.length]);
    const yb = s.trainY.slice([from, 0], [to, 1]);
    optimizer.zeroGrad();
    let cost = lossOf(s, forward(s, xb), yb);
    if (args.regularization !== "none" && args.regRate > 0) {
      const penalty = weights
        .map((w) => (args.regularization === "l1" ? w.abs().sum() : w.square().sum().mul(0.5)))
        .reduce((a, b) => a.add(b));
      cost = cost.add(penalty.mul(args.regRate));
    }
    cost.backward();
    optimizer.step();
    s.cursor = to === s.trainCount ? 0 : to;
    s.seen += to - from;
    s.step++;
    done++;
  }
  return await snapshot(s, rate(done, started));
}
