/**
 * The JSON form of each layer: its type name and constructor arguments. module.toConfig() writes
 * one, nn.fromConfig() rebuilds the layer from it (fresh weights; load a stateDict for trained ones).
 * Optional fields take the constructor's defaults when read.
 */

/** A size given as one number for both spatial axes or as [height, width]. */
export type Size2 = number | [number, number];

export interface LinearConfig {
  type: "Linear";
  in: number;
  out: number;
  bias?: boolean;
}

export interface Conv2dConfig {
  type: "Conv2d";
  in: number;
  out: number;
  kernel: Size2;
  stride?: Size2;
  padding?: Size2;
  bias?: boolean;
}

export interface Pool2dConfig {
  type: "MaxPool2d" | "AvgPool2d";
  kernel: Size2;
  /** Defaults to the kernel. */
  stride?: Size2;
}

export interface FlattenConfig {
  type: "Flatten";
  startAxis?: number;
}

export interface DropoutConfig {
  type: "Dropout";
  p?: number;
}

export interface BatchNormConfig {
  type: "BatchNorm1d" | "BatchNorm2d";
  features: number;
  eps?: number;
  momentum?: number;
  affine?: boolean;
}

export interface PlainActivationConfig {
  type: "Sigmoid" | "Tanh" | "ReLU" | "GELU";
}

export interface LeakyReLUConfig {
  type: "LeakyReLU";
  slope?: number;
}

export interface SoftmaxConfig {
  type: "Softmax";
  axis?: number;
}

export interface SequentialConfig {
  type: "Sequential";
  layers: LayerConfig[];
}

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
