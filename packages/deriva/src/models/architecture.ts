/** A user's own architecture: read from JSON, built, and checked against the data it will see. */

import { fromConfig } from "../nn/config.js";
import type { LayerConfig } from "../nn/config-types.js";
import type { Module } from "../nn/module.js";
import { zeros } from "../tensor/creation.js";
import { noGrad } from "../tensor/grad-mode.js";

/**
 * The layer config in parsed JSON: either a config itself (`{ "type": "Sequential", "layers": [...] }`,
 * as module.toConfig() writes it) or a saved model's model.json, whose `architecture` is used.
 * `source` names the file in errors. The config's fields are checked when it is built.
 */
export function architectureFrom(json: unknown, source: string): LayerConfig {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new Error(`${source}: an architecture is a JSON object with a "type" (e.g. "Sequential")`);
  }
  const record = json as Record<string, unknown>;
  const config = "type" in record ? record : record.architecture;
  if (typeof config !== "object" || config === null || !("type" in config)) {
    throw new Error(
      `${source}: holds neither a layer config (an object with a "type") nor a saved model's "architecture"`,
    );
  }
  return config as LayerConfig;
}

/**
 * Builds the architecture and checks that one sample [1, ...inputShape] passes through it to
 * [1, outputs]; errors name `source`, the input shape and what went wrong.
 */
export function buildChecked(
  config: LayerConfig,
  inputShape: readonly number[],
  outputs: number,
  source: string,
): Module {
  let model: Module;
  try {
    model = fromConfig(config);
  } catch (error) {
    throw new Error(`${source}: ${(error as Error).message.replace(/^nn\.fromConfig: /, "")}`);
  }
  const input = `[1, ${inputShape.join(", ")}]`;
  let shape: readonly number[];
  const wasTraining = model.training;
  try {
    model.eval();
    shape = noGrad(() => model.forward(zeros([1, ...inputShape]))).shape;
  } catch (error) {
    throw new Error(
      `${source}: the architecture does not take inputs of shape ${input}: ${(error as Error).message}`,
    );
  } finally {
    model.train(wasTraining);
  }
  if (shape.length !== 2 || shape[1] !== outputs) {
    throw new Error(
      `${source}: the architecture turns an input ${input} into [${shape.join(", ")}], but the data needs [1, ${outputs}] (${outputs} output${outputs > 1 ? "s" : ""})`,
    );
  }
  return model;
}
