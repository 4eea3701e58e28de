/**
 * `deriva train`: train a network on MNIST (the default), a CSV file or an image folder, show the
 * progress, save the model folder with its history, and report the held-out figures.
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { Option } from "commander";
import { type data, manualSeed, models, nn, type optim, train } from "deriva";
import { inputShapeOf, type LoadedData, loadData } from "../data-source.js";
import { UserError } from "../errors.js";
import { HISTORY_JSONL, HISTORY_SVG, readHistory, writeHistory } from "../history-files.js";
import { readTrained, saveTrained, type TrainedModel, type TrainingRecord } from "../model-folder.js";
import { progressCallbacks } from "../progress.js";
import { architectureLine, confusionLines, count, percent, short } from "../report.js";
import { readTrainFlags, type TrainFlags, type TrainRequest } from "../train-flags.js";

const EXAMPLES = `
Examples:
  $ deriva train                                    an MLP on the built-in MNIST digits (≥ 95% on the test digits)
  $ deriva train --model cnn                        a small convolutional network (≥ 97% on the test digits)
  $ deriva train --data iris.csv --target species   a table: numeric columns standardized, strings one-hot
  $ deriva train --data pets/ --image-size 32       an image folder: pets/cats/*.png, pets/dogs/*.jpg, ...
  $ deriva train --lr auto --optimizer momentum     pick the learning rate by a range test first
  $ deriva train --resume model/ --epochs 5         5 more epochs from a saved model and optimizer state

Defaults: hidden 256 (mlp; cnn: none after its convolutions), Adam at lr 0.001 (sgd 0.1, momentum
0.01), batch 64, 10% of the training data held out for validation, 15 epochs (small data sets: enough
epochs for about 1,000 steps, at most 200), shift augmentation for images (each image moved by up to
one pixel, new every epoch), a cosine schedule for cnn. A CSV target with strings or few whole numbers
is a class; other numbers are a regression (mse loss, loss reported only). The model folder (--out,
default model/) gets model.json, weights.safetensors (PyTorch names such as 1.weight),
optimizer.safetensors (for --resume), history.jsonl and history.svg.`;

export function registerTrain(program: Command): void {
  program
    .command("train")
    .description("train a neural network and save it as a model folder")
    .option(
      "--data <source>",
      "mnist, a .csv file, or an image folder with one sub-folder per class",
      "mnist",
    )
    .option("--target <column>", "CSV: the column to predict (default: the last)")
    .option("--model <name>", "mlp | cnn | logistic | an architecture .json file (default mlp)")
    .option("--hidden <sizes>", "hidden layer widths, e.g. 256 or 256,128 (none: no hidden layer)")
    .option("--activation <name>", "relu | sigmoid | tanh (default relu)")
    .option(
      "--loss <name>",
      "cross-entropy | mse | quadratic | bce (regression: mse | quadratic | mae | huber)",
    )
    .option("--optimizer <name>", "sgd | momentum | adam | adamw | rmsprop | adagrad (default adam)")
    .option("--lr <rate>", "learning rate: a number, or auto (learning-rate range test)")
    .option("--schedule <name>", "none | cosine | step | exponential | one-cycle")
    .option("--epochs <n>", "passes over the training data (when resuming: how many more)")
    .option("--batch-size <n>", "samples per step (default 64)")
    .option("--val-split <fraction>", "fraction held out for validation (default 0.1; 0: none)")
    .option("--augment <name>", "none | shift (default: shift for images, none for tables)")
    .option("--patience <n>", "stop after n epochs without a better validation loss (and keep the best)")
    .option("--image-size <size>", "image folders: resize to this side, or HxW (default 28)")
    .option("--channels <n>", "image folders: 1 (gray), 3 (RGB) or auto (default)")
    .option("--seed <n>", "seed of the weights, the split, the shuffles and the augmentation (default 0)")
    .option("--out <folder>", "where to save the model (default model/)")
    .option("--resume [folder]", "continue training a saved model and its optimizer state (default: --out)")
    .addOption(new Option("--limit <n>", "train on the first n samples only (quick checks)").hideHelp())
    .addHelpText("after", EXAMPLES)
    .action(async (flags: TrainFlags) => {
      await runTrain(readTrainFlags(flags));
    });
}

async function runTrain(request: TrainRequest): Promise<void> {
  const started = performance.now();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const resumed = request.resume === undefined ? null : await readTrained(request.resume);
  const loaded = await loadData(request.data, {
    target: request.target,
    imageSize: request.imageSize,
    channels: request.channels,
    saved: resumed === null ? undefined : { preprocessing: resumed.preprocessing, classes: resumed.classes },
    onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
  });
  const data = request.limit === undefined ? loaded.data : firstSamples(loaded.data, request.limit);
  const task = data.task;
  const preprocessing = data.preprocessing!;
  const outputs = task === "classification" ? data.classNames!.length : (data.y.shape[1] ?? 1);
  const seed = resumed?.record.seed ?? request.seed ?? 0;
  manualSeed(seed);

  const model = resumed?.module ?? (await buildModel(request, inputShapeOf(preprocessing), outputs));
  const modelName = resumed?.record.model ?? presetName(request);
  const lossName = resumed?.record.loss ?? request.loss ?? train.defaultLoss(task);
  const link = train.resolveLoss(lossName, task).link; // also refuses a loss that does not fit the task
  const optimizer =
    resumed === null ? newOptimizer(request, model) : resumedOptimizer(resumed, request.resume!, model);
  const images = preprocessing.kind === "image";
  const augment = request.augment ?? resumed?.record.augment ?? (images ? "shift" : "none");
  const schedule = request.schedule ?? (resumed === null && modelName === "cnn" ? "cosine" : "none");
  const batchSize = request.batchSize ?? resumed?.record.batchSize ?? 64;
  const valSplit = resumed?.record.valSplit ?? request.valSplit ?? 0.1;
  const validationSize = Math.round(data.length * valSplit);
  const trainSize = data.length - validationSize;
  if (valSplit > 0 && (validationSize === 0 || trainSize === 0)) {
    throw new UserError(
      `--val-split ${valSplit} of ${count(data.length)} samples leaves no ${validationSize === 0 ? "validation" : "training"} sample (--val-split 0 trains without validation)`,
    );
  }
  const epochs = request.epochs ?? defaultEpochs(Math.ceil(trainSize / batchSize));
  const initialEpoch = resumed?.record.epochs ?? 0;

  say(`data: ${describeData(loaded, data, trainSize, validationSize)}`);
  say(
    `model: ${modelName}: ${architectureLine(model.toConfig())}, ${count(model.numParameters())} parameters`,
  );
  const rate = request.lr === "auto" ? "lr auto" : `lr ${short(request.lr ?? optimizer.lr)}`;
  const continuing = resumed === null ? "" : `, resuming after epoch ${initialEpoch}`;
  say(
    `training: ${epochs} epochs of batches of ${batchSize}, ${optimizer.type} (${rate}), ${lossName} loss, ${augment === "none" ? "no" : augment} augmentation${schedule === "none" ? "" : `, ${schedule} schedule`}, seed ${seed}${continuing}`,
  );

  const history = train.fit(model, data, {
    epochs,
    batchSize,
    validationSplit: valSplit,
    loss: lossName,
    optimizer,
    lr: request.lr,
    schedule,
    augment,
    seed,
    initialEpoch,
    earlyStopping: request.patience === undefined ? undefined : { patience: request.patience },
    callbacks: [
      progressCallbacks(process.stdout),
      { onLrFound: (result, chosen) => say(lrFoundLine(result.lrs, chosen)) },
    ],
  });
  if (history.stopReason === "early-stopping") say(history.message);
  const diverged = history.stopReason === "non-finite-loss";
  if (diverged && history.weightsEpoch <= initialEpoch)
    throw new UserError(`${history.message}; nothing was saved`);

  const results: Record<string, number> = {};
  const kept = history.epochs.find((log) => log.epoch === history.weightsEpoch);
  if (kept?.valLoss !== undefined) results.valLoss = kept.valLoss;
  if (kept?.valAccuracy !== undefined) results.valAccuracy = kept.valAccuracy;
  if (loaded.test !== null) {
    const test = train.evaluate(model, loaded.test, { loss: lossName });
    results.testLoss = test.loss;
    results.testAccuracy = test.accuracy!;
    say(
      `test: loss ${test.loss.toFixed(4)}, accuracy ${percent(test.accuracy!)} (${count(test.correct!)} of ${count(test.samples)} held-out digits)`,
    );
    for (const line of confusionLines(test.confusionMatrix!, loaded.test.classNames!)) say(line);
  } else if (history.confusionMatrix !== null) {
    say(`confusion matrix on the ${validationSize > 0 ? "validation" : "training"} data:`);
    for (const line of confusionLines(history.confusionMatrix, data.classNames!).slice(1)) say(line);
  }

  const out = request.out ?? request.resume ?? "model";
  const record: TrainingRecord = {
    model: modelName,
    loss: lossName,
    link,
    outputs,
    data: loaded.source,
    epochs: history.weightsEpoch,
    seed,
    valSplit,
    batchSize,
    augment,
    schedule,
    results,
  };
  await saveTrained(out, {
    module: model,
    task,
    classes: data.classNames,
    preprocessing,
    record,
    optimizer: history.optimizer.stateDict(),
  });
  const earlier =
    resumed === null ? [] : (await readHistory(request.resume!)).filter((log) => log.epoch <= initialEpoch);
  await writeHistory(out, [...earlier, ...history.epochs.filter((log) => log.epoch <= history.weightsEpoch)]);
  const seconds = (performance.now() - started) / 1000;
  say(
    `saved ${out.endsWith("/") ? out : `${out}/`} (model.json, weights.safetensors, optimizer.safetensors, ${HISTORY_JSONL}, ${HISTORY_SVG}) in ${seconds.toFixed(1)} s`,
  );
  if (diverged)
    throw new UserError(`${history.message}; the model of epoch ${history.weightsEpoch} was saved`);
}

async function buildModel(request: TrainRequest, inputShape: number[], outputs: number): Promise<nn.Module> {
  const choice = request.model ?? "mlp";
  if (typeof choice === "string") {
    const config = userErrors(() =>
      models.preset(choice, { inputShape, outputs, hidden: request.hidden, activation: request.activation }),
    );
    return nn.fromConfig(config);
  }
  if (request.hidden !== undefined || request.activation !== undefined) {
    throw new UserError(
      "--hidden and --activation shape the presets; an architecture file says its own layers",
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(choice.file, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      code === "ENOENT"
        ? `${choice.file} does not exist`
        : `${choice.file} is not valid JSON (${(error as Error).message})`,
    );
  }
  return models.buildChecked(models.architectureFrom(json, choice.file), inputShape, outputs, choice.file);
}

function presetName(request: TrainRequest): string {
  const choice = request.model ?? "mlp";
  return typeof choice === "string" ? choice : "custom";
}

function newOptimizer(request: TrainRequest, model: nn.Module): optim.Optimizer {
  const lr = typeof request.lr === "number" ? request.lr : undefined;
  return train.createOptimizer(request.optimizer ?? "adam", model.parameters(), lr);
}

function resumedOptimizer(resumed: TrainedModel, dir: string, model: nn.Module): optim.Optimizer {
  const state = resumed.optimizer;
  if (state === null) {
    throw new UserError(`${dir} has no optimizer state (optimizer.safetensors) to resume from`);
  }
  const optimizer = train.optimizerForState(state.type, model.parameters());
  optimizer.loadStateDict(state);
  return optimizer;
}

/** At least 15 epochs, more for small data sets: enough for about 1,000 steps (at most 200 epochs). */
function defaultEpochs(batchesPerEpoch: number): number {
  return Math.min(200, Math.max(15, Math.ceil(1000 / batchesPerEpoch)));
}

function firstSamples(data: data.Dataset, limit: number): data.Dataset {
  if (limit >= data.length) return data;
  return data.subset(Int32Array.from({ length: limit }, (_, i) => i));
}

function describeData(
  loaded: LoadedData,
  data: data.Dataset,
  trainSize: number,
  validationSize: number,
): string {
  const split = `${count(trainSize)} for training, ${count(validationSize)} for validation`;
  const prep = data.preprocessing!;
  if (loaded.kind === "mnist") {
    return `MNIST, ${count(data.length)} digits 28×28 (${split}) and ${count(loaded.test!.length)} held-out test digits`;
  }
  const classes =
    data.task === "classification"
      ? `${data.classNames!.length} classes (${listed(data.classNames!)})`
      : "a numeric target (regression)";
  if (prep.kind === "tabular") {
    return `${loaded.source}: ${count(data.length)} rows, ${prep.featureNames.length} inputs, target '${prep.target.column}' with ${classes} (${split})`;
  }
  const color = prep.channels === 1 ? "gray" : "RGB";
  return `${loaded.source}: ${count(data.length)} images of ${classes}, resized to ${prep.height}×${prep.width} ${color} (${split})`;
}

function listed(names: readonly string[]): string {
  return names.length <= 10 ? names.join(", ") : `${names.slice(0, 10).join(", ")}, …`;
}

function lrFoundLine(lrs: readonly number[], chosen: number): string {
  return `lr auto: the range test (${lrs.length} steps from ${short(lrs[0]!)} up to ${short(lrs.at(-1)!)}) suggests lr ${short(chosen)}`;
}

function userErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new UserError((error as Error).message);
  }
}
