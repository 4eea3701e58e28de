/**
 * W6: one training step of the cats-vs-dogs convnet (the preset `deriva train --data cats-vs-dogs`
 * trains) on a batch of 64 of the 1,600 training photos: flip-crop augmentation (drawn anew each
 * step), three blocks Conv2d 3×3 (same padding, bias) + BatchNorm2d (batch statistics) + ReLU +
 * MaxPool2d 2×2 with 32, 64, 128 channels, Flatten, Dropout 0.3, Linear(2048, 2), softmax
 * cross-entropy, Adam lr 1e-3 with L2 weight decay 5e-4. The photos are standardized per channel
 * once, before timing. Batches: consecutive slices of the training order; 5 warm-up steps, then
 * 20 timed (batch gather, augmentation, forward, backward, update, loss read-back). Seconds per
 * epoch: the median step times 25 (1,600 photos in batches of 64). Peers: deriva, TensorFlow.js
 * (cpu, wasm) in this process, and PyTorch (bench/w6-torch-reference.py --time-steps) in a child
 * process where /usr/bin/python3 has torch. Check: every loss finite.
 */
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadCatsVsDogs } from "@deriva/cli/datasets";
import { data, loss, manualSeed, models, nn, optim, type Tensor, tensor, train } from "deriva";
import { type AlternatingWorkload, derivaStretches, medianStep, stepWorkload } from "./lib/alternating.js";
import { CheckFailed } from "./lib/check.js";
import { activate, type DerivaPeer, loadTfjs, type Peer, peerName, type Tf } from "./lib/peers.js";
import { type Row, rowOf, type Table } from "./lib/report.js";
import { summarize, timed } from "./lib/stats.js";
import { splitBytes } from "./w6-split.js";

const BATCH = 64;
const PYTHON = "/usr/bin/python3";
const STEPS_PER_EPOCH = 25;
const PIXELS = 3 * 32 * 32;

/** The training photos, standardized, as flat CHW rows, with their labels. */
interface Photos {
  x: Float32Array;
  y: Int32Array;
}

async function photos(): Promise<Photos> {
  const { train: set } = await loadCatsVsDogs();
  const ready = data.standardizeImages(set);
  return { x: ready.x.data() as Float32Array, y: ready.y.data() as Int32Array };
}

function batchAt(set: Photos, step: number): { x: Float32Array; y: Int32Array } {
  const n = set.y.length;
  const start = (step * BATCH) % (n - BATCH);
  return {
    x: set.x.subarray(start * PIXELS, (start + BATCH) * PIXELS),
    y: set.y.subarray(start, start + BATCH),
  };
}

/** deriva: the convnet preset, nn modules and the Adam optimizer, as `deriva train` runs them. */
function derivaStep(): (x: Float32Array, y: Int32Array) => number {
  manualSeed(0);
  const model = nn.fromConfig(models.convnet({ inputShape: [3, 32, 32], outputs: 2 }));
  model.train();
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3, weightDecay: 5e-4 });
  const random = data.mulberry32(6);
  return (x, y) => {
    const images: Tensor = train.flipCropImages(tensor(x, { shape: [BATCH, 3, 32, 32] }), random);
    optimizer.zeroGrad();
    const cost = loss.crossEntropy(model.forward(images), tensor(y, { dtype: "int32" }));
    cost.backward();
    optimizer.step();
    return cost.item();
  };
}

/** TensorFlow.js: the same network written with its ops (NHWC), batch norm from the batch's moments. */
function tfjsStep(tf: Tf): (x: Float32Array, y: Int32Array) => number {
  const widths = [32, 64, 128];
  const variables = widths.flatMap((out, i) => {
    const inC = i === 0 ? 3 : widths[i - 1]!;
    return [
      tf.variable(tf.randomNormal([3, 3, inC, out], 0, Math.sqrt(2 / (9 * inC)), "float32", 1 + i)),
      tf.variable(tf.zeros([out])),
      tf.variable(tf.ones([out])),
      tf.variable(tf.zeros([out])),
    ];
  });
  const dense = tf.variable(tf.randomNormal([2048, 2], 0, Math.sqrt(1 / 2048), "float32", 9));
  const denseBias = tf.variable(tf.zeros([2]));
  const optimizer = tf.train.adam(1e-3);
  type T4 = ReturnType<Tf["tensor4d"]>;
  const forward = (x: T4) => {
    let h = x;
    for (let b = 0; b < 3; b++) {
      const [kernel, bias, gamma, beta] = variables.slice(4 * b, 4 * b + 4);
      const z = tf.add(tf.conv2d(h, kernel as ReturnType<Tf["tensor4d"]>, 1, "same"), bias!) as T4;
      const { mean, variance } = tf.moments(z, [0, 1, 2]);
      const normed = tf.batchNorm(z, mean, variance, beta as never, gamma as never, 1e-5);
      h = tf.maxPool(tf.relu(normed) as T4, 2, 2, "valid");
    }
    const flat = tf.dropout(tf.reshape(h, [BATCH, 2048]), 0.3);
    return tf.add(tf.matMul(flat, dense), denseBias);
  };
  const all = [...variables, dense, denseBias];
  const random = data.mulberry32(6);
  return (x, y) => {
    // the same augmentation as deriva's, on NCHW, then to NHWC
    const images = train
      .flipCropImages(tensor(x, { shape: [BATCH, 3, 32, 32] }), random)
      .data() as Float32Array;
    const xs = tf.transpose(tf.tensor4d(images, [BATCH, 3, 32, 32]), [0, 2, 3, 1]) as T4;
    const labels = tf.oneHot(tf.tensor1d(y, "int32"), 2);
    const cost = optimizer.minimize(
      () => {
        const ce = tf.losses.softmaxCrossEntropy(labels, forward(xs));
        // Adam's L2 weight decay as PyTorch adds it: 5e-4 · ½‖w‖² in the loss gives 5e-4 · w in the gradient
        const decay = tf.mul(2.5e-4, tf.addN(all.map((v) => tf.sum(tf.square(v)))));
        return tf.add(ce, decay) as ReturnType<Tf["scalar"]>;
      },
      true,
      all,
    )!;
    const value = cost.dataSync()[0]!;
    tf.dispose([xs, labels, cost]);
    return value;
  };
}

function timeSteps(
  set: Photos,
  warmup: number,
  steps: number,
  step: (x: Float32Array, y: Int32Array) => number,
) {
  const losses: number[] = [];
  const times: number[] = [];
  for (let s = 0; s < warmup + steps; s++) {
    const { x, y } = batchAt(set, s);
    const t = timed(() => losses.push(step(x, y)));
    if (s >= warmup) times.push(t * 1000);
  }
  return { losses, times };
}

/** The file w6-torch-reference.py reads the split from, written once per run; null where /usr/bin/python3 has no torch. */
let splitFile: Promise<string | null> | null = null;

function torchSplitFile(): Promise<string | null> {
  splitFile ??= (async () => {
    const probe = existsSync(PYTHON) ? spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" }) : null;
    if (probe === null || probe.status !== 0) return null;
    const file = join(tmpdir(), `deriva-w6-${process.pid}.bin`);
    await writeFile(file, await splitBytes());
    process.once("exit", () => rmSync(file, { force: true }));
    return file;
  })();
  return splitFile;
}

/** PyTorch's timed steps (ms) on `threads` threads after its 5 warm-up steps, in a child process. */
function torchStepTimes(file: string, threads: number, steps: number): TorchSteps | Error {
  const script = fileURLToPath(new URL("./w6-torch-reference.py", import.meta.url));
  const args = [script, file, "--time-steps", String(steps), "--threads", String(threads)];
  const run = spawnSync(PYTHON, args, { encoding: "utf8" });
  if (run.status !== 0) return new Error(run.stderr.trim().split("\n").at(-1));
  return JSON.parse(run.stdout.trim().split("\n").at(-1)!) as TorchSteps;
}

interface TorchSteps {
  readonly torch: string;
  readonly threads: number;
  readonly samples: number[];
}

/** PyTorch's step in a child process, or no rows when there is no python3-torch. */
async function torchRows(threadCounts: readonly number[], steps: number): Promise<Row[]> {
  const file = await torchSplitFile();
  if (file === null) return [];
  return threadCounts.map((threads): Row => {
    const r = torchStepTimes(file, threads, steps);
    if (r instanceof Error)
      return { peer: "pytorch", lib: "torch", threads, note: "failed", detail: r.message };
    return {
      peer: "pytorch",
      lib: "torch",
      threads: r.threads,
      value: summarize(r.samples),
      detail: `PyTorch ${r.torch} (Debian python3-torch), its own step in Python`,
    };
  });
}

/** Training steps a stretch of the alternating rounds times (their median is its figure). */
const STRETCH_STEPS = 10;

/**
 * W6's contenders for the alternating rounds (lib/alternating.ts): a stretch is the median of 10
 * training steps in ms; deriva's models are kept from round to round, PyTorch's process warms up
 * for 5 steps each time. Null where there is no python3-torch.
 */
export async function w6Alternating(derivaPeers: readonly DerivaPeer[]): Promise<AlternatingWorkload | null> {
  const file = await torchSplitFile();
  if (file === null) return null;
  const set = await photos();
  const deriva = await derivaStretches(derivaPeers, async () => {
    const step = derivaStep();
    return () => medianStep(timeSteps(set, 0, STRETCH_STEPS, step));
  });
  const measure = async () => {
    const r = torchStepTimes(file, 1, STRETCH_STEPS);
    if (r instanceof Error) throw r;
    return summarize(r.samples).median;
  };
  return stepWorkload("W6", STRETCH_STEPS, deriva, { threads: 1, measure });
}

export interface W6Options {
  readonly warmup: number;
  readonly steps: number;
  /** Peers run with 1 warm-up and 2 timed steps (tfjs cpu: a minute or more a step). */
  readonly short: (peer: Peer) => boolean;
  /** Thread counts for PyTorch (none: no PyTorch rows). */
  readonly torchThreads: readonly number[];
}

export async function runW6(peers: readonly Peer[], opts: W6Options): Promise<Table[]> {
  const set = await photos();
  const stepRows: Row[] = [];
  for (const peer of peers) {
    // deriva's nn path on its wasm backend (the js backend takes minutes a step), and TensorFlow.js
    if (peer.lib === "deriva" ? peer.backend !== "wasm" || peer.api === "functional" : peer.lib !== "tfjs")
      continue;
    await activate(peer);
    const who = `${peerName(peer)} (${peer.threads} threads)`;
    try {
      const step = peer.lib === "deriva" ? derivaStep() : tfjsStep(await loadTfjs());
      const [warmup, steps] = opts.short(peer) ? [1, 2] : [opts.warmup, opts.steps];
      const { losses, times } = timeSteps(set, warmup, steps, step);
      if (!losses.every(Number.isFinite))
        throw new CheckFailed(`W6 ${who}: a loss is not finite (${losses.join(", ")})`);
      stepRows.push({
        ...rowOf(peer),
        value: summarize(times),
        detail: `loss ${losses[0]!.toFixed(3)} → ${losses.at(-1)!.toFixed(3)}`,
      });
    } catch (error) {
      if (error instanceof CheckFailed) throw error;
      stepRows.push({
        ...rowOf(peer),
        note: "cannot train",
        detail: (error as Error).message.split("\n")[0]!,
      });
    }
  }
  stepRows.push(...(await torchRows(opts.torchThreads, opts.steps)));
  const epochRows = stepRows.map((row): Row => {
    if (row.value === undefined) return row;
    const scale = (v: number) => (v * STEPS_PER_EPOCH) / 1000;
    const v = row.value;
    return {
      ...row,
      value: { ...v, median: scale(v.median), min: scale(v.min), max: scale(v.max) },
      detail: undefined,
    };
  });
  const method = `${opts.steps} timed steps after ${opts.warmup} warm-up`;
  return [
    {
      title: "W6 cats-vs-dogs convnet training step, batch 64",
      unit: "ms/step",
      higherIsBetter: false,
      rows: stepRows,
      method,
    },
    {
      title: "W6 cats-vs-dogs convnet epoch (1,600 photos: 25 steps of the median)",
      unit: "s/epoch",
      higherIsBetter: false,
      rows: epochRows,
      method,
    },
  ];
}
