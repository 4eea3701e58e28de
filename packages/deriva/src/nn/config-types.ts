/**
 * The JSON form of each layer: its type name and constructor arguments (type aliases, not
 * interfaces, so that they are assignable to JSON values). module.toConfig() writes
 * one, nn.fromConfig() rebuilds the layer from it (fresh weights; load a stateDict for trained ones).
 * Optional fields take the constructor's defaults when read.
 */

/** A size given as one number for both spatial axes or as [height, width]. */
export type Size2 = number | [number, number];

export type LinearConfig = {
  type: "Linear";
  in: number;
  out: number;
  bias?: boolean;
};

export type Conv2dConfig = {
  type: "Conv2d";
  in: number;
  out: number;
  kernel: Size2;
  stride?: Size2;
  padding?: Size2;
  bias?: boolean;
};

export type Pool2dConfig = {
  type: "MaxPool2d" | "AvgPool2d";
  kernel: Size2;
  /** Defaults to the kernel. */
  stride?: Size2;
};

export type FlattenConfig = {
  type: "Flatten";
  startAxis?: number;
};

export type DropoutConfig = {
  type: "Dropout";
  p?: number;
};

export type BatchNormConfig = {
  type: "BatchNorm1d" | "BatchNorm2d";
  features: number;
  eps?: number;
  momentum?: number;
  affine?: boolean;
};

export type PlainActivationConfig = {
  type: "Sigmoid" | "Tanh" | "ReLU" | "GELU";
};

export type LeakyReLUConfig = {
  type: "LeakyReLU";
  slope?: number;
};

export type SoftmaxConfig = {
  type: "Softmax";
  axis?: number;
};

export type SequentialConfig = {
  type: "Sequential";
  layers: LayerConfig[];
};

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

export type LayerType = LayerConfig["type"];
