/**
 * The JSON form of each layer: its type name and constructor arguments (type aliases, not
 * interfaces, so that they are assignable to JSON values). module.toConfig() writes
 * one, nn.fromConfig() rebuilds the layer from it (fresh weights; load a stateDict for trained ones).
 * Optional fields take the constructor's defaults when read.
 */

/** A size given as one number for both spatial axes or as [height, width]. */
export type Size2 = number | [number, number];

/** A fully connected layer's config: `new nn.Linear(in, out, { bias })`. */
export type LinearConfig = {
  /** The layer's type name, the key nn.fromConfig dispatches on. */
  type: "Linear";
  /** Input features: the size of the input's last axis. */
  in: number;
  /** Output features: the size of the output's last axis. */
  out: number;
  /** Whether the layer has a learned bias (default true). */
  bias?: boolean;
};

/** A 2-D convolution's config: `new nn.Conv2d(in, out, kernel, { stride, padding, bias })`. */
export type Conv2dConfig = {
  /** The layer's type name, the key nn.fromConfig dispatches on. */
  type: "Conv2d";
  /** Input channels (axis 1 of the NCHW input). */
  in: number;
  /** Output channels: the number of learned filters. */
  out: number;
  /** Filter size in pixels, [height, width] or one number for both. */
  kernel: Size2;
  /** Step between windows in pixels (default 1). */
  stride?: Size2;
  /** Zeros added on each side of the image, in pixels (default 0). */
  padding?: Size2;
  /** Whether each output channel has a learned bias (default true). */
  bias?: boolean;
};

/** A pooling layer's config: `new nn.MaxPool2d(kernel, stride)` or `new nn.AvgPool2d(kernel, stride)`. */
export type Pool2dConfig = {
  /** Which pooling: the maximum or the mean of each window. */
  type: "MaxPool2d" | "AvgPool2d";
  /** Window size in pixels, [height, width] or one number for both. */
  kernel: Size2;
  /** Defaults to the kernel. */
  stride?: Size2;
};

/** A flattening layer's config: `new nn.Flatten(startAxis)`. */
export type FlattenConfig = {
  /** The layer's type name, the key nn.fromConfig dispatches on. */
  type: "Flatten";
  /** The first axis joined into one (default 1, keeping the batch axis). */
  startAxis?: number;
};

/** A dropout layer's config: `new nn.Dropout(p)`. */
export type DropoutConfig = {
  /** The layer's type name, the key nn.fromConfig dispatches on. */
  type: "Dropout";
  /** The probability of zeroing each element in training mode, in [0, 1] (default 0.5). */
  p?: number;
};

/**
 * A batch normalization layer's config: `new nn.BatchNorm1d(features, { eps, momentum, affine })` (or 2d).
 */
export type BatchNormConfig = {
  /** Which layer: BatchNorm1d for [N, C] or [N, C, L] inputs, BatchNorm2d for [N, C, H, W]. */
  type: "BatchNorm1d" | "BatchNorm2d";
  /** The number of channels C (axis 1 of the input). */
  features: number;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Weight of the newest batch in the running statistics, in [0, 1] (default 0.1). */
  momentum?: number;
  /** Whether the layer learns a per-channel scale and shift (default true). */
  affine?: boolean;
};

/** An activation layer without arguments: Sigmoid, Tanh, ReLU or GELU. */
export type PlainActivationConfig = {
  /** Which activation the layer applies. */
  type: "Sigmoid" | "Tanh" | "ReLU" | "GELU";
};

/** A leaky ReLU layer's config: `new nn.LeakyReLU(slope)`. */
export type LeakyReLUConfig = {
  /** The layer's type name, the key nn.fromConfig dispatches on. */
  type: "LeakyReLU";
  /** The slope for negative inputs (default 0.01). */
  slope?: number;
};

/** A softmax layer's config: `new nn.Softmax(axis)`. */
export type SoftmaxConfig = {
  /** The layer's type name, the key nn.fromConfig dispatches on. */
  type: "Softmax";
  /** The axis the probabilities sum to 1 along; negative counts from the end (default −1). */
  axis?: number;
};

/** A chain of layers' config: `new nn.Sequential(...layers)`. */
export type SequentialConfig = {
  /** The layer's type name, the key nn.fromConfig dispatches on. */
  type: "Sequential";
  /** The layers' configs in the order they run. */
  layers: LayerConfig[];
};

/** The JSON form of any built-in layer (what module.toConfig() returns and nn.fromConfig reads). */
export type LayerConfig =
  | LinearConfig
  | Conv2dConfig
  | Pool2dConfig
  | FlattenConfig
  | DropoutConfig
  | BatchNormConfig
  | PlainActivationConfig
  | LeakyReLUConfig
  | SoftmaxConfig
  | SequentialConfig;

/** The type names of the built-in layers ("Linear", "Conv2d", …). */
export type LayerType = LayerConfig["type"];
