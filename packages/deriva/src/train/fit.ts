/**
 * train.fit: the training loop. Each epoch visits the training data in mini-batches (gathered by a
 * DataLoader), takes one optimizer step per batch, then validates in eval mode without gradients.
 * A loss that turns NaN or infinite stops training and puts back the last good weights.
 */
import { Dataset } from "../data/dataset.js";
import { type Batch, DataLoader, type Samples } from "../data/loader.js";
import { mulberry32 } from "../data/seeded-shuffle.js";
import type { Module } from "../nn/module.js";
import { onlyOwnLayers } from "../nn/own-layers.js";
import { type FindLrResult, findLr, Optimizer } from "../optim/index.js";
import { manualSeed } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import { type Augment, isOwnAugment, resolveAugment } from "./augment.js";
import { LastGood, restoreCheckpoint, takeCheckpoint } from "./checkpoint.js";
import { EarlyStopping } from "./early-stopping.js";
import { evaluateWith } from "./evaluate.js";
import { defaultLoss, type LossSpec, resolveLoss } from "./loss-spec.js";
import { classesOfRows, countMatches } from "./metrics.js";
import { createOptimizer } from "./optimizer-spec.js";
import { createSchedule, type ScheduleSetup } from "./schedule-spec.js";
import { StepResults } from "./step-results.js";
import type { BatchLog, Callbacks, EpochLog, FitOptions, History, StopReason } from "./types.js";

/** Steps of the learning-rate range test when lr is "auto". */
const RANGE_TEST_STEPS = 100;

/**
 * Trains `model` on `data` and returns the history of the run.
 *
 * Per epoch: the mean training loss (and accuracy, for classification) over its batches, then the
 * validation loss and accuracy. With a seed (default 0) the split, the shuffles and the
 * augmentation are reproducible: the same seed and the same starting weights give the same losses.
 *
 * Asynchronous: each batch's loss (and outputs, for the accuracy) is read back with readItem() and
 * read(), which every backend serves, so a device backend and a page that must stay responsive
 * both work; with the CPU backends nothing waits.
 *
 * @example
 * manualSeed(0);
 * const x = randn([200, 4]);
 * const y = x.sum(1).gt(0).cast("int32"); // class 1 where the features sum above 0
 * const model = nn.fromConfig(models.mlp({ inputShape: [4], outputs: 2, hidden: [16] }));
 * const history = await train.fit(model, { x, y }, { epochs: 20, validationSplit: 0.2, lr: 0.01 });
 * history.epochs.length; // 20
 * history.epochs.at(-1)!.valAccuracy! > 0.9; // true
 */
export async function fit(model: Module, data: Dataset | Samples, opts: FitOptions = {}): Promise<History> {
  const epochs = positiveInt("epochs", opts.epochs ?? 10);
  const batchSize = positiveInt("batchSize", opts.batchSize ?? 32);
  const evalBatchSize = positiveInt("evalBatchSize", opts.evalBatchSize ?? 256);
  const initialEpoch = opts.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) {
    throw new Error(`fit: initialEpoch must be a whole number ≥ 0, got ${JSON.stringify(initialEpoch)}`);
  }
  const seed = opts.seed ?? 0;
  if (!Number.isFinite(seed)) throw new Error(`fit: the seed must be a finite number, got ${seed}`);
  if (opts.seed !== undefined) manualSeed(seed);

  const dataset = data instanceof Dataset ? data : new Dataset({ x: data.x, y: data.y });
  const [trainData, validation] = splitValidation(dataset, opts, seed);
  const task = dataset.task;
  const spec = resolveLoss(opts.loss ?? defaultLoss(task), task);
  const withAccuracy = wantsAccuracy(opts.metrics, task === "classification");
  const augment = resolveAugment(opts.augment);
  const callbacks = opts.callbacks === undefined ? [] : [opts.callbacks].flat();
  const emit = <K extends keyof Callbacks>(name: K, ...args: Parameters<NonNullable<Callbacks[K]>>) => {
    for (const cb of callbacks) (cb[name] as ((...a: typeof args) => void) | undefined)?.(...args);
  };

  const loader = new DataLoader(trainData, { batchSize, shuffle: opts.shuffle ?? true, seed });
  loader.setEpoch(initialEpoch);
  const optimizer = makeOptimizer(model, opts);
  let lrFinder: FindLrResult | null = null;
  if (opts.lr === "auto") {
    lrFinder = await rangeTest(model, optimizer, loader, spec);
    optimizer.lr = lrFinder.suggestion;
    emit("onLrFound", lrFinder, optimizer.lr);
  }
  const schedule = createSchedule(opts.schedule ?? "none", optimizer, {
    epochs,
    batchesPerEpoch: loader.length,
  });
  const startLr = optimizer.lr; // as the schedule sets it for the first step
  const stopper =
    opts.earlyStopping === undefined
      ? null
      : new EarlyStopping(opts.earlyStopping, validation !== null, task === "classification");

  emit("onTrainBegin", {
    epochs,
    initialEpoch,
    batchesPerEpoch: loader.length,
    trainSamples: trainData.length,
    validationSamples: validation?.length ?? 0,
    lr: startLr,
    optimizer,
  });

  const logs: EpochLog[] = [];
  const good = new LastGood(takeCheckpoint(initialEpoch, model, optimizer));
  let stopReason: StopReason = "completed";
  let message = `trained ${epochs} epoch${epochs > 1 ? "s" : ""}`;
  model.train();
  // only where no code of the user's runs inside a step's forward pass (a model, loss or augmentation of
  // its own may keep a tensor it makes)
  const recycleSteps = onlyOwnLayers(model) && spec.name !== "custom" && isOwnAugment(augment);
  for (let epoch = initialEpoch + 1; epoch <= initialEpoch + epochs; epoch++) {
    emit("onEpochBegin", epoch);
    const started = performance.now();
    const lr = optimizer.lr;
    const run = await runEpoch(epoch, loader, model, optimizer, spec, {
      augment,
      random: mulberry32(augmentSeed(seed, epoch)),
      schedule,
      withAccuracy,
      recycleSteps,
      onFirstLoss: () => good.confirm(),
      onBatchEnd: callbacks.length === 0 ? null : (log) => emit("onBatchEnd", log),
    });
    const metrics: Omit<EpochLog, "lr" | "seconds"> = { epoch, loss: run.loss };
    if (withAccuracy) metrics.accuracy = run.accuracy;
    let failure = run.failure;
    if (failure === null && validation !== null) {
      const v = await evaluateWith(model, validation, spec, task, evalBatchSize);
      metrics.valLoss = v.loss;
      if (withAccuracy) metrics.valAccuracy = v.accuracy!;
      if (!Number.isFinite(v.loss)) failure = `the validation loss became ${v.loss} after epoch ${epoch}`;
    }
    if (failure !== null) {
      // back to the last weights a finite loss vouched for: not the latest epoch's when the
      // failure came on the very next batch
      const back = good.confirmed;
      restoreCheckpoint(back, model, optimizer);
      stopReason = "non-finite-loss";
      message = `${failure} (learning rate ${formatLr(lr)}): training stopped and ${describeWeights(back.epoch, initialEpoch)} were restored; a smaller learning rate may help`;
      good.add(back, true);
      break;
    }
    if (schedule?.every === "epoch") schedule.schedule.step();
    const log: EpochLog = { ...metrics, lr, seconds: (performance.now() - started) / 1000 };
    logs.push(log);
    good.add(takeCheckpoint(epoch, model, optimizer), validation !== null);
    emit("onEpochEnd", log);
    if (stopper?.update(log, good.latest)) {
      stopReason = "early-stopping";
      message = `stopped early after epoch ${epoch}: ${stopper.describe()}`;
      break;
    }
  }

  let weightsEpoch = good.latest.epoch;
  const best = stopper?.restoreBestWeights ? stopper.best : null;
  if (best !== null && best.epoch !== weightsEpoch) {
    restoreCheckpoint(best, model, optimizer);
    weightsEpoch = best.epoch;
    message += `; restored the weights of epoch ${best.epoch}, the best by ${stopper!.monitor}`;
  }
  // the final pass also vouches for the last epoch's weights when no validation loss has
  const finalData = validation ?? trainData;
  let final = await evaluateWith(model, finalData, spec, task, evalBatchSize);
  if (!Number.isFinite(final.loss)) {
    const back = good.confirmed;
    restoreCheckpoint(back, model, optimizer);
    stopReason = "non-finite-loss";
    message = `the loss on the ${validation === null ? "training" : "validation"} data became ${final.loss} after epoch ${weightsEpoch}: ${describeWeights(back.epoch, initialEpoch)} were restored; a smaller learning rate may help`;
    weightsEpoch = back.epoch;
    final = await evaluateWith(model, finalData, spec, task, evalBatchSize);
  }
  const history: History = {
    epochs: logs,
    lr: startLr,
    lrFinder,
    stopReason,
    message,
    weightsEpoch,
    confusionMatrix: final.confusionMatrix,
    optimizer,
  };
  emit("onTrainEnd", history);
  return history;
}

interface EpochSettings {
  augment: Augment | null;
  random: () => number;
  schedule: ScheduleSetup | null;
  withAccuracy: boolean;
  /** Whether each step's forward results go to the result pool once the step is done (StepResults). */
  recycleSteps: boolean;
  /** Called when the first batch's loss is finite (it vouches for the weights the epoch started from). */
  onFirstLoss: () => void;
  onBatchEnd: ((log: BatchLog) => void) | null;
}

interface EpochResult {
  loss: number;
  accuracy: number;
  /** Why the epoch was cut short: a loss that is NaN or infinite (the step is not taken). */
  failure: string | null;
}

/** One pass over the training batches: forward, loss, backward, step; the hot path. */
async function runEpoch(
  epoch: number,
  loader: DataLoader,
  model: Module,
  optimizer: Optimizer,
  spec: LossSpec,
  settings: EpochSettings,
): Promise<EpochResult> {
  const { augment, random, schedule, withAccuracy, recycleSteps, onFirstLoss, onBatchEnd } = settings;
  const made = new StepResults(recycleSteps);
  const parameters = model.parameters();
  const batches = loader.length;
  let lossSum = 0;
  let seen = 0;
  let correct = 0;
  let batch = 0;
  for (const { x, y } of loader) {
    batch++;
    optimizer.zeroGrad();
    const [output, loss] = made.record(() => {
      const out = model.forward(augment === null ? x : augment(x, random));
      return [out, spec.compute(out, y)] as const;
    });
    const value = await loss.readItem();
    if (!Number.isFinite(value)) {
      const failure = `the training loss became ${value} at epoch ${epoch}, batch ${batch}`;
      return { loss: Number.NaN, accuracy: Number.NaN, failure };
    }
    if (batch === 1) onFirstLoss();
    loss.backward();
    optimizer.step();
    if (schedule?.every === "batch") schedule.schedule.step();
    const size = y.shape[0]!;
    lossSum += value * size;
    seen += size;
    if (withAccuracy) correct += await correctIn(output, y);
    made.release(parameters.map((p) => p.grad)); // nothing else of this step is read from here on
    onBatchEnd?.({ epoch, batch, batches, loss: value, meanLoss: lossSum / seen });
  }
  return { loss: lossSum / seen, accuracy: correct / seen, failure: null };
}

/** How many rows of outputs [B, C] have their largest value at their label (both read back). */
async function correctIn(output: Tensor, labels: Tensor): Promise<number> {
  const [rows, classes] = output.shape as [number, number];
  return countMatches(classesOfRows(await output.read(), rows, classes), await labels.read());
}

/** The optimizer from the options: an instance as given (its rate set when lr is a number), or a new one by name. */
function makeOptimizer(model: Module, opts: FitOptions): Optimizer {
  const lr = typeof opts.lr === "number" ? opts.lr : undefined;
  if (opts.lr !== undefined && lr === undefined && opts.lr !== "auto") {
    throw new Error(`fit: lr must be a number or "auto", got ${JSON.stringify(opts.lr)}`);
  }
  if (opts.optimizer instanceof Optimizer) {
    if (lr !== undefined) opts.optimizer.lr = lr;
    return opts.optimizer;
  }
  return createOptimizer(opts.optimizer ?? "adam", model.parameters(), lr);
}

/** The learning-rate range test on training batches (the model and optimizer are restored after it). */
async function rangeTest(
  model: Module,
  optimizer: Optimizer,
  loader: DataLoader,
  spec: LossSpec,
): Promise<FindLrResult> {
  let batches: Iterator<Batch> = loader.batches(loader.epoch);
  const nextBatch = (): Batch => {
    let next = batches.next();
    if (next.done) {
      batches = loader.batches(loader.epoch);
      next = batches.next();
    }
    return next.value as Batch;
  };
  const result = await findLr({
    model,
    optimizer,
    numIter: RANGE_TEST_STEPS,
    loss: () => {
      const { x, y } = nextBatch();
      return spec.compute(model.forward(x), y);
    },
  });
  if (!(result.suggestion > 0 && Number.isFinite(result.suggestion))) {
    throw new Error(
      `fit: lr "auto" found no rate: the loss diverged after ${result.lrs.length} steps of the range test; give lr a number`,
    );
  }
  return result;
}

function splitValidation(data: Dataset, opts: FitOptions, seed: number): [Dataset, Dataset | null] {
  const { validationSplit = 0, validationData } = opts;
  if (!(validationSplit >= 0 && validationSplit < 1)) {
    throw new Error(`fit: validationSplit must be in [0, 1), got ${validationSplit}`);
  }
  if (validationData !== undefined) {
    if (validationSplit > 0) throw new Error("fit: give validationSplit or validationData, not both");
    const v =
      validationData instanceof Dataset
        ? validationData
        : new Dataset({ x: validationData.x, y: validationData.y, task: data.task });
    if (v.task !== data.task)
      throw new Error(`fit: the validation data is for ${v.task}, the training data for ${data.task}`);
    return [data, v];
  }
  if (validationSplit === 0) return [data, null];
  return data.split(validationSplit, seed);
}

function wantsAccuracy(metrics: FitOptions["metrics"], classification: boolean): boolean {
  const list = metrics ?? (classification ? ["accuracy"] : []);
  for (const metric of list) {
    if (metric !== "accuracy")
      throw new Error(`fit: unknown metric ${JSON.stringify(metric)} (known: accuracy)`);
    if (!classification)
      throw new Error("fit: accuracy is a classification metric; this data set is regression");
  }
  return list.length > 0;
}

/** A seed for the augmentation of one epoch, so a resumed run draws what an uninterrupted one would. */
function augmentSeed(seed: number, epoch: number): number {
  return (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(epoch, 0x85ebca6b) ^ 0x5bd1e995) >>> 0;
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`fit: ${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function describeWeights(epoch: number, initialEpoch: number): string {
  if (epoch > initialEpoch) return `the weights of epoch ${epoch}`;
  return initialEpoch === 0 ? "the weights from before training" : "the weights training resumed from";
}

/** 0.001 → "0.001", 1e12 → "1e+12". */
function formatLr(lr: number): string {
  const rounded = Number(lr.toPrecision(3));
  return rounded !== 0 && (Math.abs(rounded) >= 1e4 || Math.abs(rounded) < 1e-4)
    ? rounded.toExponential()
    : String(rounded);
}
