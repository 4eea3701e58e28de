/**
 * Digits and cats vs dogs: the built-in image datasets (fetched once as binary assets), a preset
 * model (mlp, cnn or convnet, with the command line's recipe: a cosine schedule for the
 * convolutional ones, weight decay for the convnet) trained by train.fit one epoch at a time
 * (progress as events; a stop request is honoured between batches where the page shares memory
 * with the worker, else between epochs), evaluated on held-out images, and used to classify the
 * page's drawings and photos.
 */
import { data, manualSeed, models, nn, optim, softmax, Tensor, train } from "deriva";
import { decodeImageSet, type ImageSet } from "../data/image-set";
import { rate } from "./backend";
import { clearStopFlag, dataFileUrl, stopRequested, type TaskContext, yieldToMessages } from "./context";
import type {
  ImageSetName,
  Methods,
  Mistake,
  Prediction,
  TrainImagesArgs,
  TrainImagesResult,
  TrainProgress,
} from "./protocol";

const CLASSES: Record<ImageSetName, string[]> = {
  mnist: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  "cats-vs-dogs": ["cats", "dogs"],
};
const BATCH_SIZE = 64;
/** Which datasets are standardized per channel before training (the CLI's choice for photos, not for digits). */
const STANDARDIZE: Record<ImageSetName, boolean> = { mnist: false, "cats-vs-dogs": true };
/** Adam's weight decay for the convnet, as the command line trains photos. */
const CONVNET_WEIGHT_DECAY = 5e-4;
/** Progress events at most this often (ms). */
const PROGRESS_EVERY = 100;

/** The learning-rate schedule a model trains with here, as the command line's default: cosine for the convolutional ones. */
export function scheduleOf(model: string): "none" | "cosine" {
  return model === "mlp" ? "none" : "cosine";
}

/** A trained (or loaded) model of one dataset. */
export interface ImageModelState {
  module: nn.Module;
  name: string;
  preprocessing: data.ImagePreprocessing;
  classes: string[];
  epochs: number;
  seed: number;
  augment: "shift" | "flip-crop";
  results: Record<string, number>;
}

const sets = new Map<ImageSetName, Promise<ImageSet>>();
export const trained = new Map<ImageSetName, ImageModelState>();

/** The dataset, fetched and checked once. */
export function imageSet(name: ImageSetName): Promise<ImageSet> {
  let set = sets.get(name);
  if (set === undefined) {
    const url = dataFileUrl(`${name}.bin`);
    set = fetch(url)
      .then((response) => {
        if (!response.ok) throw new Error(`could not fetch ${url}: HTTP ${response.status}`);
        return response.arrayBuffer();
      })
      .then((bytes) => decodeImageSet(new Uint8Array(bytes), `${name}.bin`));
    set.catch(() => sets.delete(name));
    sets.set(name, set);
  }
  return set;
}

export function preprocessingOf(set: ImageSet): data.ImagePreprocessing {
  return {
    kind: "image",
    height: set.height,
    width: set.width,
    channels: set.channels as 1 | 3,
    layout: "nchw",
  };
}

/** Images from..to of the set as a classification dataset (pixels in [0, 1]). */
export function datasetOf(set: ImageSet, name: ImageSetName, from: number, to: number): data.Dataset {
  const size = set.channels * set.height * set.width;
  const x = new Float32Array((to - from) * size);
  const bytes = set.pixels.subarray(from * size, to * size);
  for (let i = 0; i < x.length; i++) x[i] = bytes[i]! / 255;
  return new data.Dataset({
    x: new Tensor(x, [to - from, set.channels, set.height, set.width]),
    y: new Tensor(Int32Array.from(set.labels.subarray(from, to)), [to - from]),
    task: "classification",
    classNames: CLASSES[name],
    preprocessing: preprocessingOf(set),
  });
}

/** The test images used: the first `count` of the held-out part. */
export function testPart(set: ImageSet, name: ImageSetName, count: number): data.Dataset {
  const from = set.trainCount;
  return datasetOf(set, name, from, Math.min(set.count, from + Math.max(1, count)));
}

class StopTraining extends Error {}

/** The set's images as RGBA bytes, for the page to draw. */
export function rgbaOf(set: ImageSet, index: number): Uint8ClampedArray {
  const plane = set.height * set.width;
  const size = set.channels * plane;
  const rgba = new Uint8ClampedArray(plane * 4);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++)
      rgba[p * 4 + c] = set.pixels[index * size + (set.channels === 1 ? 0 : c) * plane + p]!;
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}

async function mistakesOf(
  state: ImageModelState,
  set: ImageSet,
  test: data.Dataset,
  limit: number,
): Promise<Mistake[]> {
  const probabilities = await softmax(train.predict(state.module, test.x)).read();
  const labels = await test.y.read();
  const classes = state.classes.length;
  const mistakes: Mistake[] = [];
  for (let i = 0; i < test.length && mistakes.length < limit; i++) {
    const row = Array.from(probabilities.subarray(i * classes, (i + 1) * classes));
    const predicted = row.indexOf(Math.max(...row));
    if (predicted === labels[i]) continue;
    mistakes.push({
      index: i,
      label: labels[i]!,
      predicted,
      probability: row[predicted]!,
      rgba: rgbaOf(set, set.trainCount + i),
    });
  }
  return mistakes;
}

/** The held-out images as a model with this preprocessing reads them (standardized when it is). */
export function testFor(
  set: ImageSet,
  name: ImageSetName,
  count: number,
  prep: data.ImagePreprocessing,
): data.Dataset {
  const test = testPart(set, name, count);
  return prep.mean !== undefined && prep.std !== undefined
    ? data.standardizeImages(test, { mean: prep.mean, std: prep.std })
    : test;
}

export async function trainImages(args: TrainImagesArgs, context: TaskContext): Promise<TrainImagesResult> {
  const set = await imageSet(args.set);
  const trainCount = Math.max(BATCH_SIZE, Math.min(set.trainCount, Math.round(args.trainImages)));
  let trainData = datasetOf(set, args.set, 0, trainCount);
  let preprocessing = preprocessingOf(set);
  if (STANDARDIZE[args.set]) {
    // photos train better standardized per channel (as the CLI trains them); the statistics are saved with the model
    const stats = data.fitChannelStats(trainData.x, preprocessing);
    trainData = data.standardizeImages(trainData, stats);
    preprocessing = { ...preprocessing, mean: stats.mean, std: stats.std };
  }
  const test = testFor(set, args.set, args.testImages, preprocessing);
  const inputShape = [set.channels, set.height, set.width];
  const outputs = set.classes;
  manualSeed(args.seed);
  // the MLP with one hidden layer of 128, the convolutional presets as the command line builds them
  const hidden = args.model === "mlp" ? { hidden: [128] } : {};
  const module = nn.fromConfig(models.preset(args.model, { inputShape, outputs, ...hidden }));
  const optimizer = new optim.Adam(module.parameters(), {
    lr: args.lr,
    weightDecay: args.model === "convnet" ? CONVNET_WEIGHT_DECAY : 0,
  });
  // stepped after each epoch, as `deriva train --schedule cosine` does
  const schedule =
    scheduleOf(args.model) === "cosine" ? optim.schedules.cosine(optimizer, { tMax: args.epochs }) : null;
  const augment = args.set === "mnist" ? "shift" : "flip-crop";
  const state: ImageModelState = {
    module,
    name: args.model,
    preprocessing,
    classes: CLASSES[args.set],
    epochs: 0,
    seed: args.seed,
    augment,
    results: {},
  };
  trained.set(args.set, state);
  clearStopFlag();
  const logs: TrainImagesResult["epochs"] = [];
  let stopped = false;
  let lastEmit = 0;
  let steps = 0;
  let started = 0;
  for (let epoch = 0; epoch < args.epochs && !stopped; epoch++) {
    try {
      const history = await train.fit(module, trainData, {
        epochs: 1,
        initialEpoch: epoch,
        batchSize: BATCH_SIZE,
        optimizer,
        augment,
        seed: args.seed,
        validationData: test,
        callbacks: {
          onBatchEnd: (log) => {
            // the speed counts from the end of the first step (the data and the model are ready by then)
            if (started === 0) started = performance.now();
            else steps++;
            if (stopRequested()) throw new StopTraining();
            const now = performance.now();
            if (now - lastEmit < PROGRESS_EVERY && log.batch !== log.batches) return;
            lastEmit = now;
            const progress: TrainProgress = {
              epoch: log.epoch,
              epochs: args.epochs,
              batch: log.batch,
              batches: log.batches,
              loss: log.meanLoss,
              stepsPerSecond: rate(steps, started),
            };
            context.emit(progress);
          },
        },
      });
      const log = history.epochs[0]!;
      logs.push({
        epoch: log.epoch,
        loss: log.loss,
        accuracy: log.valAccuracy ?? null,
        seconds: log.seconds,
      });
      state.epochs = log.epoch;
      schedule?.step();
    } catch (error) {
      if (!(error instanceof StopTraining)) throw error;
      stopped = true;
    }
    await yieldToMessages();
    if (context.stopped()) stopped = true;
  }
  const evaluation = await train.evaluate(module, test);
  state.results = { testLoss: evaluation.loss, testAccuracy: evaluation.accuracy ?? 0 };
  return {
    epochs: logs,
    testAccuracy: evaluation.accuracy ?? 0,
    testLoss: evaluation.loss,
    confusion: evaluation.confusionMatrix ?? [],
    mistakes: await mistakesOf(state, set, test, args.mistakes),
    classes: state.classes,
    stopped,
    imageSide: [set.height, set.width],
  };
}

/** The trained model's class probabilities for an image (RGBA), prepared as the model's inputs are. */
export async function predictImage(args: Methods["imagesPredict"]["args"]): Promise<Prediction> {
  const state = trained.get(args.set);
  if (state === undefined) throw new Error("no model yet: train one (or load one) first");
  const input = data.imageToInput(
    { width: args.width, height: args.height, data: args.rgba },
    state.preprocessing,
    { fit: args.fit },
  );
  const { channels, height, width } = state.preprocessing;
  const logits = train.predict(state.module, new Tensor(input, [1, channels, height, width]));
  const probabilities = Array.from(await softmax(logits).read());
  return {
    probabilities,
    predicted: probabilities.indexOf(Math.max(...probabilities)),
    classes: state.classes,
  };
}
