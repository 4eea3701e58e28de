/** Every method the page can call, by name (see protocol.ts). */
import { switchBackend } from "./backend";
import type { TaskContext } from "./context";
import { contours, cost, parabola, race, routes } from "./functions";
import { predictImage, trainImages } from "./images";
import { exportModel, importModel } from "./model-files";
import { networkReset, networkTrain } from "./network";
import { neuronReset, neuronTrain } from "./neuron";
import type { Methods } from "./protocol";
import { rateCurves } from "./rates";
import { sigmoidGraph } from "./sigmoid";

type Handlers = {
  [M in keyof Methods]: (
    args: Methods[M]["args"],
    context: TaskContext,
  ) => Promise<Methods[M]["result"]> | Methods[M]["result"];
};

export const handlers: Handlers = {
  backend: ({ choice }) => switchBackend(choice),
  cost,
  parabola,
  routes,
  contours,
  race,
  rates: rateCurves,
  sigmoid: sigmoidGraph,
  neuronReset,
  neuronTrain,
  networkReset,
  networkTrain,
  imagesTrain: trainImages,
  imagesPredict: predictImage,
  imagesExport: ({ set }) => exportModel(set),
  imagesImport: ({ set, files }) => importModel(set, files),
};
