/**
 * W2: a 784-128(ReLU)-10 MLP on MNIST, softmax cross-entropy (mean over the batch), plain SGD
 * lr 0.1, batch 64, 125 steps per epoch, epochs 0..3; epoch 0 warms up and samples/s = 8000 /
 * epoch time for epochs 1..3. Each timed step gathers the batch, makes the input tensors, runs
 * forward, backward and the update, and reads the loss back. Weights: Glorot uniform, seeds 11
 * and 12 (drawn [in, out] as tfjs stores them; deriva's Linear and PyTorch's hold the
 * transpose); biases 0. Check: the last epoch's mean loss is below the first's, test accuracy
 * after 3 epochs > 0.85.
 *
 * deriva trains it twice: through nn + optim (Sequential, SGD, backward()), and through the
 * functional API (valueAndGrad over the four parameters and a plain SGD update). jax-js jits the
 * whole step (valueAndGrad + update); PyTorch (bench/pytorch/peer.py) uses nn + optim.SGD on the
 * same data, order and initial weights.
 */
import { argmax, loss, nn, noGrad, optim, relu, type Tensor, tensor, valueAndGrad, zeros } from "deriva";
import { type AlternatingWorkload, derivaStretches } from "./lib/alternating.js";
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
import { rates, seconds } from "./lib/stats.js";

const HIDDEN = 128;
const CLASSES = 10;
const STEPS = 8000 / BATCH;
const LR = 0.1;

/** One training step on a batch (returns the loss read back) and the test accuracy. */
export interface MlpTrainer {
  step(x: Float32Array, y: Int32Array): number;
  accuracy(set: Mnist): number;
  /** Waits for queued work (jax-js is lazy): called before an epoch's clock stops. */
  settle?(): Promise<void>;
}

/** The initial weights in tfjs's [in, out] layout. */
function initialWeights() {
  return {
    w1: glorot(PIXELS * HIDDEN, PIXELS, HIDDEN, 11),
    w2: glorot(HIDDEN * CLASSES, HIDDEN, CLASSES, 12),
  };
}

function countCorrect(predicted: ArrayLike<number>, labels: Int32Array): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
}

function derivaMlp(): MlpTrainer {
  const { w1, w2 } = initialWeights();
  const model = new nn.Sequential(
    new nn.Linear(PIXELS, HIDDEN),
    new nn.ReLU(),
    new nn.Linear(HIDDEN, CLASSES),
  );
  model.loadStateDict({
    "0.weight": tensor(transposed(w1, PIXELS, HIDDEN), { shape: [HIDDEN, PIXELS] }),
    "0.bias": tensor(new Float32Array(HIDDEN)),
    "2.weight": tensor(transposed(w2, HIDDEN, CLASSES), { shape: [CLASSES, HIDDEN] }),
    "2.bias": tensor(new Float32Array(CLASSES)),
  });
  const optimizer = new optim.SGD(model.parameters(), { lr: LR });
  return {
    step(x, y) {
      const xs = tensor(x, { shape: [BATCH, PIXELS] });
      const ys = tensor(y, { dtype: "int32" });
      optimizer.zeroGrad();
      const cost = loss.crossEntropy(model.forward(xs), ys);
      cost.backward();
      optimizer.step();
      return cost.item();
    },
    accuracy(set) {
      const n = set.testY.length;
      const predicted = noGrad(() => argmax(model.forward(tensor(set.testX, { shape: [n, PIXELS] })), 1));
      return countCorrect(predicted.data(), set.testY);
    },
  };
}

/** The functional path: the parameters as plain tensors, valueAndGrad, and p ← p − lr·g without a graph. */
function derivaFunctionalMlp(): MlpTrainer {
  const weights = initialWeights();
  let params = [
    tensor(weights.w1, { shape: [PIXELS, HIDDEN] }),
    zeros([HIDDEN]),
    tensor(weights.w2, { shape: [HIDDEN, CLASSES] }),
    zeros([CLASSES]),
  ];
  const logits = (w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor, x: Tensor) =>
    relu(x.matmul(w1).add(b1)).matmul(w2).add(b2);
  const lossAndGrads = valueAndGrad(
    (w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor, x: Tensor, y: Tensor) =>
      loss.crossEntropy(logits(w1, b1, w2, b2, x), y),
    { argnums: [0, 1, 2, 3] },
  );
  return {
    step(x, y) {
      const [w1, b1, w2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
      const xs = tensor(x, { shape: [BATCH, PIXELS] });
      const [cost, grads] = lossAndGrads(w1, b1, w2, b2, xs, tensor(y, { dtype: "int32" }));
      params = noGrad(() => params.map((p, i) => p.sub(grads[i]!.mul(LR))));
      return cost.item();
    },
    accuracy(set) {
      const n = set.testY.length;
      const [w1, b1, w2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
      const x = tensor(set.testX, { shape: [n, PIXELS] });
      return countCorrect(noGrad(() => argmax(logits(w1, b1, w2, b2, x), 1)).data(), set.testY);
    },
  };
}

function tfjsMlp(tf: Tf): MlpTrainer {
  const weights = initialWeights();
  const w1 = tf.variable(tf.tensor2d(weights.w1, [PIXELS, HIDDEN]));
  const b1 = tf.variable(tf.zeros([HIDDEN]));
  const w2 = tf.variable(tf.tensor2d(weights.w2, [HIDDEN, CLASSES]));
  const b2 = tf.variable(tf.zeros([CLASSES]));
  const optimizer = tf.train.sgd(LR);
  const logits = (x: ReturnType<Tf["tensor2d"]>) =>
    tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2) as ReturnType<Tf["tensor2d"]>;
  return {
    step(x, y) {
      const xs = tf.tensor2d(x, [BATCH, PIXELS]);
      const labels = tf.tensor1d(y, "int32");
      const ys = tf.oneHot(labels, CLASSES);
      const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, logits(xs)), true, [
        w1,
        b1,
        w2,
        b2,
      ])!;
      const value = cost.dataSync()[0]!;
      tf.dispose([xs, labels, ys, cost]);
      return value;
    },
    accuracy(set) {
      const n = set.testY.length;
      const predicted = tf.tidy(() => tf.argMax(logits(tf.tensor2d(set.testX, [n, PIXELS])), 1));
      const values = predicted.dataSync();
      predicted.dispose();
      return countCorrect(values, set.testY);
    },
  };
}

type MlpParams = { w1: JaxArray; b1: JaxArray; w2: JaxArray; b2: JaxArray };

/** jax-js: the whole step (valueAndGrad + SGD update) jitted once, as the library means it. */
function jaxMlp(jax: Jax): MlpTrainer {
  const { numpy: np, nn: jnn, jit, tree, blockUntilReady } = jax;
  const weights = initialWeights();
  let params: MlpParams = {
    w1: np.array(weights.w1, { shape: [PIXELS, HIDDEN] }),
    b1: np.zeros([HIDDEN]),
    w2: np.array(weights.w2, { shape: [HIDDEN, CLASSES] }),
    b2: np.zeros([CLASSES]),
  };
  const logits = (p: MlpParams, x: JaxArray) =>
    np.matmul(jnn.relu(np.matmul(x, p.w1).add(p.b1)), p.w2).add(p.b2);
  const step = jitSgdStep(
    jax,
    (p: MlpParams, x: JaxArray, labels: JaxArray) => crossEntropy(jax, logits(p, x), labels, CLASSES),
    LR,
  );
  const predict = jit((p: MlpParams, x: JaxArray) => np.argmax(logits(p, x), 1));
  return {
    step(x, y) {
      const xs = np.array(x, { shape: [BATCH, PIXELS] });
      const [cost, next] = step(params, xs, np.array(y, { dtype: np.int32 }));
      params = next;
      return cost.item();
    },
    accuracy(set) {
      const n = set.testY.length;
      // tree.ref: the parameters stay alive (the jitted function consumes its arguments)
      const predicted = predict(tree.ref(params), np.array(set.testX, { shape: [n, PIXELS] }));
      return countCorrect(predicted.dataSync(), set.testY);
    },
    async settle() {
      await blockUntilReady(params);
    },
  };
}

export interface EpochStats {
  readonly seconds: number;
  readonly meanLoss: number;
  readonly accuracy: number;
}

/** Trains `epochs` epochs (epoch e in order e), calling `after` with each epoch's figures. */
export async function trainEpochs(
  trainer: MlpTrainer,
  set: Mnist,
  epochs: number,
  after?: (e: number, s: EpochStats) => void,
): Promise<EpochStats[]> {
  const stats: EpochStats[] = [];
  for (let e = 0; e < epochs; e++) {
    const order = epochOrder(e);
    let total = 0;
    const start = seconds();
    for (let s = 0; s < STEPS; s++) {
      const { x, y } = gatherBatch(set, order, s);
      total += trainer.step(x, y);
    }
    await trainer.settle?.();
    const time = seconds() - start;
    const epoch = { seconds: time, meanLoss: total / STEPS, accuracy: trainer.accuracy(set) };
    stats.push(epoch);
    after?.(e, epoch);
  }
  return stats;
}

export function checkMlp(stats: readonly EpochStats[], who: string): void {
  const losses = stats.map((s) => s.meanLoss);
  if (!(losses.at(-1)! < losses[0]!))
    throw new CheckFailed(`W2 ${who}: the loss did not fall (${losses.join(" → ")})`);
  const acc = stats[Math.min(2, stats.length - 1)]!.accuracy;
  if (!(acc > 0.85))
    throw new CheckFailed(`W2 ${who}: test accuracy after 3 epochs is ${acc}, not above 0.85`);
}

export async function makeTrainer(peer: Exclude<Peer, { lib: "torch" }>): Promise<MlpTrainer> {
  await activate(peer);
  if (peer.lib === "deriva") return peer.api === "functional" ? derivaFunctionalMlp() : derivaMlp();
  return peer.lib === "jax" ? jaxMlp(await loadJax()) : tfjsMlp(await loadTfjs());
}

/** PyTorch's epochs in a child process, on the same data, epoch orders and initial weights. */
async function torchEpochs(peer: TorchPeer, set: Mnist, epochs: number): Promise<EpochStats[]> {
  const orders = new Int32Array(epochs * 8000);
  for (let e = 0; e < epochs; e++) orders.set(epochOrder(e), e * 8000);
  const { w1, w2 } = initialWeights();
  const result = await peer.runner.run<{ epochs: EpochStats[] }>(
    "w2",
    peer.threads,
    { epochs, lr: LR, batch: BATCH },
    {
      trainX: { values: set.trainX, shape: [set.trainY.length, PIXELS] },
      trainY: { values: set.trainY, shape: [set.trainY.length] },
      testX: { values: set.testX, shape: [set.testY.length, PIXELS] },
      testY: { values: set.testY, shape: [set.testY.length] },
      orders: { values: orders, shape: [epochs, 8000] },
      w1: { values: transposed(w1, PIXELS, HIDDEN), shape: [HIDDEN, PIXELS] },
      w2: { values: transposed(w2, HIDDEN, CLASSES), shape: [CLASSES, HIDDEN] },
    },
  );
  return result.epochs;
}

/**
 * W2's contenders for the alternating rounds (lib/alternating.ts): a stretch is one epoch (125
 * steps) in samples/s; deriva's trainers are kept from round to round, PyTorch's request trains
 * two epochs and the second is timed (its first warms up).
 */
export async function w2Alternating(
  derivaPeers: readonly DerivaPeer[],
  torch: TorchPeer,
  set: Mnist,
): Promise<AlternatingWorkload> {
  const deriva = await derivaStretches(derivaPeers, async (peer) => {
    const trainer = await makeTrainer(peer);
    return async () => {
      const [epoch] = await trainEpochs(trainer, set, 1);
      return { figure: 8000 / epoch!.seconds, losses: [epoch!.meanLoss] };
    };
  });
  const measure = async () => 8000 / (await torchEpochs(torch, set, 2))[1]!.seconds;
  return {
    name: "W2",
    unit: "samples/s",
    higherIsBetter: true,
    stretch: "one epoch",
    deriva,
    torch: { peer: "pytorch", threads: torch.threads, measure },
  };
}

export async function runW2(peers: readonly Peer[], set: Mnist, epochs: number): Promise<Table> {
  const rows: Row[] = [];
  for (const peer of peers) {
    const stats =
      peer.lib === "torch"
        ? await torchEpochs(peer, set, epochs)
        : await trainEpochs(await makeTrainer(peer), set, epochs);
    checkMlp(stats, peerLabel(peer));
    const timed = stats.slice(1).map((s) => s.seconds);
    const losses = stats.map((s) => s.meanLoss.toFixed(3)).join(" → ");
    const accuracies = stats.map((s) => s.accuracy.toFixed(4)).join(", ");
    rows.push({
      ...rowOf(peer),
      value: rates(8000, timed),
      detail: `epoch losses ${losses}; test accuracy after each epoch ${accuracies}`,
    });
  }
  return {
    title: "W2 MLP training 784-128-10, batch 64",
    unit: "samples/s",
    higherIsBetter: true,
    rows,
    method: `epochs 1..${epochs - 1} after a warm-up epoch`,
  };
}
