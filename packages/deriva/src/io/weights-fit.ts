/**
 * Before a saved architecture is built (which allocates every parameter), its layers' sizes are
 * checked against the weights file's header: a model.json that claims a Linear(20000, 20000)
 * beside a file of a few kilobytes is refused in words, before gigabytes are allocated.
 */
import { layerValues } from "../nn/config-sizes.js";
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
  const values = layerValues(config);
  if (values === 0) return [];
  return [{ prefix, where, text: layerText(config), values }];
}

/** A layer in words: `Linear(20000, 20000)`, `Conv2d(1, 16, 3×3)`, `BatchNorm1d(8)`. */
function layerText(config: Record<string, unknown>): string {
  if (config.type === "Linear") return `Linear(${config.in}, ${config.out})`;
  if (config.type === "Conv2d") {
    const [kh, kw] = Array.isArray(config.kernel) ? config.kernel : [config.kernel, config.kernel];
    return `Conv2d(${config.in}, ${config.out}, ${kh}×${kw})`;
  }
  return `${config.type}(${config.features})`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
