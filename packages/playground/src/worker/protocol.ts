/**
 * What the page asks the worker, and what comes back. deriva runs only in the worker; the page
 * draws. Each method takes plain data and resolves with plain data (typed arrays are transferred).
 */

/** The backend switch's choices: the plain TypeScript kernels, WebAssembly on one thread, or on several. */
export type BackendChoice = "js" | "wasm" | "wasm-threads";

export interface BackendInfo {
  /** What ops run on now ("js" or "wasm"). */
  backend: string;
  threads: number;
  /** The most threads this page can use (1 unless it is cross-origin isolated). */
  maxThreads: number;
  /** Whether the page is cross-origin isolated (shared memory, so threads). */
  isolated: boolean;
  /** "relaxed" or "simd128", where WebAssembly runs. */
  simd: string | null;
  /** Which choices work here. */
  available: BackendChoice[];
}

/** A malformed expression, as the parser reports it. */
export interface ExpressionProblem {
  message: string;
  /** 1-based column of the problem (0 when the error names none). */
  column: number;
}

/** One run of a minimizer, summed up. */
export interface RunSummary {
  x: number[];
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: string;
}

export interface ParabolaStep {
  iter: number;
  x: number;
  value: number;
  /** f′ at the point the step started from (what the step used). */
  slope: number;
  lr: number;
}

export interface RoutesResult {
  variable: string;
  derivative: string;
  second: string;
  /** The analytic route: every stationary point, or why it does not apply. */
  analytic: { points: { x: number; value: number; kind: string }[] } | { error: string };
  newton: RunSummary & { path: number[] };
  grid: RunSummary;
  gd: RunSummary;
  /** The function on the plotted interval. */
  curve: { xs: number[]; ys: number[] };
}

export interface RacePath extends RunSummary {
  method: string;
  /** The iterates, [x0, y0, x1, y1, …] from the start (every k-th when there are many). */
  path: number[];
}

export interface NeuronSnapshot {
  step: number;
  cost: number;
  accuracy: number;
  w: [number, number];
  b: number;
  /** σ(w·x + b) on a grid×grid lattice over the box, row 0 at the top. */
  field: Float32Array;
  grid: number;
  /** The points: x, y, label (0/1). */
  points: Float32Array;
  box: [number, number, number, number];
  /** Steps per second of the last call. */
  stepsPerSecond: number;
}

export type ToyDataset = "circle" | "xor" | "gauss" | "spiral" | "plane" | "multigauss";
export type Feature = "x" | "y" | "x2" | "y2" | "xy" | "sinx" | "siny";
export type NetActivation = "tanh" | "relu" | "sigmoid" | "linear";
export type Regularization = "none" | "l1" | "l2";

export interface NetworkConfig {
  dataset: ToyDataset;
  /** Noise, 0 to 50 (percent, as TensorFlow Playground). */
  noise: number;
  /** Percent of the points used for training. */
  trainRatio: number;
  seed: number;
  features: Feature[];
  hidden: number[];
  activation: NetActivation;
}

export interface NetworkTrainArgs {
  lr: number;
  batchSize: number;
  regularization: Regularization;
  regRate: number;
  /** Steps to take at most; the worker also stops after about `ms` milliseconds. */
  steps: number;
  ms: number;
}

export interface NetworkSnapshot {
  step: number;
  epoch: number;
  trainLoss: number;
  testLoss: number;
  regression: boolean;
  grid: number;
  /** The output on the grid (probability of class 1, or the value), row 0 at the top. */
  output: Float32Array;
  /** Each hidden neuron's activation on a smaller grid, neuron after neuron, layer after layer. */
  neurons: Float32Array;
  neuronGrid: number;
  /** The weights of each layer, row-major [out, in]. */
  weights: number[][];
  /** Train then test points: x, y, label (train first: the first trainCount). */
  points: Float32Array;
  trainCount: number;
  stepsPerSecond: number;
}

export interface RateCurves {
  curves: { lr: number; losses: number[] }[];
  finder: { lrs: number[]; losses: number[]; suggestion: number };
}

export interface GraphNode {
  name: string;
  value: number;
  /** ∂C/∂node, from the autodiff engine. */
  grad: number;
}

export interface SigmoidResult {
  nodes: GraphNode[];
  /** ∂²C/∂w₁², by differentiating the gradient again. */
  secondW1: number;
  /** σ, σ′ and σ″ on zs. */
  curves: { zs: number[]; sigma: number[]; d1: number[]; d2: number[] };
}

export type ImageSetName = "mnist" | "cats-vs-dogs";
/** The image chapters' models: deriva's presets (models.mlp, models.cnn, models.convnet). */
export type ImageModel = "mlp" | "cnn" | "convnet";

export interface TrainImagesArgs {
  set: ImageSetName;
  model: ImageModel;
  epochs: number;
  /** Training images used (the first ones of the training part). */
  trainImages: number;
  /** Test images evaluated (the first ones of the test part). */
  testImages: number;
  lr: number;
  seed: number;
  /** How many wrong test predictions to send back, with their pixels. */
  mistakes: number;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
  stepsPerSecond: number;
}

export interface Mistake {
  index: number;
  label: number;
  predicted: number;
  probability: number;
  /** The test image's pixels as RGBA bytes, width × height. */
  rgba: Uint8ClampedArray;
}

export interface TrainImagesResult {
  epochs: { epoch: number; loss: number; accuracy: number | null; seconds: number }[];
  testAccuracy: number;
  testLoss: number;
  confusion: number[][];
  mistakes: Mistake[];
  classes: string[];
  stopped: boolean;
  imageSide: [number, number];
}

export interface Prediction {
  probabilities: number[];
  predicted: number;
  classes: string[];
}

/** The model folder's two files, as the CLI saves them. */
export interface ModelFiles {
  modelJson: string;
  weights: Uint8Array;
}

/** Each method: its arguments, its result and the events it emits while running. */
export interface Methods {
  backend: { args: { choice: BackendChoice | null }; result: BackendInfo; event: never };
  cost: {
    args: { points: [number, number][]; slope: number; intercept: number };
    result: { mse: number; quadratic: number; residuals: number[] };
    event: never;
  };
  parabola: {
    args: { lr: number | "auto"; x0: number };
    result: { steps: ParabolaStep[]; converged: boolean; reason: string; diverged: boolean };
    event: never;
  };
  routes: {
    args: { expression: string; x0: number; bounds: [number, number] };
    result: { ok: RoutesResult } | { problem: ExpressionProblem };
    event: never;
  };
  contours: {
    args: { expression: string; box: [number, number, number, number]; n: number };
    result: { values: Float64Array; variables: string[] } | { problem: ExpressionProblem };
    event: never;
  };
  race: {
    args: { expression: string; start: [number, number]; methods: string[]; lr: number; maxIter: number };
    result: { paths: RacePath[] } | { problem: ExpressionProblem };
    event: never;
  };
  rates: { args: { rates: number[]; steps: number; seed: number }; result: RateCurves; event: never };
  sigmoid: {
    args: { x: [number, number]; w: [number, number]; b: number; y: number };
    result: SigmoidResult;
    event: never;
  };
  neuronReset: { args: { seed: number; spread: number }; result: NeuronSnapshot; event: never };
  neuronTrain: {
    args: { lr: number; batchSize: number; steps: number; ms: number };
    result: NeuronSnapshot;
    event: never;
  };
  networkReset: { args: NetworkConfig; result: NetworkSnapshot; event: never };
  networkTrain: { args: NetworkTrainArgs; result: NetworkSnapshot; event: never };
  imagesTrain: { args: TrainImagesArgs; result: TrainImagesResult; event: TrainProgress };
  imagesPredict: {
    args: {
      set: ImageSetName;
      rgba: Uint8ClampedArray;
      width: number;
      height: number;
      fit: "stretch" | "center";
    };
    result: Prediction;
    event: never;
  };
  imagesExport: { args: { set: ImageSetName }; result: ModelFiles; event: never };
  imagesImport: {
    args: { set: ImageSetName; files: ModelFiles };
    result: { summary: string; testAccuracy: number };
    event: never;
  };
}

export type Method = keyof Methods;

/** Page → worker. */
export type Request =
  | { kind: "init"; stop: SharedArrayBuffer | null; dataUrl: string }
  | { kind: "call"; id: number; method: Method; args: unknown }
  | { kind: "stop"; id: number };

/** Worker → page. */
export type Reply =
  | { kind: "result"; id: number; value: unknown }
  | { kind: "error"; id: number; message: string }
  | { kind: "event"; id: number; event: unknown };
