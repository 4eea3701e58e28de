/**
 * The founding document's small examples, where the per-operation cost decides everything.
 *
 * W4: a sigmoid neuron ŷ = σ(x·w + b) on the 256 two-blob points, cost C = 1/(2N)·Σ(ŷ − y)²,
 * 2,000 full-batch gradient-descent steps of lr 0.5 from w = 0, b = 0, the cost not read back
 * during the steps. Check: final cost < 0.0625 (half the initial 0.125), training accuracy > 0.85.
 *
 * W5: y = x² − 4x + 6 from x = 8, x ← x − 0.1·dy/dx with dy/dx from autodiff, 10,000 steps on a
 * float32 scalar. Check: |x − 2| < 1e-6.
 *
 * Both: one warm-up run, then `runs` timed runs (WORKLOADS.md: 5); steps/s = steps / run time.
 */
import { grad, loss, optim, sigmoid, type Tensor, tensor, zeros } from "deriva";
import { CheckFailed } from "./lib/check.js";
import { twoBlobs } from "./lib/data.js";
import { activate, loadTfjs, type Peer, peerName, type Tf } from "./lib/peers.js";
import type { Row, Table } from "./lib/report.js";
import { rates, timed } from "./lib/stats.js";

const W4_STEPS = 2000;
const W4_N = 256;
const W5_STEPS = 10_000;

/** A run from fresh parameters; returns what the check needs. */
type W4Run = () => { cost: number; accuracy: number; params: number[] };

function accuracyOf(predictions: ArrayLike<number>, labels: Float32Array): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i]! > 0.5 === (labels[i] === 1)) correct++;
  return correct / labels.length;
}

function derivaNeuron(): W4Run {
  const blobs = twoBlobs(W4_N);
  const x = tensor(blobs.x, { shape: [W4_N, 2] });
  const y = tensor(blobs.y);
  return () => {
    const w = zeros([2], { requiresGrad: true });
    const b = zeros([], { requiresGrad: true });
    const optimizer = new optim.SGD([w, b], { lr: 0.5 });
    const predict = () => sigmoid(x.matmul(w).add(b));
    for (let step = 0; step < W4_STEPS; step++) {
      optimizer.zeroGrad();
      loss.quadratic(predict(), y).backward();
      optimizer.step();
    }
    const p = predict();
    return {
      cost: loss.quadratic(p, y).item(),
      accuracy: accuracyOf(p.data(), blobs.y),
      params: [...w.data(), b.item()],
    };
  };
}

function tfjsNeuron(tf: Tf): W4Run {
  const blobs = twoBlobs(W4_N);
  const x = tf.tensor2d(blobs.x, [W4_N, 2]);
  const y = tf.tensor2d(blobs.y, [W4_N, 1]);
  const w = tf.variable(tf.zeros([2, 1]));
  const b = tf.variable(tf.scalar(0));
  const predict = () => tf.sigmoid(tf.add(tf.matMul(x, w), b));
  const cost = () => tf.div(tf.sum(tf.square(tf.sub(predict(), y))), 2 * W4_N) as ReturnType<Tf["scalar"]>;
  return () => {
    w.assign(tf.zeros([2, 1]));
    b.assign(tf.scalar(0));
    const optimizer = tf.train.sgd(0.5);
    for (let step = 0; step < W4_STEPS; step++) optimizer.minimize(cost, false, [w, b]);
    optimizer.dispose();
    const [c, p] = tf.tidy(() => [cost(), predict()]);
    const result = {
      cost: c!.dataSync()[0]!,
      accuracy: accuracyOf(p!.dataSync(), blobs.y),
      params: [...w.dataSync(), ...b.dataSync()],
    };
    tf.dispose([c!, p!]);
    return result;
  };
}

/** A run of W5; returns the final x. */
type W5Run = () => number;

function derivaScalar(): W5Run {
  const slope = grad((x: Tensor) => x.pow(2).sub(x.mul(4)).add(6));
  return () => {
    let x = tensor(8);
    for (let step = 0; step < W5_STEPS; step++) x = x.sub(slope(x).mul(0.1));
    return x.item();
  };
}

function tfjsScalar(tf: Tf): W5Run {
  const slope = tf.grad((x) => tf.add(tf.sub(tf.square(x), tf.mul(x, 4)), 6));
  return () => {
    let x = tf.scalar(8);
    for (let step = 0; step < W5_STEPS; step++) {
      const next = tf.tidy(() => tf.sub(x, tf.mul(slope(x), 0.1)));
      x.dispose();
      x = next as typeof x;
    }
    const value = x.dataSync()[0]!;
    x.dispose();
    return value;
  };
}

/** One warm-up run and `runs` timed runs of `run`; `check` sees the last result. */
function timeRuns<R>(run: () => R, runs: number, check: (result: R) => void): number[] {
  let result = run();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) times.push(timed(() => (result = run())));
  check(result);
  return times;
}

/** A small workload on every peer: a run per peer, checked by `check` (which returns the detail line). */
async function runSmall<R>(
  peers: readonly Peer[],
  runs: number,
  spec: {
    title: string;
    steps: number;
    make: (peer: Peer) => Promise<() => R>;
    check: (result: R, who: string) => string;
  },
): Promise<Table> {
  const rows: Row[] = [];
  for (const peer of peers) {
    await activate(peer);
    const run = await spec.make(peer);
    let detail = "";
    const who = `${peerName(peer)} (${peer.threads} threads)`;
    const times = timeRuns(run, runs, (result) => {
      detail = spec.check(result, who);
    });
    rows.push({ peer: peerName(peer), threads: peer.threads, value: rates(spec.steps, times), detail });
  }
  return {
    title: spec.title,
    unit: "steps/s",
    higherIsBetter: true,
    rows,
    method: `${runs} timed runs after 1 warm-up`,
  };
}

export function runW4(peers: readonly Peer[], runs: number): Promise<Table> {
  return runSmall(peers, runs, {
    title: "W4 sigmoid neuron, 256 points, 2,000 steps",
    steps: W4_STEPS,
    make: async (peer) => (peer.lib === "deriva" ? derivaNeuron() : tfjsNeuron(await loadTfjs())),
    check: ({ cost, accuracy, params }, who) => {
      if (!(cost < 0.0625 && accuracy > 0.85))
        throw new CheckFailed(`W4 ${who}: final cost ${cost}, accuracy ${accuracy}`);
      return `w = (${params[0]!.toFixed(4)}, ${params[1]!.toFixed(4)}), b = ${params[2]!.toFixed(4)}, cost ${cost.toFixed(5)}, accuracy ${accuracy.toFixed(4)}`;
    },
  });
}

export function runW5(peers: readonly Peer[], runs: number): Promise<Table> {
  return runSmall(peers, runs, {
    title: "W5 scalar descent x² − 4x + 6, 10,000 steps",
    steps: W5_STEPS,
    make: async (peer) => (peer.lib === "deriva" ? derivaScalar() : tfjsScalar(await loadTfjs())),
    check: (x, who) => {
      if (!(Math.abs(x - 2) < 1e-6)) throw new CheckFailed(`W5 ${who}: x ends at ${x}, not within 1e-6 of 2`);
      return `final x ${x}`;
    },
  });
}
