/**
 * W2: a 784-128(ReLU)-10 MLP on MNIST, softmax cross-entropy (mean over the batch), plain SGD
 * lr 0.1, batch 64, 125 steps per epoch, epochs 0..3; epoch 0 warms up and samples/s = 8000 /
 * epoch time for epochs 1..3. Each timed step gathers the batch, makes the input tensors, runs
 * forward, backward and the update, and reads the loss back. Weights: Glorot uniform, seeds 11
 * and 12 (drawn [in, out] as tfjs stores them; deriva's Linear holds the transpose); biases 0.
 * Check: the last epoch's mean loss is below the first's, test accuracy after 3 epochs > 0.85.
 */
import { argmax, loss, nn, noGrad, optim, tensor } from "deriva";
import { CheckFailed } from "./lib/check.js";
import { BATCH, epochOrder, gatherBatch, glorot, type Mnist, PIXELS, transposed } from "./lib/data.js";
import { activate, loadTfjs, type Peer, peerName, type Tf } from "./lib/peers.js";
import type { Row, Table } from "./lib/report.js";
import { rates, seconds } from "./lib/stats.js";

const HIDDEN = 128;
const CLASSES = 10;
const STEPS = 8000 / BATCH;

/** One training step on a batch (returns the loss read back) and the test accuracy. */
export interface MlpTrainer {
  step(x: Float32Array, y: Int32Array): number;
  accuracy(set: Mnist): number;
}

function countCorrect(predicted: ArrayLike<number>, labels: Int32Array): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
}

export function derivaMlp(): MlpTrainer {
  const model = new nn.Sequential(
    new nn.Linear(PIXELS, HIDDEN),
    new nn.ReLU(),
    new nn.Linear(HIDDEN, CLASSES),
  );
  model.loadStateDict({
    "0.weight": tensor(transposed(glorot(PIXELS * HIDDEN, PIXELS, HIDDEN, 11), PIXELS, HIDDEN), {
      shape: [HIDDEN, PIXELS],
    }),
    "0.bias": tensor(new Float32Array(HIDDEN)),
    "2.weight": tensor(transposed(glorot(HIDDEN * CLASSES, HIDDEN, CLASSES, 12), HIDDEN, CLASSES), {
      shape: [CLASSES, HIDDEN],
    }),
    "2.bias": tensor(new Float32Array(CLASSES)),
  });
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
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

export function tfjsMlp(tf: Tf): MlpTrainer {
  const w1 = tf.variable(tf.tensor2d(glorot(PIXELS * HIDDEN, PIXELS, HIDDEN, 11), [PIXELS, HIDDEN]));
  const b1 = tf.variable(tf.zeros([HIDDEN]));
  const w2 = tf.variable(tf.tensor2d(glorot(HIDDEN * CLASSES, HIDDEN, CLASSES, 12), [HIDDEN, CLASSES]));
  const b2 = tf.variable(tf.zeros([CLASSES]));
  const optimizer = tf.train.sgd(0.1);
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

export interface EpochStats {
  readonly seconds: number;
  readonly meanLoss: number;
  readonly accuracy: number;
}

/** Trains `epochs` epochs (epoch e in order e), calling `after` with each epoch's figures. */
export function trainEpochs(
  trainer: MlpTrainer,
  set: Mnist,
  epochs: number,
  after?: (e: number, s: EpochStats) => void,
): EpochStats[] {
  const stats: EpochStats[] = [];
  for (let e = 0; e < epochs; e++) {
    const order = epochOrder(e);
    let total = 0;
    const start = seconds();
    for (let s = 0; s < STEPS; s++) {
      const { x, y } = gatherBatch(set, order, s);
      total += trainer.step(x, y);
    }
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

export async function makeTrainer(peer: Peer): Promise<MlpTrainer> {
  await activate(peer);
  return peer.lib === "deriva" ? derivaMlp() : tfjsMlp(await loadTfjs());
}

export async function runW2(peers: readonly Peer[], set: Mnist, epochs: number): Promise<Table> {
  const rows: Row[] = [];
  for (const peer of peers) {
    const trainer = await makeTrainer(peer);
    const stats = trainEpochs(trainer, set, epochs);
    const who = `${peerName(peer)} (${peer.threads} threads)`;
    checkMlp(stats, who);
    const timed = stats.slice(1).map((s) => s.seconds);
    const losses = stats.map((s) => s.meanLoss.toFixed(3)).join(" → ");
    const accuracies = stats.map((s) => s.accuracy.toFixed(4)).join(", ");
    rows.push({
      peer: peerName(peer),
      threads: peer.threads,
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
