/**
 * W3: one training step of a small CNN on a batch of 64 MNIST digits: conv 3×3 1→16 (same
 * padding, bias), ReLU, maxpool 2×2, conv 3×3 16→32, ReLU, maxpool 2×2, flatten 7·7·32, dense
 * 1568→10, softmax cross-entropy, SGD lr 0.05. Steps use batches 0..24 of epoch order 0; steps
 * 0-4 warm up, 5-24 are timed (batch gather, forward, backward, update, loss read-back). Also the
 * forward pass alone (same batches, no gradient). Weights: Glorot uniform, seeds 21, 22, 23
 * (drawn in tfjs's NHWC layouts, permuted for the NCHW layouts of deriva, jax-js and PyTorch),
 * biases 0. Check: every loss finite and the mean of the last 5 below the first minus 0.05.
 *
 * deriva trains it through nn + optim and through the functional API (valueAndGrad and a plain
 * SGD update); jax-js jits the whole step; PyTorch (bench/pytorch/peer.py) uses nn + optim.SGD.
 */
import {
  conv2d,
  loss,
  maxPool2d,
  nn,
  noGrad,
  optim,
  relu,
  type Tensor,
  tensor,
  valueAndGrad,
  zeros,
} from "deriva";
import { type AlternatingWorkload, derivaStretches, medianStep, stepWorkload } from "./lib/alternating.js";
import { CheckFailed } from "./lib/check.js";
import { BATCH, epochOrder, gatherBatch, glorot, type Mnist, PIXELS, transposed } from "./lib/data.js";
import { crossEntropy, type Jax, type JaxArray, jitSgdStep, loadJax } from "./lib/jax.js";
import {
  activate,
  type DerivaPeer,
  loadTfjs,
  type Peer,
  peerLabel,
  type Tf,
  type TorchPeer,
} from "./lib/peers.js";
import { type Row, rowOf, type Table } from "./lib/report.js";
import { summarize, timed } from "./lib/stats.js";

const LR = 0.05;
const CLASSES = 10;

interface CnnTrainer {
  /** One training step; returns the loss read back. */
  step(x: Float32Array, y: Int32Array): number;
  /** The loss of a forward pass without gradients. */
  forward(x: Float32Array, y: Int32Array): number;
}

/** tfjs layouts: conv kernels [kh, kw, in, out], dense [in, out] with NHWC-flattened rows. */
function initialWeights() {
  return {
    k1: glorot(9 * 16, 9, 9 * 16, 21),
    k2: glorot(9 * 16 * 32, 9 * 16, 9 * 32, 22),
    w3: glorot(1568 * 10, 1568, 10, 23),
  };
}

/** [kh, kw, in, out] → [out, in, kh, kw]. */
function toOihw(k: Float32Array, cIn: number, cOut: number): Float32Array {
  const out = new Float32Array(k.length);
  for (let kh = 0; kh < 3; kh++)
    for (let kw = 0; kw < 3; kw++)
      for (let ci = 0; ci < cIn; ci++)
        for (let co = 0; co < cOut; co++)
          out[((co * cIn + ci) * 3 + kh) * 3 + kw] = k[((kh * 3 + kw) * cIn + ci) * cOut + co]!;
  return out;
}

/** Dense [1568 (h, w, c), 10] → Linear weight [10, 1568 (c, h, w)]. */
function toLinear(w: Float32Array): Float32Array {
  const out = new Float32Array(w.length);
  for (let h = 0; h < 7; h++)
    for (let x = 0; x < 7; x++)
      for (let c = 0; c < 32; c++)
        for (let o = 0; o < 10; o++) out[o * 1568 + c * 49 + h * 7 + x] = w[((h * 7 + x) * 32 + c) * 10 + o]!;
  return out;
}

/** The initial weights in the NCHW layouts: kernels [out, in, kh, kw], the dense layer [10, 1568 (c, h, w)]. */
function nchwWeights() {
  const w = initialWeights();
  return { k1: toOihw(w.k1, 1, 16), k2: toOihw(w.k2, 16, 32), w3: toLinear(w.w3) };
}

const inputs = (x: Float32Array, y: Int32Array): [Tensor, Tensor] => [
  tensor(x, { shape: [BATCH, 1, 28, 28] }),
  tensor(y, { dtype: "int32" }),
];

function derivaCnn(): CnnTrainer {
  const model = new nn.Sequential(
    new nn.Conv2d(1, 16, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(16, 32, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(1568, 10),
  );
  const w = nchwWeights();
  model.loadStateDict({
    "0.weight": tensor(w.k1, { shape: [16, 1, 3, 3] }),
    "0.bias": tensor(new Float32Array(16)),
    "3.weight": tensor(w.k2, { shape: [32, 16, 3, 3] }),
    "3.bias": tensor(new Float32Array(32)),
    "7.weight": tensor(w.w3, { shape: [10, 1568] }),
    "7.bias": tensor(new Float32Array(10)),
  });
  const optimizer = new optim.SGD(model.parameters(), { lr: LR });
  return {
    step(x, y) {
      const [xs, ys] = inputs(x, y);
      optimizer.zeroGrad();
      const cost = loss.crossEntropy(model.forward(xs), ys);
      cost.backward();
      optimizer.step();
      return cost.item();
    },
    forward(x, y) {
      const [xs, ys] = inputs(x, y);
      return noGrad(() => loss.crossEntropy(model.forward(xs), ys).item());
    },
  };
}

/** The functional path: the six parameters as plain tensors, valueAndGrad, and p ← p − lr·g without a graph. */
function derivaFunctionalCnn(): CnnTrainer {
  const w = nchwWeights();
  let params = [
    tensor(w.k1, { shape: [16, 1, 3, 3] }),
    zeros([16]),
    tensor(w.k2, { shape: [32, 16, 3, 3] }),
    zeros([32]),
    tensor(transposed(w.w3, 10, 1568), { shape: [1568, 10] }),
    zeros([10]),
  ];
  type Params = [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor];
  const cost = (...args: [...Params, Tensor, Tensor]) => {
    const [k1, b1, k2, b2, w3, b3, x, y] = args;
    const h1 = maxPool2d(relu(conv2d(x, k1, b1, { padding: 1 })), 2);
    const h2 = maxPool2d(relu(conv2d(h1, k2, b2, { padding: 1 })), 2);
    return loss.crossEntropy(h2.reshape([BATCH, 1568]).matmul(w3).add(b3), y);
  };
  const costAndGrads = valueAndGrad(cost, { argnums: [0, 1, 2, 3, 4, 5] });
  return {
    step(x, y) {
      const [value, grads] = costAndGrads(...(params as Params), ...inputs(x, y));
      params = noGrad(() => params.map((p, i) => p.sub(grads[i]!.mul(LR))));
      return value.item();
    },
    forward(x, y) {
      return noGrad(() => cost(...(params as Params), ...inputs(x, y)).item());
    },
  };
}

type CnnParams = { k1: JaxArray; b1: JaxArray; k2: JaxArray; b2: JaxArray; w3: JaxArray; b3: JaxArray };

/** jax-js: the whole step (valueAndGrad + SGD update) jitted once; max-pooling as a reshape and a max. */
function jaxCnn(jax: Jax): CnnTrainer {
  const { numpy: np, nn: jnn, lax, jit, tree } = jax;
  const w = nchwWeights();
  let params: CnnParams = {
    k1: np.array(w.k1, { shape: [16, 1, 3, 3] }),
    b1: np.zeros([16]),
    k2: np.array(w.k2, { shape: [32, 16, 3, 3] }),
    b2: np.zeros([32]),
    w3: np.array(transposed(w.w3, 10, 1568), { shape: [1568, 10] }),
    b3: np.zeros([10]),
  };
  /** conv 3×3 same + bias, ReLU, maxpool 2×2 of an [N, C, side, side] input. */
  const block = (x: JaxArray, k: JaxArray, b: JaxArray, channels: number, side: number) => {
    const h = jnn.relu(lax.convGeneralDilated(x, k, [1, 1], "SAME").add(b.reshape([1, channels, 1, 1])));
    return h.reshape([BATCH, channels, side / 2, 2, side / 2, 2]).max([3, 5]);
  };
  const cost = (p: CnnParams, x: JaxArray, labels: JaxArray) => {
    const h = block(block(x, p.k1, p.b1, 16, 28), p.k2, p.b2, 32, 14);
    return crossEntropy(jax, np.matmul(h.reshape([BATCH, 1568]), p.w3).add(p.b3), labels, CLASSES);
  };
  const step = jitSgdStep(jax, cost, LR);
  const forward = jit(cost);
  const arrays = (x: Float32Array, y: Int32Array): [JaxArray, JaxArray] => [
    np.array(x, { shape: [BATCH, 1, 28, 28] }),
    np.array(y, { dtype: np.int32 }),
  ];
  return {
    step(x, y) {
      const [value, next] = step(params, ...arrays(x, y));
      params = next;
      return value.item();
    },
    forward(x, y) {
      return forward(tree.ref(params), ...arrays(x, y)).item();
    },
  };
}

function tfjsCnn(tf: Tf): CnnTrainer {
  const w = initialWeights();
  const k1 = tf.variable(tf.tensor4d(w.k1, [3, 3, 1, 16]));
  const b1 = tf.variable(tf.zeros([16]));
  const k2 = tf.variable(tf.tensor4d(w.k2, [3, 3, 16, 32]));
  const b2 = tf.variable(tf.zeros([32]));
  const w3 = tf.variable(tf.tensor2d(w.w3, [1568, 10]));
  const b3 = tf.variable(tf.zeros([10]));
  const optimizer = tf.train.sgd(LR);
  type T4 = ReturnType<Tf["tensor4d"]>;
  const cost = (x: T4, labels: ReturnType<Tf["oneHot"]>) => {
    const h1 = tf.maxPool(tf.relu(tf.add(tf.conv2d(x, k1, 1, "same"), b1)) as T4, 2, 2, "valid");
    const h2 = tf.maxPool(tf.relu(tf.add(tf.conv2d(h1, k2, 1, "same"), b2)) as T4, 2, 2, "valid");
    const logits = tf.add(tf.matMul(tf.reshape(h2, [BATCH, 1568]), w3), b3);
    return tf.losses.softmaxCrossEntropy(labels, logits) as ReturnType<Tf["scalar"]>;
  };
  const run = (x: Float32Array, y: Int32Array, train: boolean) => {
    const xs = tf.tensor4d(x, [BATCH, 28, 28, 1]);
    const labels = tf.tensor1d(y, "int32");
    const ys = tf.oneHot(labels, 10);
    const value = train
      ? optimizer.minimize(() => cost(xs, ys), true, [k1, b1, k2, b2, w3, b3])!
      : tf.tidy(() => cost(xs, ys));
    const result = value.dataSync()[0]!;
    tf.dispose([xs, labels, ys, value]);
    return result;
  };
  return { step: (x, y) => run(x, y, true), forward: (x, y) => run(x, y, false) };
}

/** Steps (or forward passes) over batches 0..warmup+timed−1; returns losses and the timed seconds. */
function runSteps(
  set: Mnist,
  warmup: number,
  timedSteps: number,
  fn: (x: Float32Array, y: Int32Array) => number,
) {
  const order = epochOrder(0);
  const losses: number[] = [];
  const times: number[] = [];
  for (let s = 0; s < warmup + timedSteps; s++) {
    const t = timed(() => {
      const { x, y } = gatherBatch(set, order, s);
      losses.push(fn(x, y));
    });
    if (s >= warmup) times.push(t * 1000);
  }
  return { losses, times };
}

export interface W3Options {
  /** Warm-up and timed steps (WORKLOADS.md: 5 and 20). */
  readonly warmup: number;
  readonly steps: number;
  /** Peers run with 1 warm-up and 3 timed steps and no loss check (tfjs cpu: about 10 s a step; jax-js, about 1 s, in the quick run). */
  readonly short: (peer: Peer) => boolean;
}

async function makeTrainer(peer: Exclude<Peer, { lib: "torch" }>): Promise<CnnTrainer> {
  await activate(peer);
  if (peer.lib === "deriva") return peer.api === "functional" ? derivaFunctionalCnn() : derivaCnn();
  return peer.lib === "jax" ? jaxCnn(await loadJax()) : tfjsCnn(await loadTfjs());
}

/** The losses and timed milliseconds of the training steps (or why it cannot train), and the forward passes' milliseconds. */
interface W3Result {
  readonly train: { readonly losses: number[]; readonly ms: number[] } | Error;
  readonly forwardMs: number[];
}

/** PyTorch's steps in a child process, on the same batches and initial weights. */
async function torchSteps(peer: TorchPeer, set: Mnist, warmup: number, steps: number): Promise<W3Result> {
  const w = nchwWeights();
  const result = await peer.runner.run<{ losses: number[]; ms: number[]; forwardMs: number[] }>(
    "w3",
    peer.threads,
    { lr: LR, batch: BATCH, warmup, steps },
    {
      trainX: { values: set.trainX, shape: [set.trainY.length, PIXELS] },
      trainY: { values: set.trainY, shape: [set.trainY.length] },
      order: { values: epochOrder(0), shape: [8000] },
      k1: { values: w.k1, shape: [16, 1, 3, 3] },
      k2: { values: w.k2, shape: [32, 16, 3, 3] },
      w3: { values: w.w3, shape: [10, 1568] },
    },
  );
  return { train: { losses: result.losses, ms: result.ms }, forwardMs: result.forwardMs };
}

/** The steps of an in-process peer, or why it cannot train ("cannot train": tfjs wasm). */
async function inProcessSteps(
  peer: Exclude<Peer, { lib: "torch" }>,
  set: Mnist,
  warmup: number,
  steps: number,
): Promise<W3Result> {
  const trainer = await makeTrainer(peer);
  let train: W3Result["train"];
  try {
    const { losses, times } = runSteps(set, warmup, steps, (x, y) => trainer.step(x, y));
    train = { losses, ms: times };
  } catch (error) {
    // tfjs wasm has no Conv2DBackpropFilter kernel: it cannot train this network
    train = error as Error;
  }
  return { train, forwardMs: runSteps(set, warmup, steps, (x, y) => trainer.forward(x, y)).times };
}

/** Training steps a stretch of the alternating rounds times (their median is its figure). */
const STRETCH_STEPS = 10;

/**
 * W3's contenders for the alternating rounds (lib/alternating.ts): a stretch is the median of 10
 * training steps in ms; deriva's trainers are kept from round to round, PyTorch's request warms
 * up for 3 steps first.
 */
export async function w3Alternating(
  derivaPeers: readonly DerivaPeer[],
  torch: TorchPeer,
  set: Mnist,
): Promise<AlternatingWorkload> {
  const deriva = await derivaStretches(derivaPeers, async (peer) => {
    const trainer = await makeTrainer(peer);
    return () => medianStep(runSteps(set, 0, STRETCH_STEPS, (x, y) => trainer.step(x, y)));
  });
  const measure = async () => {
    const { train } = await torchSteps(torch, set, 3, STRETCH_STEPS);
    if (train instanceof Error) throw train;
    return summarize(train.ms).median;
  };
  return stepWorkload("W3", STRETCH_STEPS, deriva, { threads: torch.threads, measure });
}

export async function runW3(peers: readonly Peer[], set: Mnist, opts: W3Options): Promise<Table[]> {
  const train: Row[] = [];
  const forward: Row[] = [];
  for (const peer of peers) {
    const who = peerLabel(peer);
    const short = opts.short(peer);
    const [warmup, steps] = short ? [1, 3] : [opts.warmup, opts.steps];
    const base = rowOf(peer);
    const result =
      peer.lib === "torch"
        ? await torchSteps(peer, set, warmup, steps)
        : await inProcessSteps(peer, set, warmup, steps);
    forward.push({ ...base, value: summarize(result.forwardMs) });
    if (result.train instanceof Error) {
      train.push({ ...base, note: "cannot train", detail: result.train.message.split("\n")[0]! });
      continue;
    }
    const { losses, ms } = result.train;
    if (!losses.every(Number.isFinite))
      throw new CheckFailed(`W3 ${who}: a loss is not finite (${losses.join(", ")})`);
    const last5 = losses.slice(-5).reduce((a, b) => a + b, 0) / Math.min(5, losses.length);
    if (!short && !(last5 < losses[0]! - 0.05)) {
      throw new CheckFailed(
        `W3 ${who}: mean loss of the last 5 steps ${last5} is not below ${losses[0]} − 0.05`,
      );
    }
    const detail = `loss step 1 ${losses[0]!.toFixed(4)} → mean of last 5 ${last5.toFixed(4)}${short ? ` (${steps} timed steps after ${warmup} warm-up; no loss check)` : ""}`;
    train.push({ ...base, value: summarize(ms), detail });
  }
  const method = `${opts.steps} timed steps after ${opts.warmup} warm-up`;
  return [
    { title: "W3 CNN training step, batch 64", unit: "ms/step", higherIsBetter: false, rows: train, method },
    {
      title: "W3 CNN forward pass only, batch 64",
      unit: "ms/step",
      higherIsBetter: false,
      rows: forward,
      method,
    },
  ];
}
