/**
 * A trained image model as the CLI's model folder (model.json + weights.safetensors, the same
 * format `deriva train` saves and `deriva eval`/`predict` read), written and read in the browser
 * with deriva's browser-safe train.encodeModel and train.decodeModel.
 */
import { train } from "deriva";
import { type ImageModelState, imageSet, preprocessingOf, scheduleOf, testFor, trained } from "./images";
import type { ImageSetName, ModelFiles } from "./protocol";

const BATCH_SIZE = 64;

export async function exportModel(set: ImageSetName): Promise<ModelFiles> {
  const state = trained.get(set);
  if (state === undefined) throw new Error("no model yet: train one (or load one) first");
  const { modelJson, weights } = await train.encodeModel({
    module: state.module,
    task: "classification",
    classes: state.classes,
    preprocessing: state.preprocessing,
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
      schedule: scheduleOf(state.name),
      results: state.results,
    },
    optimizer: null,
  });
  return { modelJson, weights };
}

/** Loads model.json + weights.safetensors into the chapter's model, after every check the CLI makes. */
export async function importModel(
  set: ImageSetName,
  files: ModelFiles,
): Promise<{ summary: string; testAccuracy: number }> {
  const loaded = await train.decodeModel(files);
  const images = await imageSet(set);
  const expected = preprocessingOf(images);
  const prep = loaded.preprocessing;
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
  if (loaded.classes?.length !== images.classes) {
    throw new Error(`model.json has ${loaded.classes?.length ?? 0} classes, this chapter ${images.classes}`);
  }
  const { training } = loaded;
  const state: ImageModelState = {
    module: loaded.module,
    name: training.model,
    preprocessing: prep,
    classes: [...loaded.classes],
    epochs: training.epochs,
    seed: training.seed,
    augment: training.augment === "shift" ? "shift" : "flip-crop",
    results: training.results,
  };
  trained.set(set, state);
  const test = testFor(images, set, images.count - images.trainCount, prep);
  const evaluation = await train.evaluate(loaded.module, test);
  return {
    summary: `${training.model}, ${training.epochs} epoch(s), saved by deriva ${loaded.file.derivaVersion}`,
    testAccuracy: evaluation.accuracy ?? 0,
  };
}
