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
 * jax-js jits one step and waits for it (`await blockUntilReady`, which reads nothing back) before
 * the next: without a sync point its queued chain of steps costs O(steps²) (bench/ANCHORS.md).
 * PyTorch runs bench/pytorch/peer.py (autograd + optim.SGD for W4, autograd.grad for W5).
 */
import { grad, loss, optim, sigmoid, type Tensor, tensor, zeros } from "deriva";
import { CheckFailed } from "./lib/check.js";
import { twoBlobs } from "./lib/data.js";
import { type Jax, type JaxArray, jitSgdStep, loadJax } from "./lib/jax.js";
import { activate, loadTfjs, type Peer, peerLabel, type Tf, type TorchPeer } from "./lib/peers.js";
import { type Row, rowOf, type Table } from "./lib/report.js";
import { rates, seconds } from "./lib/stats.js";

const W4_STEPS = 2000;
const W4_N = 256;
const W4_LR = 0.5;
const W5_STEPS = 10_000;
const W5_LR = 0.1;
const W5_START = 8;

/** What W4's check needs from a run. */
interface W4Result {
  readonly cost: number;
  readonly accuracy: number;
  readonly params: number[];
}

/** A run from fresh parameters (a promise for jax-js, which waits for each step). */
type W4Run = () => W4Result | Promise<W4Result>;

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
    const optimizer = new optim.SGD([w, b], { lr: W4_LR });
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
    const optimizer = tf.train.sgd(W4_LR);
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

type NeuronParams = { w: JaxArray; b: JaxArray };

function jaxNeuron(jax: Jax): W4Run {
  const { numpy: np, nn: jnn, blockUntilReady } = jax;
  const blobs = twoBlobs(W4_N);
  const x = np.array(blobs.x, { shape: [W4_N, 2] });
  const y = np.array(blobs.y);
  const predict = (p: NeuronParams, xs: JaxArray) => jnn.sigmoid(np.matmul(xs, p.w).add(p.b));
  const cost = (p: NeuronParams, xs: JaxArray, ys: JaxArray) =>
    np
      .square(predict(p, xs).sub(ys))
      .sum()
      .div(2 * W4_N);
  const step = jitSgdStep(jax, cost, W4_LR);
  return async () => {
    let params: NeuronParams = { w: np.zeros([2]), b: np.zeros([]) };
    for (let s = 0; s < W4_STEPS; s++) {
      const [value, next] = step(params, x.ref, y.ref);
      value.dispose(); // the cost is not read during the steps
      params = next;
      await blockUntilReady(params);
    }
    // reads consume their arrays: p twice (hence p.ref), the parameters once
    const p = predict(jax.tree.ref(params), x.ref);
    return {
      cost: np
        .square(p.ref.sub(y.ref))
        .sum()
        .div(2 * W4_N)
        .item(),
      accuracy: accuracyOf(p.dataSync(), blobs.y),
      params: [...params.w.dataSync(), params.b.item()],
    };
  };
}

/** A run of W5; returns the final x (a promise for jax-js). */
type W5Run = () => number | Promise<number>;

function derivaScalar(): W5Run {
  const slope = grad((x: Tensor) => x.pow(2).sub(x.mul(4)).add(6));
  return () => {
    let x = tensor(W5_START);
    for (let step = 0; step < W5_STEPS; step++) x = x.sub(slope(x).mul(W5_LR));
    return x.item();
  };
}

function jaxScalar(jax: Jax): W5Run {
  const { numpy: np, jit, grad: jaxGrad, blockUntilReady } = jax;
  const slope = jaxGrad((x: JaxArray) => x.ref.mul(x.ref).sub(x.mul(4)).add(6));
  const step = jit((x: JaxArray) => x.ref.sub(slope(x).mul(W5_LR)));
  return async () => {
    let x = np.array(W5_START);
    for (let s = 0; s < W5_STEPS; s++) {
      x = step(x);
      await blockUntilReady(x);
    }
    return x.item();
  };
}

function tfjsScalar(tf: Tf): W5Run {
  const slope = tf.grad((x) => tf.add(tf.sub(tf.square(x), tf.mul(x, 4)), 6));
  return () => {
    let x = tf.scalar(W5_START);
    for (let step = 0; step < W5_STEPS; step++) {
      const next = tf.tidy(() => tf.sub(x, tf.mul(slope(x), W5_LR)));
      x.dispose();
      x = next as typeof x;
    }
    const value = x.dataSync()[0]!;
    x.dispose();
    return value;
  };
}

/** One warm-up run and `runs` timed runs of `run`: the seconds of each and the last result. */
async function timeRuns<R>(
  run: () => R | Promise<R>,
  runs: number,
): Promise<{ seconds: number[]; result: R }> {
  let result = await run();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = seconds();
    result = await run();
    times.push(seconds() - start);
  }
  return { seconds: times, result };
}

/** A small workload on every peer: a run per peer, checked by `check` (which returns the detail line). */
async function runSmall<R>(
  peers: readonly Peer[],
  runs: number,
  spec: {
    title: string;
    steps: number;
    make: (peer: Exclude<Peer, { lib: "torch" }>) => Promise<() => R | Promise<R>>;
    /** The same runs by PyTorch (bench/pytorch/peer.py). */
    torch: (peer: TorchPeer) => Promise<{ seconds: number[]; result: R }>;
    check: (result: R, who: string) => string;
  },
): Promise<Table> {
  const rows: Row[] = [];
  for (const peer of peers) {
    await activate(peer);
    const { seconds: times, result } =
      peer.lib === "torch" ? await spec.torch(peer) : await timeRuns(await spec.make(peer), runs);
    const detail = spec.check(result, peerLabel(peer));
    rows.push({ ...rowOf(peer), value: rates(spec.steps, times), detail });
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
  const blobs = twoBlobs(W4_N);
  return runSmall(peers, runs, {
    title: "W4 sigmoid neuron, 256 points, 2,000 steps",
    steps: W4_STEPS,
    make: async (peer) => {
      if (peer.lib === "deriva") return derivaNeuron();
      return peer.lib === "jax" ? jaxNeuron(await loadJax()) : tfjsNeuron(await loadTfjs());
    },
    torch: (peer) =>
      peer.runner.run<{ seconds: number[]; result: W4Result }>(
        "w4",
        peer.threads,
        { runs, steps: W4_STEPS, lr: W4_LR },
        {
          x: { values: blobs.x, shape: [W4_N, 2] },
          y: { values: blobs.y, shape: [W4_N] },
        },
      ),
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
    make: async (peer) => {
      if (peer.lib === "deriva") return derivaScalar();
      return peer.lib === "jax" ? jaxScalar(await loadJax()) : tfjsScalar(await loadTfjs());
    },
    torch: (peer) =>
      peer.runner.run<{ seconds: number[]; result: number }>(
        "w5",
        peer.threads,
        { runs, steps: W5_STEPS, lr: W5_LR, x0: W5_START },
        {},
      ),
    check: (x, who) => {
      if (!(Math.abs(x - 2) < 1e-6)) throw new CheckFailed(`W5 ${who}: x ends at ${x}, not within 1e-6 of 2`);
      return `final x ${x}`;
    },
  });
}
