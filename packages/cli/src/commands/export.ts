/** `deriva export --model <folder> --to model.onnx`: a saved model as an ONNX file for serving runtimes. */
import type { Command } from "commander";
import type { train } from "deriva";
import { checkFileDestination, loadModel, writeFileAtomic } from "deriva/node";
import { EXPORT_OPSETS, INPUT_KEY, type PreprocessingPlacement, readOnnx, toOnnx } from "deriva/onnx";
import { UserError } from "../errors.js";
import { architectureLine, count } from "../report.js";

const EXAMPLES = `
Examples:
  $ deriva export --to model.onnx                              the model in model/
  $ deriva export --model iris-model/ --to iris.onnx --opset 20
  $ deriva export --model pets-model/ --to pets.onnx --preprocessing metadata

The file's input is 'input' [N, ...] (N: any batch size), its output 'output'. With --preprocessing
graph (the default) the file takes raw inputs: pixel values 0–255 for image models (scaled and, if the
model standardizes them, standardized by the graph), table values as they are (standardized by the
graph; categorical columns one-hot). With --preprocessing metadata the file takes what the network
takes, and its metadata_props describe the preprocessing (deriva.preprocessing, deriva.input).
Either way the metadata names the classes (deriva.classes) and what the outputs are (deriva.output).`;

interface ExportFlags {
  model: string;
  to: string;
  opset?: string;
  preprocessing: string;
}

/** What a model's outputs are, for the metadata. */
const OUTPUT_TEXT: Record<train.OutputLink, string> = {
  softmax: "logits: softmax over axis 1 gives the class probabilities",
  sigmoid: "logits: the sigmoid gives each output's probability",
  identity: "the predicted values",
};

export function registerExport(program: Command): void {
  program
    .command("export")
    .description("write a saved model as an ONNX file (for ONNX Runtime and other serving engines)")
    .option("--model <folder>", "the model folder", "model")
    .requiredOption("--to <file>", "the ONNX file to write, e.g. model.onnx")
    .option("--opset <n>", `ONNX operator set, ${EXPORT_OPSETS.min} to ${EXPORT_OPSETS.max} (default 17)`)
    .option("--preprocessing <where>", "graph | metadata", "graph")
    .addHelpText("after", EXAMPLES)
    .action(async (flags: ExportFlags) => {
      const placement = readPlacement(flags.preprocessing);
      const opset = flags.opset === undefined ? undefined : readOpset(flags.opset);
      await checkFileDestination(flags.to);
      const model = await loadModel(flags.model);
      const link = model.training.link;
      const metadata: Record<string, string> = {
        "deriva.task": model.task,
        "deriva.output": OUTPUT_TEXT[link],
        "deriva.training": JSON.stringify(model.training),
      };
      if (model.classes !== null) metadata["deriva.classes"] = JSON.stringify(model.classes);
      const bytes = toOnnx(model.module, {
        inputShape: model.inputShape,
        opset,
        preprocessing: model.preprocessing,
        placement,
        metadata,
      });
      await writeFileAtomic(flags.to, bytes);
      // read back: the file decodes, and its metadata describes the input in the words written into it
      const written = readOnnx(bytes, flags.to);
      const input = written.metadata[INPUT_KEY] ?? `float32 [N, ${model.inputShape.join(", ")}]`;
      process.stdout.write(
        `${[
          `model ${flags.model}: ${architectureLine(model.module.toConfig())}`,
          `wrote ${flags.to} (${count(bytes.length)} bytes, ONNX opset ${written.opset})`,
          `input 'input': ${input}`,
          `output 'output': ${OUTPUT_TEXT[link]}${model.classes === null ? "" : ` (${model.classes.join(", ")})`}`,
        ].join("\n")}\n`,
      );
    });
}

function readPlacement(text: string): PreprocessingPlacement {
  if (text !== "graph" && text !== "metadata") {
    throw new UserError(`--preprocessing expects graph or metadata, got '${text}'`);
  }
  return text;
}

function readOpset(text: string): number {
  const opset = Number(text);
  if (!Number.isInteger(opset) || opset < EXPORT_OPSETS.min || opset > EXPORT_OPSETS.max) {
    throw new UserError(
      `--opset expects an integer from ${EXPORT_OPSETS.min} to ${EXPORT_OPSETS.max}, got '${text}'`,
    );
  }
  return opset;
}
