/**
 * A saved model is a folder: `model.json` and the weight files it names, `weights-<hash>.safetensors`
 * and, to resume training, `optimizer-<hash>.safetensors` (<hash>: the start of the file's SHA-256),
 * plus `weights.safetensors`, the same weights under the fixed name other tools load
 * (`load_file("model/weights.safetensors")` in PyTorch): a hard link to the named file (a copy
 * where the file system has no links), replaced by a rename right after the commit.
 *
 * A save changes the folder from one complete model to the next in one atomic step. The new
 * weight files are written (each to a temporary file, fsynced, renamed) beside the old ones; then
 * model.json, which names them with their sizes and SHA-256, replaces the old model.json by a
 * rename: that rename is the commit point. Only after it are the old model's files removed, and
 * files that no model.json names (left by an interrupted save) are removed by the next save.
 * Readers follow model.json, so a save interrupted at any point leaves the old model or the new
 * one, never a mix; `weights.safetensors` is always one complete weights file, the new one from
 * an instant after the commit (the old one if the save is interrupted in that instant, until the
 * next save). A lock file keeps two runs from saving into the same folder at once.
 */
import { createHash } from "node:crypto";
import { link, mkdir, readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import {
  describeModelFile,
  type FileDigest,
  type ModelDescription,
  type ModelFile,
  modelJsonText,
  parseModelJson,
} from "../io/model-file.js";
import { decodeOptimizerState, encodeOptimizerState } from "../io/optimizer-file.js";
import { decodeSafetensors, encodeSafetensors, readSafetensorsHeader } from "../io/safetensors.js";
import { checkWeightsFit } from "../io/weights-fit.js";
import type { OptimizerStateDict } from "../optim/index.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TrainingRecord } from "../train/run-record.js";
import { trainingRecordOf } from "../train/saved-model.js";
import { TEMP_FILE, writeFileAtomic } from "./atomic-write.js";
import { type FolderLock, lockFolder } from "./folder-lock.js";

/** The file that makes a folder a model. */
export const MODEL_JSON = "model.json";
/**
 * The weights under their fixed name: what tools other than deriva load, and the weights of a
 * hand-written model.json that names no files.
 */
export const DEFAULT_WEIGHTS_FILE = "weights.safetensors";

const MAX_MODEL_JSON_BYTES = 64 * 2 ** 20;
const DEFAULT_MAX_WEIGHT_BYTES = 2 * 2 ** 30;
/** Reads of a folder whose model.json keeps changing under them (saves committing) before giving up. */
const MAX_READ_ATTEMPTS = 10;
/** Names a save writes: what the cleanup may remove when no model.json names it. */
const OWN_FILE = /^(weights|optimizer)(-[0-9a-f]{16})?\.safetensors$/;
/** The link publishWeights makes before its rename, left behind if the save is interrupted there. */
const LINK_TEMP = /^\.weights\.safetensors\.\d+\.link\.tmp$/;

/** Options of saveModelFolder. */
export interface SaveFolderOptions {
  /** Also save this optimizer state (for resuming training). */
  optimizer?: OptimizerStateDict;
  /** The folder's lock when the caller holds it already (else the save takes it for its duration). */
  lock?: FolderLock;
  /** Called before each change on disk (testing what an interruption leaves: see writeFileAtomic). */
  onStep?: (step: string) => void;
}

/** A model folder's content as read: model.json, the weights and the optimizer state. */
export interface ModelFolder {
  /** model.json's content, checked (format, version, task, architecture, preprocessing, classes). */
  model: ModelFile;
  /** model.json's training record, checked, with the defaults a hand-written one leaves out. */
  training: TrainingRecord;
  /** The weights by PyTorch-style name (`0.weight`, `0.bias`, ...). */
  weights: Record<string, Tensor>;
  /** The optimizer state when the save kept one, else null. */
  optimizer: OptimizerStateDict | null;
}

/** Options of readModelFolder. */
export interface ReadFolderOptions {
  /** Refuse weight files larger than this many bytes (default 2 GiB). */
  maxBytes?: number;
}

/**
 * Saves a model folder (created if needed), atomically as a whole (see above): the weights as
 * safetensors (as given, with the `format: "pt"` metadata PyTorch tools expect), the optional
 * optimizer state, then model.json. model.json is checked by its reader's own checks before
 * anything is written. Returns the model.json written.
 * @example
 * const module = new nn.Linear(2, 1);
 * const description = { task: "regression" as const, architecture: module.toConfig(), preprocessing: null, inputShape: [2], classes: null };
 * await saveModelFolder("model", description, module.stateDict());
 */
export async function saveModelFolder(
  dir: string,
  description: ModelDescription,
  weights: Record<string, Tensor>,
  opts: SaveFolderOptions = {},
): Promise<ModelFile> {
  const step = opts.onStep ?? (() => undefined);
  const files = [encoded("weights", encodeSafetensors(weights, { format: "pt" }))];
  if (opts.optimizer !== undefined) files.push(encoded("optimizer", encodeOptimizerState(opts.optimizer)));
  const [weightsFile, optimizerFile] = files.map((f) => ({
    file: f.name,
    bytes: f.bytes.length,
    sha256: f.sha256,
  }));
  const model = describeModelFile(description, {
    weights: weightsFile!,
    ...(optimizerFile === undefined ? {} : { optimizer: optimizerFile }),
  });
  const text = modelJsonText(model, join(dir, MODEL_JSON), (read) =>
    trainingRecordOf(read, join(dir, MODEL_JSON)),
  );
  step("create folder");
  await mkdir(dir, { recursive: true });
  const lock = opts.lock ?? (await lockFolder(dir));
  try {
    // what an interrupted save left; the files the current model.json names stay until the commit
    await removeUnnamed(dir, await namedFiles(dir), step);
    for (const file of files) await writeFileAtomic(join(dir, file.name), file.bytes, { onStep: step });
    await writeFileAtomic(join(dir, MODEL_JSON), text, { onStep: step }); // the commit point
    await publishWeights(dir, files[0]!, step);
    await removeUnnamed(dir, new Set(files.map((f) => f.name)), step);
  } finally {
    if (opts.lock === undefined) await lock.release();
  }
  return model;
}

interface EncodedFile {
  name: string;
  bytes: Uint8Array;
  sha256: string;
}

function encoded(kind: "weights" | "optimizer", bytes: Uint8Array): EncodedFile {
  const hash = sha256(bytes);
  return { name: `${kind}-${hash.slice(0, 16)}.safetensors`, bytes, sha256: hash };
}

/**
 * Puts the committed weights under the fixed name: a hard link made beside it, then renamed over
 * `weights.safetensors` (so that name always holds one complete file); a copy written atomically
 * where links are not possible.
 */
async function publishWeights(dir: string, weights: EncodedFile, step: (s: string) => void): Promise<void> {
  const target = join(dir, DEFAULT_WEIGHTS_FILE);
  const temp = join(dir, `.${DEFAULT_WEIGHTS_FILE}.${process.pid}.link.tmp`);
  step(`${DEFAULT_WEIGHTS_FILE}: link`);
  await unlink(temp).catch(() => undefined);
  try {
    await link(join(dir, weights.name), temp);
  } catch {
    await writeFileAtomic(target, weights.bytes, { onStep: step });
    return;
  }
  step(`${DEFAULT_WEIGHTS_FILE}: rename`);
  await rename(temp, target);
}

/** The files the folder's current model.json names (read leniently: a broken one names nothing). */
async function namedFiles(dir: string): Promise<Set<string>> {
  const text = await readFile(join(dir, MODEL_JSON), "utf8").catch(() => null);
  if (text === null) return new Set();
  try {
    const files = (JSON.parse(text) as { files?: Record<string, { file?: unknown }> }).files;
    if (files === undefined) return new Set([DEFAULT_WEIGHTS_FILE]);
    return new Set(Object.values(files).flatMap((d) => (typeof d?.file === "string" ? [d.file] : [])));
  } catch {
    return new Set();
  }
}

/**
 * Removes the weight files and temporary files of earlier saves that `keep` does not hold
 * (`weights.safetensors` stays: a save only ever replaces it).
 */
async function removeUnnamed(
  dir: string,
  keep: ReadonlySet<string>,
  step: (s: string) => void,
): Promise<void> {
  for (const name of (await readdir(dir)).sort()) {
    if (keep.has(name) || name === DEFAULT_WEIGHTS_FILE) continue;
    if (!(OWN_FILE.test(name) || TEMP_FILE.test(name) || LINK_TEMP.test(name))) continue;
    step(`remove ${name}`);
    await unlink(join(dir, name)).catch(() => undefined);
  }
}

/**
 * Reads a model folder by what its model.json names, refusing with a one-line Error: a missing
 * folder or file, a corrupt or incomplete model.json, another major version, weight files that
 * are not the ones model.json was saved with, layers larger than the weights file holds, and any
 * safetensors file whose header lies (see readSafetensorsHeader). Nothing is allocated for a
 * tensor before its file has passed these checks.
 * @example
 * const module = new nn.Linear(2, 1);
 * const description = { task: "regression" as const, architecture: module.toConfig(), preprocessing: null, inputShape: [2], classes: null };
 * await saveModelFolder("model", description, module.stateDict());
 * const { model, weights } = await readModelFolder("model");
 * weights.weight!.shape; // [1, 2]
 */
export async function readModelFolder(dir: string, opts: ReadFolderOptions = {}): Promise<ModelFolder> {
  const info = await stat(dir).catch(() => null);
  if (info === null) throw new Error(`model folder '${dir}' does not exist`);
  if (!info.isDirectory()) throw new Error(`'${dir}' is not a model folder (a folder with ${MODEL_JSON})`);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_WEIGHT_BYTES;
  // a save that commits while we read removes the files the old model.json named: read again
  for (let attempt = 0; ; attempt++) {
    const text = new TextDecoder().decode(await readLimited(dir, MODEL_JSON, MAX_MODEL_JSON_BYTES));
    try {
      return await readNamedFiles(dir, parseModelJson(text, join(dir, MODEL_JSON)), maxBytes);
    } catch (error) {
      if (!(error instanceof MissingFile) || attempt >= MAX_READ_ATTEMPTS - 1) throw error;
      const now = await readFile(join(dir, MODEL_JSON), "utf8").catch(() => null);
      if (now === text) throw error;
    }
  }
}

async function readNamedFiles(dir: string, model: ModelFile, maxBytes: number): Promise<ModelFolder> {
  const training = trainingRecordOf(model, join(dir, MODEL_JSON));
  const weightsFile = model.files?.weights.file ?? DEFAULT_WEIGHTS_FILE;
  const weightBytes = await readChecked(dir, weightsFile, model.files?.weights, maxBytes);
  const header = inFile(dir, weightsFile, () => readSafetensorsHeader(weightBytes));
  checkWeightsFit(model.architecture, header.entries, join(dir, MODEL_JSON), weightsFile);
  const weights = inFile(dir, weightsFile, () => decodeSafetensors(weightBytes)).tensors;
  const digest = model.files?.optimizer;
  if (digest === undefined) return { model, training, weights, optimizer: null };
  const optimizerBytes = await readChecked(dir, digest.file, digest, maxBytes);
  return {
    model,
    training,
    weights,
    optimizer: decodeOptimizerState(optimizerBytes, join(dir, digest.file)),
  };
}

/** A file that model.json names and the folder lacks. */
class MissingFile extends Error {}

/** A file of the folder, checked against its digest (when model.json has one). */
async function readChecked(
  dir: string,
  file: string,
  digest: FileDigest | undefined,
  maxBytes: number,
): Promise<Uint8Array> {
  const bytes = await readLimited(dir, file, maxBytes);
  if (digest !== undefined && (bytes.length !== digest.bytes || sha256(bytes) !== digest.sha256)) {
    throw new Error(
      `${join(dir, file)} is not the file ${MODEL_JSON} was saved with (its size or SHA-256 differs): the file was changed or corrupted`,
    );
  }
  return bytes;
}

/** Reads a file of the folder, refusing a missing one or one over `maxBytes` before reading it. */
async function readLimited(dir: string, file: string, maxBytes: number): Promise<Uint8Array> {
  const path = join(dir, file);
  const missing = () => new MissingFile(`incomplete model folder '${dir}': ${file} is missing`);
  const info = await stat(path).catch(() => null);
  if (info === null || !info.isFile()) throw missing();
  if (info.size > maxBytes) {
    throw new Error(`${path} is ${info.size} bytes, more than the limit of ${maxBytes}`);
  }
  // a save that commits meanwhile may remove it between the stat and the read
  return await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw error.code === "ENOENT" ? missing() : new Error(`cannot read ${path}: ${error.code}`);
  });
}

/** Runs a safetensors read, naming the file in its error. */
function inFile<T>(dir: string, file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new Error(`${join(dir, file)}: ${(error as Error).message.replace(/^safetensors: /, "")}`);
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
