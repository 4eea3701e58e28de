/**
 * Sizes read from a layer config without building it (building allocates every parameter): how
 * many values each layer holds, and how many each layer outputs for one sample. They give the
 * memory a training run needs before it starts, and let a saved model be checked against its
 * weights file before anything is allocated.
 */

/** The values a single layer holds (parameters and buffers); 0 for layers without state or unknown fields. */
export function layerValues(config: Record<string, unknown>): number {
  const bias = config.bias === false ? 0 : 1;
  const { type } = config;
  if (type === "Linear") {
    const { in: inputs, out } = config;
    return isCount(inputs) && isCount(out) ? out * inputs + bias * out : 0;
  }
  if (type === "Conv2d") {
    const { in: inputs, out } = config;
    const [kh, kw] = pair(config.kernel);
    return isCount(inputs) && isCount(out) && isCount(kh) && isCount(kw)
      ? out * inputs * kh * kw + bias * out
      : 0;
  }
  if (type === "BatchNorm1d" || type === "BatchNorm2d") {
    // weight and bias (when affine), running_mean, running_var, num_batches_tracked
    return isCount(config.features) ? (config.affine === false ? 2 : 4) * config.features + 1 : 0;
  }
  return 0;
}

/** What one sample costs through an architecture. */
export interface ConfigSizes {
  /** Values held by all layers. */
  values: number;
  /** Values output by all layers for one sample (what a forward pass keeps for the backward one). */
  activations: number;
}

/**
 * The sizes of an architecture for inputs of shape `inputShape` (one sample), following the shape
 * through Linear, Conv2d, pooling, Flatten and the shape-keeping layers. Where a layer's output
 * shape cannot be told (an unknown field), its later layers count their values but no activations.
 */
export function configSizes(config: unknown, inputShape: readonly number[]): ConfigSizes {
  const sizes: ConfigSizes = { values: 0, activations: 0 };
  walk(config, [...inputShape], sizes);
  return sizes;
}

/** Adds a layer's sizes and returns its output shape (null when it cannot be told). */
function walk(config: unknown, shape: number[] | null, sizes: ConfigSizes): number[] | null {
  if (typeof config !== "object" || config === null || Array.isArray(config)) return null;
  const layer = config as Record<string, unknown>;
  if (layer.type === "Sequential") {
    if (!Array.isArray(layer.layers)) return null;
    let current = shape;
    for (const child of layer.layers) current = walk(child, current, sizes);
    return current;
  }
  sizes.values += layerValues(layer);
  const out = shape === null ? null : outputShape(layer, shape);
  if (out !== null) sizes.activations += out.reduce((a, b) => a * b, 1);
  return out;
}

function outputShape(layer: Record<string, unknown>, shape: number[]): number[] | null {
  switch (layer.type) {
    case "Linear":
      return isCount(layer.out) ? [...shape.slice(0, -1), layer.out] : null;
    case "Conv2d": {
      if (shape.length !== 3 || !isCount(layer.out)) return null;
      const [kh, kw] = pair(layer.kernel);
      const [sh, sw] = pair(layer.stride ?? 1);
      const [ph, pw] = pair(layer.padding ?? 0);
      return spatial(layer.out, shape, [kh, kw], [sh, sw], [ph, pw]);
    }
    case "MaxPool2d":
    case "AvgPool2d": {
      if (shape.length !== 3) return null;
      const kernel = pair(layer.kernel);
      return spatial(shape[0]!, shape, kernel, pair(layer.stride ?? layer.kernel), [0, 0]);
    }
    case "Flatten": {
      // axis 0 of the sample is axis 1 of the batch (startAxis 1, the default)
      const start = typeof layer.startAxis === "number" ? layer.startAxis - 1 : 0;
      if (!Number.isInteger(start) || start < 0 || start > shape.length) return null;
      return [...shape.slice(0, start), shape.slice(start).reduce((a, b) => a * b, 1)];
    }
    default:
      // activations, Dropout, BatchNorm, Softmax: the shape stays
      return shape;
  }
}

function spatial(
  channels: number,
  shape: number[],
  kernel: unknown[],
  stride: unknown[],
  padding: unknown[],
): number[] | null {
  const [, h, w] = shape as [number, number, number];
  const [kh, kw] = kernel;
  const [sh, sw] = stride;
  const [ph, pw] = padding;
  if (
    ![kh, kw, sh, sw].every(isCount) ||
    ![ph, pw].every((p) => Number.isSafeInteger(p) && (p as number) >= 0)
  ) {
    return null;
  }
  const oh = Math.floor((h + 2 * (ph as number) - (kh as number)) / (sh as number)) + 1;
  const ow = Math.floor((w + 2 * (pw as number) - (kw as number)) / (sw as number)) + 1;
  return oh > 0 && ow > 0 ? [channels, oh, ow] : null;
}

function pair(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value, value];
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}
