/**
 * The learning-rate range test (Leslie Smith, "Cyclical Learning Rates", 2017; fastai's lr_find):
 * train for a short run while the rate grows exponentially from startLr to endLr, record the
 * smoothed loss, stop once it exceeds divergeFactor × the best seen, and suggest the rate where the
 * smoothed loss falls fastest (fastai's "steep" suggestion). The model's weights and the optimizer's state are restored afterwards.
 */
import type { Tensor } from "../core.js";
import type { Module } from "../nn/index.js";
import type { Optimizer } from "./optimizer.js";

/** Options of optim.findLr: what to train and the range of rates to sweep. */
export interface FindLrOptions {
  /** The model whose weights are trained during the test and restored afterwards. */
  model: Module;
  /** The optimizer to sweep (its lr is overridden during the test; its state is restored afterwards). */
  optimizer: Optimizer;
  /** The training loss on the i-th batch (a forward pass; findLr calls backward and step). */
  loss: (iteration: number) => Tensor;
  /** First rate tried (default 1e-7). */
  startLr?: number;
  /** Last rate tried (default 10). */
  endLr?: number;
  /** Number of steps, at most (default 100). */
  numIter?: number;
  /** Weight of the past in the loss's exponential moving average (default 0.98). */
  beta?: number;
  /** Stop when the smoothed loss exceeds this multiple of the best one (default 4). */
  divergeFactor?: number;
}

/** What optim.findLr found: the suggested rate and the curve behind it. */
export interface FindLrResult {
  /** The rate at the steepest descent of the smoothed loss (NaN when fewer than 2 steps could be taken). */
  suggestion: number;
  /** The rates tried, one per step. */
  lrs: number[];
  /** The smoothed (bias-corrected) losses, one per rate. */
  losses: number[];
  /** The raw losses, one per rate. */
  rawLosses: number[];
}

/**
 * Runs the range test and resolves with the suggested rate and the curve (asynchronous: each
 * step's loss is read back with readItem(), which every backend serves).
 *
 * @example
 * const model = new nn.Linear(4, 3);
 * const optimizer = new optim.SGD(model.parameters());
 * const x = randn([32, 4]);
 * const y = randint(0, 3, [32], { dtype: "int32" });
 * const lossOf = () => loss.crossEntropy(model.forward(x), y);
 * const { suggestion } = await optim.findLr({ model, optimizer, loss: lossOf, numIter: 30 });
 * optimizer.lr = suggestion;
 */
export async function findLr(opts: FindLrOptions): Promise<FindLrResult> {
  const { model, optimizer } = opts;
  const startLr = opts.startLr ?? 1e-7;
  const endLr = opts.endLr ?? 10;
  const numIter = opts.numIter ?? 100;
  const beta = opts.beta ?? 0.98;
  const divergeFactor = opts.divergeFactor ?? 4;
  if (!(startLr > 0 && endLr > startLr)) {
    throw new Error(`findLr: need 0 < startLr < endLr, got ${startLr} and ${endLr}`);
  }
  if (!Number.isInteger(numIter) || numIter < 2) {
    throw new Error(`findLr: numIter must be an integer ≥ 2, got ${JSON.stringify(numIter)}`);
  }
  if (!(beta >= 0 && beta < 1)) throw new Error(`findLr: beta must be in [0, 1), got ${beta}`);

  const savedModel = model.stateDict();
  const savedOptimizer = optimizer.stateDict();
  const wasTraining = model.training;
  const lrs: number[] = [];
  const losses: number[] = [];
  const rawLosses: number[] = [];
  try {
    model.train();
    let average = 0;
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < numIter; i++) {
      const lr = startLr * (endLr / startLr) ** (i / (numIter - 1));
      optimizer.lr = lr;
      optimizer.zeroGrad();
      const value = opts.loss(i);
      const raw = await value.readItem();
      average = beta * average + (1 - beta) * raw;
      const smoothed = average / (1 - beta ** (i + 1));
      lrs.push(lr);
      rawLosses.push(raw);
      losses.push(smoothed);
      if (!Number.isFinite(smoothed) || smoothed > divergeFactor * best) break;
      if (smoothed < best) best = smoothed;
      value.backward();
      optimizer.step();
    }
  } finally {
    model.loadStateDict(savedModel);
    optimizer.loadStateDict(savedOptimizer);
    model.train(wasTraining);
  }
  return { suggestion: steepest(lrs, losses, numIter), lrs, losses, rawLosses };
}

/**
 * fastai's "steep" suggestion: the rate where the smoothed loss falls fastest against log(lr), by
 * forward differences, leaving out the first tenth of the planned steps (where the average is still
 * settling) and the last 5 recorded (where it diverges). Falls back to all points on a short run.
 */
function steepest(lrs: number[], losses: number[], numIter: number): number {
  let from = Math.floor(numIter / 10);
  let to = lrs.length - 5;
  if (to - from < 2) [from, to] = [0, lrs.length];
  let best = Number.NaN;
  let bestSlope = Number.POSITIVE_INFINITY;
  for (let i = from; i < to - 1; i++) {
    const slope = (losses[i + 1]! - losses[i]!) / (Math.log(lrs[i + 1]!) - Math.log(lrs[i]!));
    if (slope < bestSlope) {
      bestSlope = slope;
      best = lrs[i]!;
    }
  }
  return best;
}
