/**
 * A trained image model as the CLI's model folder (model.json + weights.safetensors, the same
 * format `deriva train` saves and `deriva eval`/`predict` read), written and read in the browser
 * with deriva's browser-safe `io` and `models`.
 */
import { io, models, train } from "deriva";
import { version as derivaVersion } from "deriva/package.json";
import { type ImageModelState, imageSet, preprocessingOf, testFor, trained } from "./images";
import type { ImageSetName, ModelFiles } from "./protocol";

const WEIGHTS_FILE = "weights.safetensors";
const BATCH_SIZE = 64;

/** SHA-256 in hex, where the page is a secure context (else null: model.json then names no digest). */
async function sha256(bytes: Uint8Array): Promise<string | null> {
  if (globalThis.crypto?.subtle === undefined) return null;
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function exportModel(set: ImageSetName): Promise<ModelFiles> {
  const state = trained.get(set);
  if (state === undefined) throw new Error("no model yet: train one (or load one) first");
  const weights = io.encodeSafetensors(state.module.stateDict(), { format: "pt" });
  const digest = await sha256(weights);
  const preprocessing = state.preprocessing;
  const file: io.ModelFile = {
    format: io.MODEL_FORMAT,
    derivaVersion,
    task: "classification",
    architecture: state.module.toConfig(),
    preprocessing,
    inputShape: [preprocessing.channels, preprocessing.height, preprocessing.width],
    classes: state.classes,
    training: {
      model: state.name,
      loss: "cross-entropy",
      link: train.resolveLoss("cross-entropy", "classification").link,
      outputs: state.classes.length,
      data: set,
      epochs: state.epochs,
      seed: state.seed,
      valSplit: 0,
      batchSize: BATCH_SIZE,
      augment: state.augment,
      schedule: "none",
      results: state.results,
    },
    ...(digest === null
      ? {}
      : { files: { weights: { file: WEIGHTS_FILE, bytes: weights.length, sha256: digest } } }),
  };
  return { modelJson: io.modelJsonText(file), weights };
}

/** Loads model.json + weights.safetensors into the chapter's model, after every check the CLI makes. */
export async function importModel(
  set: ImageSetName,
  files: ModelFiles,
): Promise<{ summary: string; testAccuracy: number }> {
  const file = io.parseModelJson(files.modelJson, "model.json");
  const digest = file.files?.weights;
  if (digest !== undefined) {
    const actual = await sha256(files.weights);
    if (files.weights.length !== digest.bytes || (actual !== null && actual !== digest.sha256)) {
      throw new Error(
        `${WEIGHTS_FILE} is not the file model.json was saved with (its size or SHA-256 differs)`,
      );
    }
  }
  const images = await imageSet(set);
  const expected = preprocessingOf(images);
  const prep = file.preprocessing;
  if (
    prep?.kind !== "image" ||
    prep.channels !== expected.channels ||
    prep.height !== expected.height ||
    prep.width !== expected.width
  ) {
    throw new Error(
      `model.json is not a model of ${expected.channels}×${expected.height}×${expected.width} images, as this chapter's are`,
    );
  }
  if (file.classes?.length !== images.classes) {
    throw new Error(`model.json has ${file.classes?.length ?? 0} classes, this chapter ${images.classes}`);
  }
  io.checkWeightsFit(
    file.architecture,
    io.readSafetensorsHeader(files.weights).entries,
    "model.json",
    WEIGHTS_FILE,
  );
  const module = models.buildChecked(file.architecture, file.inputShape, file.training.outputs, "model.json");
  module.loadStateDict(io.decodeSafetensors(files.weights).tensors);
  const state: ImageModelState = {
    module,
    name: file.training.model,
    preprocessing: prep,
    classes: [...file.classes],
    epochs: file.training.epochs,
    seed: file.training.seed,
    augment: file.training.augment === "shift" ? "shift" : "flip-crop",
    results: file.training.results,
  };
  trained.set(set, state);
  const test = testFor(images, set, images.count - images.trainCount, prep);
  const evaluation = await train.evaluate(module, test);
  const accuracy = evaluation.accuracy ?? 0;
  return {
    summary: `${file.training.model}, ${file.training.epochs} epoch(s), saved by deriva ${file.derivaVersion}`,
    testAccuracy: accuracy,
  };
}
