/**
 * An optimizer's state as a safetensors file: its buffers as tensors, and its type,
 * hyper-parameters and step counts as JSON in the file's metadata. Browser-safe.
 */
import type { OptimizerStateDict } from "../optim/index.js";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.js";

/** Metadata key of the optimizer file that holds its JSON (type, hyper-parameters, step counts). */
const OPTIMIZER_CONFIG_KEY = "deriva_optimizer";

/**
 * The optimizer state as safetensors bytes (with the `format: "pt"` metadata PyTorch tools expect).
 *
 * @example
 * const optimizer = new optim.Adam(new nn.Linear(2, 1).parameters());
 * const bytes = io.encodeOptimizerState(optimizer.stateDict()); // safetensors bytes
 */
export function encodeOptimizerState(state: OptimizerStateDict): Uint8Array {
  const config = JSON.stringify({ type: state.type, options: state.options, steps: state.steps });
  return encodeSafetensors(state.state, { format: "pt", [OPTIMIZER_CONFIG_KEY]: config });
}

/**
 * The optimizer state back from its safetensors bytes; a one-line Error naming `source` when the
 * file is not one (see decodeSafetensors) or its JSON is missing or malformed.
 *
 * @example
 * const optimizer = new optim.Adam(new nn.Linear(2, 1).parameters());
 * const bytes = io.encodeOptimizerState(optimizer.stateDict());
 * optimizer.loadStateDict(io.decodeOptimizerState(bytes, "optimizer.safetensors"));
 */
export function decodeOptimizerState(bytes: Uint8Array, source: string): OptimizerStateDict {
  let content: ReturnType<typeof decodeSafetensors>;
  try {
    content = decodeSafetensors(bytes);
  } catch (error) {
    throw new Error(`${source}: ${(error as Error).message.replace(/^safetensors: /, "")}`);
  }
  const text = content.metadata[OPTIMIZER_CONFIG_KEY];
  if (text === undefined)
    throw new Error(`${source} is corrupt: its '${OPTIMIZER_CONFIG_KEY}' metadata is missing`);
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    throw new Error(`${source} is corrupt: its '${OPTIMIZER_CONFIG_KEY}' metadata is not JSON`);
  }
  const { type, options, steps } = (config ?? {}) as Record<string, unknown>;
  const ok =
    typeof type === "string" &&
    typeof options === "object" &&
    options !== null &&
    !Array.isArray(options) &&
    Array.isArray(steps) &&
    steps.every((s) => Number.isSafeInteger(s) && s >= 0);
  if (!ok)
    throw new Error(`${source} is corrupt: the optimizer state must hold a type, options and step counts`);
  return {
    type: type as string,
    options: options as OptimizerStateDict["options"],
    steps: steps as number[],
    state: content.tensors,
  };
}
