/**
 * Before a saved architecture is built (which allocates every parameter), its layers' sizes are
 * checked against the weights file's header: a model.json that claims a Linear(20000, 20000)
 * beside a file of a few kilobytes is refused in words, before gigabytes are allocated.
 */
import type { SafetensorsEntry } from "./safetensors.js";

/** A layer that holds state: where it sits, its config in words, and how many values it needs. */
interface StatefulLayer {
  /** The prefix of its names in the state dict ("1.", "features.0."). */
  prefix: string;
  /** Its place in the config, e.g. `architecture.layers[1]`. */
  where: string;
  text: string;
  values: number;
}

/**
 * Refuses an architecture whose layers need more values than `entries` (a safetensors header)
 * hold under their names. Fields that are not positive integers are left to nn.fromConfig,
 * which refuses them without allocating. `source` names model.json, `file` the weights file.
 */
export function checkWeightsFit(
  architecture: unknown,
  entries: readonly SafetensorsEntry[],
  source: string,
  file: string,
): void {
  const held = new Map<string, number>();
  for (const entry of entries) {
    const prefix = entry.name.slice(0, entry.name.lastIndexOf(".") + 1);
    held.set(prefix, (held.get(prefix) ?? 0) + entry.shape.reduce((a, b) => a * b, 1));
  }
  for (const layer of statefulLayers(architecture, "", "architecture")) {
    const found = held.get(layer.prefix) ?? 0;
    if (layer.values > found) {
      throw new Error(
        `${source}: ${layer.where} (${layer.text}) needs ${count(layer.values)} values, but ${file} holds ${count(found)} under '${layer.prefix}*'`,
      );
    }
  }
}

function statefulLayers(config: unknown, prefix: string, where: string): StatefulLayer[] {
  if (!isRecord(config)) return [];
  const { type } = config;
  if (type === "Sequential" && Array.isArray(config.layers)) {
    return config.layers.flatMap((layer, i) =>
      statefulLayers(layer, `${prefix}${i}.`, `${where}.layers[${i}]`),
    );
  }
  const bias = config.bias === false ? 0 : 1;
  if (type === "Linear") {
    const { in: inputs, out } = config;
    if (!isCount(inputs) || !isCount(out)) return [];
    return [{ prefix, where, text: `Linear(${inputs}, ${out})`, values: out * inputs + bias * out }];
  }
  if (type === "Conv2d") {
    const { in: inputs, out } = config;
    const [kh, kw] = Array.isArray(config.kernel) ? config.kernel : [config.kernel, config.kernel];
    if (!isCount(inputs) || !isCount(out) || !isCount(kh) || !isCount(kw)) return [];
    const text = `Conv2d(${inputs}, ${out}, ${kh}×${kw})`;
    return [{ prefix, where, text, values: out * inputs * kh * kw + bias * out }];
  }
  if (type === "BatchNorm1d" || type === "BatchNorm2d") {
    const { features } = config;
    if (!isCount(features)) return [];
    // weight and bias (when affine), running_mean, running_var, num_batches_tracked
    const values = (config.affine === false ? 2 : 4) * features + 1;
    return [{ prefix, where, text: `${type}(${features})`, values }];
  }
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
