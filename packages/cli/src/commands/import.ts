/**
 * `deriva import <model.onnx | weights.safetensors> --out <folder>`: a network from elsewhere as a
 * model folder that eval, predict and train --resume use. An ONNX file brings its architecture and
 * weights; a safetensors state dict (as PyTorch saves it) brings weights for an --architecture.
 * What the model reads (task, classes, preprocessing) comes from --data, or from a file deriva wrote.
 */
import { readFile, stat } from "node:fs/promises";
import type { Command } from "commander";
import { data, io, models, nn, noGrad, type Tensor, train, zeros } from "deriva";
import { checkFolderDestination, loadModel, saveModel } from "deriva/node";
import { PREPROCESSING_KEY, readOnnx } from "deriva/onnx";
import { dataKind, loadData } from "../data-source.js";
import { UserError } from "../errors.js";
import { architectureLine } from "../report.js";

const EXAMPLES = `
Examples:
  $ deriva import mnist-cnn.onnx --data mnist --out model/      an ONNX file exported by PyTorch
  $ deriva import model.onnx --out copy/                       a file 'deriva export' wrote (it says what it reads)
  $ deriva import weights.safetensors --architecture model/ --out tuned/
  $ deriva import weights.safetensors --architecture arch.json --data iris.csv --out iris-model/

ONNX files: graphs that are one chain of Gemm, MatMul (+ Add), Conv, MaxPool, AveragePool,
BatchNormalization, Flatten, Reshape, Relu, Sigmoid, Tanh, LeakyRelu, Gelu, Softmax (opsets 9-22), as
torch.onnx.export writes them for an nn.Sequential. Safetensors files: a PyTorch state dict (float32,
float16, bfloat16; names such as 1.weight) for the layers of --architecture (a model folder, a
model.json, or a layer config). --data says what the model reads, fitted as train would: mnist, a CSV
file or an image folder. PyTorch's pickle files (.pt, .pth) are refused: loading one runs code.`;

interface ImportFlags {
  out: string;
  data?: string;
  architecture?: string;
  target?: string;
}

/** What a model folder needs besides the network. */
interface Description {
  task: data.Task;
  classes: readonly string[] | null;
  preprocessing: data.Preprocessing | null;
  /** Where the data came from ("mnist", a file; "" when unknown). */
  source: string;
}

/** A network read from a file, with what the file itself says about its inputs. */
interface Imported {
  module: nn.Module;
  /** One sample's shape, when the file or the architecture's folder says (else from --data). */
  inputShape: number[] | null;
  described: Description | null;
  /** What was read, for the report. */
  format: string;
}

const MAX_FILE_BYTES = 2 * 2 ** 30;

export function registerImport(program: Command): void {
  program
    .command("import")
    .description("make a model folder from an ONNX file or a PyTorch state dict (safetensors)")
    .argument("<file>", "model.onnx, or weights.safetensors with --architecture")
    .requiredOption("--out <folder>", "the model folder to write")
    .option("--data <source>", "what the model reads: mnist, a .csv file or an image folder")
    .option("--architecture <path>", "for safetensors: a model folder, a model.json or a layer config .json")
    .option("--target <column>", "CSV: the column to predict (default: the last)")
    .addHelpText("after", EXAMPLES)
    .action(async (file: string, flags: ImportFlags) => {
      const bytes = await readInput(file);
      await checkFolderDestination(flags.out);
      if (flags.data !== undefined) await dataKind(flags.data); // a missing source, before the work
      const imported = /\.onnx$/i.test(file)
        ? importOnnx(bytes, file)
        : await importSafetensors(bytes, file, flags.architecture);
      const described = flags.data === undefined ? imported.described : await fromData(flags, imported);
      if (described === null) {
        throw new UserError(
          `${file} does not say what the model reads: give --data (mnist, a .csv file or an image folder)`,
        );
      }
      const inputShape =
        imported.inputShape ?? (described.preprocessing && data.inputShapeOf(described.preprocessing));
      if (inputShape === null)
        throw new UserError(`give --data: the input shape of ${file}'s model is unknown`);
      const outputs = outputsOf(imported.module, inputShape, described, file);
      const last = imported.module instanceof nn.Sequential ? imported.module.layers.at(-1) : undefined;
      if (described.task === "classification" && last instanceof nn.Softmax) {
        process.stderr.write(
          "warning: the network ends in Softmax: deriva takes a classifier's outputs as logits, so eval's loss and predict's probabilities are off (the classes are right); export the model without its final Softmax\n",
        );
      }
      await saveModel(flags.out, {
        module: imported.module,
        task: described.task,
        classes: described.classes,
        preprocessing: described.preprocessing,
        inputShape,
        training: train.checkTrainingRecord(
          { model: "imported", data: described.source, outputs },
          described.task,
          described.classes,
          file,
        ),
        optimizer: null,
      });
      const kind = described.classes === null ? `${outputs} value(s)` : `${outputs} classes`;
      process.stdout.write(
        `${[
          `read ${file} (${imported.format}): ${architectureLine(imported.module.toConfig())}`,
          `input [N, ${inputShape.join(", ")}], output ${kind}${described.source === "" ? "" : ` (data: ${described.source})`}`,
          `saved ${flags.out}`,
        ].join("\n")}\n`,
      );
    });
}

/** The file's bytes; a missing, oversized or pickle file is refused before it is read. */
async function readInput(file: string): Promise<Uint8Array> {
  const info = await stat(file).catch(() => null);
  if (info === null || !info.isFile()) throw new UserError(`'${file}' does not exist`);
  if (info.size > MAX_FILE_BYTES) {
    throw new UserError(`${file} is ${info.size} bytes, more than the limit of ${MAX_FILE_BYTES}`);
  }
  const bytes = new Uint8Array(await readFile(file));
  if (/\.(pt|pth|pkl|pickle|ckpt|bin)$/i.test(file) || isPickleOrZip(bytes)) {
    throw new UserError(
      `${file} is a PyTorch pickle file: loading one runs the code inside it, so deriva does not read it; convert it in Python where you trust it: torch.onnx.export(model, example_input, "model.onnx"), or safetensors.torch.save_file(model.state_dict(), "weights.safetensors")`,
    );
  }
  if (!/\.(onnx|safetensors)$/i.test(file)) {
    throw new UserError(`${file}: deriva imports .onnx files and .safetensors state dicts`);
  }
  return bytes;
}

/** torch.save writes a zip archive (before PyTorch 1.6, a bare pickle that starts with its protocol). */
function isPickleOrZip(bytes: Uint8Array): boolean {
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  const pickle = bytes[0] === 0x80 && bytes[1] !== undefined && bytes[1] >= 2 && bytes[1] <= 5;
  return zip || pickle;
}

function importOnnx(bytes: Uint8Array, file: string): Imported {
  const read = readOnnx(bytes, file);
  return {
    module: read.model,
    inputShape: read.inputShape,
    described: exportedDescription(read.metadata, file),
    format: `ONNX opset ${read.opset}${read.producer === "" ? "" : `, ${read.producer}`}`,
  };
}

/** What a file written by `deriva export` says about its inputs (null for other files). */
function exportedDescription(metadata: Record<string, string>, file: string): Description | null {
  const task = metadata["deriva.task"];
  if (task !== "classification" && task !== "regression") return null;
  const json = (key: string): unknown => {
    try {
      return JSON.parse(metadata[key] ?? "null");
    } catch {
      throw new UserError(`${file}: its metadata ${key} is not JSON`);
    }
  };
  const classes = json("deriva.classes");
  if (classes !== null && !(Array.isArray(classes) && classes.every((c) => typeof c === "string"))) {
    throw new UserError(`${file}: its metadata deriva.classes must be a list of class names`);
  }
  const prep = json(PREPROCESSING_KEY);
  const preprocessing = prep === null ? null : data.checkPreprocessing(prep, `${file}: ${PREPROCESSING_KEY}`);
  const training = json("deriva.training");
  const source =
    typeof (training as { data?: unknown } | null)?.data === "string"
      ? (training as { data: string }).data
      : "";
  return { task, classes: classes as string[] | null, preprocessing, source };
}

/** A state dict for the layers of --architecture; a model folder also says what the model reads. */
async function importSafetensors(bytes: Uint8Array, file: string, architecture?: string): Promise<Imported> {
  if (architecture === undefined) {
    throw new UserError(
      `${file} holds weights only: give --architecture (a model folder, a model.json or a layer config)`,
    );
  }
  let tensors: Record<string, Tensor>;
  try {
    tensors = io.decodeSafetensors(bytes).tensors;
  } catch (error) {
    throw new UserError(`${file}: ${(error as Error).message.replace(/^safetensors: /, "")}`);
  }
  const folder = (await stat(architecture).catch(() => null))?.isDirectory() === true;
  const base = folder ? await fromFolder(architecture) : await fromConfigFile(architecture);
  try {
    base.module.loadStateDict(tensors);
  } catch (error) {
    const reason = (error as Error).message.replace(/^loadStateDict: /, "");
    throw new UserError(`${file} does not fit the layers of ${architecture}: ${reason}`);
  }
  base.module.eval();
  return { ...base, format: "safetensors state dict" };
}

async function fromFolder(dir: string): Promise<Omit<Imported, "format">> {
  const saved = await loadModel(dir);
  const { task, classes, preprocessing } = saved;
  const described = { task, classes, preprocessing, source: saved.training.data };
  return { module: saved.module, inputShape: [...saved.inputShape], described };
}

async function fromConfigFile(path: string): Promise<Omit<Imported, "format">> {
  const text = await readFile(path, "utf8").catch(() => {
    throw new UserError(`'${path}' does not exist (--architecture takes a model folder or a .json file)`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${path} is not valid JSON (${(error as Error).message})`);
  }
  try {
    return { module: nn.fromConfig(models.architectureFrom(json, path)), inputShape: null, described: null };
  } catch (error) {
    throw new UserError(`${path}: ${(error as Error).message.replace(/^nn\.fromConfig: /, "")}`);
  }
}

/**
 * What --data says the model reads, fitted as train fits it. Images are sized as the model's
 * input says (an MNIST model with a flat input reads the digits flat).
 */
async function fromData(flags: ImportFlags, imported: Imported): Promise<Description> {
  const source = flags.data!;
  const kind = await dataKind(source);
  const shape = imported.inputShape;
  const onWarning = (message: string) => process.stderr.write(`warning: ${message}\n`);
  let saved: { preprocessing: data.Preprocessing; classes: null } | undefined;
  if (kind === "mnist" && shape !== null) {
    const layout = shape.length === 1 ? "flat" : "nchw";
    saved = { preprocessing: { kind: "image", height: 28, width: 28, channels: 1, layout }, classes: null };
  }
  const image = kind === "images" && shape?.length === 3 ? (shape as [number, number, number]) : null;
  const loaded = await loadData(source, {
    target: flags.target,
    imageSize: image === null ? undefined : [image[1], image[2]],
    channels: image === null ? undefined : (image[0] as 1 | 3),
    saved,
    onWarning,
  });
  const { task, classNames, preprocessing } = loaded.data;
  if (shape !== null && preprocessing !== null) {
    const given = data.inputShapeOf(preprocessing);
    if (given.join() !== shape.join()) {
      throw new UserError(
        `the model reads inputs [N, ${shape.join(", ")}], but ${source} gives [N, ${given.join(", ")}]`,
      );
    }
  }
  return { task, classes: task === "classification" ? (classNames ?? null) : null, preprocessing, source };
}

/** The number of outputs for one sample, which must match the classes. */
function outputsOf(module: nn.Module, inputShape: number[], described: Description, file: string): number {
  let out: Tensor;
  try {
    out = noGrad(() => module.forward(zeros([1, ...inputShape])));
  } catch (error) {
    throw new UserError(
      `${file}: the network does not take inputs [N, ${inputShape.join(", ")}]: ${(error as Error).message}`,
    );
  }
  if (out.ndim !== 2) {
    throw new UserError(
      `${file}: the network gives outputs of shape [${out.shape.join(", ")}]; deriva models give [N, outputs]`,
    );
  }
  const outputs = out.shape[1]!;
  const classes = described.classes;
  if (classes !== null && classes.length !== outputs) {
    throw new UserError(
      `${file}: the network has ${outputs} outputs, but the data has ${classes.length} classes`,
    );
  }
  return outputs;
}
