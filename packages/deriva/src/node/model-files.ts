/**
 * A saved model is a folder: `model.json` (architecture, preprocessing, class names, version) and
 * `weights.safetensors`, plus `optimizer.safetensors` when the optimizer state is kept for
 * `--resume`. Each file is written atomically, and model.json, written last, records the size and
 * SHA-256 of the weight files it belongs with: a save interrupted at any point leaves either the
 * previous model or one the reader refuses with a clear message, never a silently mixed one.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import {
  type FileDigest,
  type JsonValue,
  type ModelDescription,
  type ModelFile,
  parseModelJson,
} from "../io/model-file.js";
import { decodeSafetensors, encodeSafetensors } from "../io/safetensors.js";
import type { Tensor } from "../tensor/tensor.js";
import { VERSION } from "../version.js";
import { writeFileAtomic } from "./atomic-write.js";

export const MODEL_JSON = "model.json";
export const WEIGHTS_FILE = "weights.safetensors";
export const OPTIMIZER_FILE = "optimizer.safetensors";

/** Metadata key of optimizer.safetensors that holds the optimizer's JSON (hyper-parameters, step count). */
const OPTIMIZER_CONFIG_KEY = "deriva_optimizer";
const MAX_MODEL_JSON_BYTES = 64 * 2 ** 20;
const DEFAULT_MAX_WEIGHT_BYTES = 2 * 2 ** 30;

/** An optimizer's state: its tensors (moments, ...) by name, and JSON for everything else. */
export interface OptimizerState {
  tensors: Record<string, Tensor>;
  config: JsonValue;
}

export interface SaveModelOptions {
  /** Also save the optimizer state (for resuming training). */
  optimizer?: OptimizerState;
}

export interface SavedModel {
  model: ModelFile;
  /** The weights by PyTorch-style name (`0.weight`, `0.bias`, ...). */
  weights: Record<string, Tensor>;
  /** The optimizer state when the save kept one, else null. */
  optimizer: OptimizerState | null;
}

export interface ReadModelOptions {
  /** Refuse weight files larger than this many bytes (default 2 GiB). */
  maxBytes?: number;
}

/**
 * Saves a model folder (created if needed): the weights as safetensors (float32 as given, with
 * the `format: "pt"` metadata PyTorch tools expect), the optional optimizer state, then model.json.
 * Returns the model.json written.
 * @example await saveModelFiles("model", { task, architecture, preprocessing, classes }, model.stateDict())
 */
export async function saveModelFiles(
  dir: string,
  description: ModelDescription,
  weights: Record<string, Tensor>,
  opts: SaveModelOptions = {},
): Promise<ModelFile> {
  await mkdir(dir, { recursive: true });
  const files: NonNullable<ModelFile["files"]> = {
    weights: await writeTensors(dir, WEIGHTS_FILE, weights, { format: "pt" }),
  };
  if (opts.optimizer !== undefined) {
    const config = JSON.stringify(opts.optimizer.config);
    files.optimizer = await writeTensors(dir, OPTIMIZER_FILE, opts.optimizer.tensors, {
      format: "pt",
      [OPTIMIZER_CONFIG_KEY]: config,
    });
  }
  const model: ModelFile = { format: "deriva-model", derivaVersion: VERSION, ...description, files };
  // the commit point: from here on the folder describes the new weights
  await writeFileAtomic(join(dir, MODEL_JSON), `${JSON.stringify(model, null, 2)}\n`);
  if (opts.optimizer === undefined) await rm(join(dir, OPTIMIZER_FILE), { force: true });
  return model;
}

/**
 * Reads a model folder, refusing with a one-line Error: a missing folder or file, a corrupt or
 * incomplete model.json, another major version, weight files that are not the ones model.json
 * was saved with, and any safetensors file whose header lies (see decodeSafetensors).
 */
export async function readModelFiles(dir: string, opts: ReadModelOptions = {}): Promise<SavedModel> {
  const info = await stat(dir).catch(() => null);
  if (info === null) throw new Error(`model folder '${dir}' does not exist`);
  if (!info.isDirectory())
    throw new Error(`'${dir}' is not a model folder (a folder with ${MODEL_JSON} and ${WEIGHTS_FILE})`);
  const jsonPath = join(dir, MODEL_JSON);
  const jsonBytes = await readLimited(dir, MODEL_JSON, MAX_MODEL_JSON_BYTES);
  const model = parseModelJson(new TextDecoder().decode(jsonBytes), jsonPath);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_WEIGHT_BYTES;
  const weights = await readTensors(dir, WEIGHTS_FILE, model.files?.weights, maxBytes);
  const optimizerDigest = model.files?.optimizer;
  if (optimizerDigest === undefined) return { model, weights: weights.tensors, optimizer: null };
  const optimizer = await readTensors(dir, OPTIMIZER_FILE, optimizerDigest, maxBytes);
  const configText = optimizer.metadata[OPTIMIZER_CONFIG_KEY];
  if (configText === undefined) {
    throw new Error(
      `${join(dir, OPTIMIZER_FILE)} is corrupt: its '${OPTIMIZER_CONFIG_KEY}' metadata is missing`,
    );
  }
  let config: JsonValue;
  try {
    config = JSON.parse(configText) as JsonValue;
  } catch {
    throw new Error(
      `${join(dir, OPTIMIZER_FILE)} is corrupt: its '${OPTIMIZER_CONFIG_KEY}' metadata is not JSON`,
    );
  }
  return { model, weights: weights.tensors, optimizer: { tensors: optimizer.tensors, config } };
}

async function writeTensors(
  dir: string,
  file: string,
  tensors: Record<string, Tensor>,
  metadata: Record<string, string>,
): Promise<FileDigest> {
  const bytes = encodeSafetensors(tensors, metadata);
  await writeFileAtomic(join(dir, file), bytes);
  return { file, bytes: bytes.length, sha256: sha256(bytes) };
}

async function readTensors(dir: string, file: string, digest: FileDigest | undefined, maxBytes: number) {
  const path = join(dir, file);
  const bytes = await readLimited(dir, file, maxBytes);
  if (digest !== undefined && (bytes.length !== digest.bytes || sha256(bytes) !== digest.sha256)) {
    throw new Error(
      `${path} is not the file ${MODEL_JSON} was saved with (its size or SHA-256 differs): the file was changed or corrupted, or a save was interrupted`,
    );
  }
  try {
    return decodeSafetensors(bytes);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message.replace(/^safetensors: /, "")}`);
  }
}

/** Reads a file of the model folder, refusing a missing one or one over `maxBytes` before reading it. */
async function readLimited(dir: string, file: string, maxBytes: number): Promise<Uint8Array> {
  const path = join(dir, file);
  const info = await stat(path).catch(() => null);
  if (info === null || !info.isFile())
    throw new Error(`incomplete model folder '${dir}': ${file} is missing`);
  if (info.size > maxBytes) {
    throw new Error(`${path} is ${info.size} bytes, more than the limit of ${maxBytes}`);
  }
  return await readFile(path);
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
