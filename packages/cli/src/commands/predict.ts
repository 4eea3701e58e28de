/** `deriva predict --model model/ inputs…`: the class and its probability (or the value) for each input. */
import type { Command } from "commander";
import { data, Tensor, train } from "deriva";
import { readCsvFile } from "deriva/node";
import { loadModelForData } from "../data-source.js";
import { UserError } from "../errors.js";
import { photoInputs } from "../photo-inputs.js";
import { printable } from "../printable.js";
import { alignedTable } from "../table.js";

const EXAMPLES = `
Examples:
  $ deriva predict digit.png other-digit.jpg        with the model in model/
  $ deriva predict --model iris-model/ new-flowers.csv
  $ deriva predict --model pets-model/ photos/*.jpg --format json

Table models read CSV files (one prediction per row; the target column may be absent); image models
read PNG and JPEG photos of any size and aspect: the centred square (or the model's aspect) is cut
out, resized with area averaging, made gray or RGB and standardized as when the model was trained.
An image that cannot be read is skipped with a warning.`;

interface PredictFlags {
  model: string;
  format: string;
}

interface Inputs {
  /** What each row of x is: a file, or a file's row. */
  names: string[];
  x: Tensor;
}

export function registerPredict(program: Command): void {
  program
    .command("predict")
    .description("predict with a saved model: the class and its probability, or the value, per input")
    .argument("<inputs...>", "CSV files (a prediction per row) or image files")
    .option("--model <folder>", "the model folder", "model")
    .option("--format <kind>", "text | json", "text")
    .addHelpText("after", EXAMPLES)
    .action(async (paths: string[], flags: PredictFlags) => {
      if (flags.format !== "text" && flags.format !== "json") {
        throw new UserError(`--format expects text or json, got '${flags.format}'`);
      }
      const trained = await loadModelForData(flags.model);
      const prep = trained.preprocessing;
      const inputs =
        prep.kind === "tabular"
          ? await csvInputs(paths, prep)
          : await photoInputs(paths, prep, (message) =>
              process.stderr.write(`warning: ${printable(message)}\n`),
            );
      const output = train.applyLink(train.predict(trained.module, inputs.x), trained.training.link);
      const width = output.shape[1]!;
      const outputValues = await output.read();
      const rowOf = (i: number) => Array.from(outputValues.subarray(i * width, (i + 1) * width));
      const classes = trained.classes;
      const broken = inputs.names.filter((_, i) => !rowOf(i).every(Number.isFinite));
      if (broken.length > 0) {
        process.stderr.write(
          `warning: ${broken.length} of ${inputs.names.length} inputs gave outputs that are not finite (NaN or ±Infinity), shown as "${NOT_FINITE}": ${printable(broken.slice(0, 3).join("; "))}${broken.length > 3 ? "; …" : ""}\n`,
        );
      }
      if (classes === null) {
        const rows = inputs.names.map((input, i) => {
          const values = rowOf(i);
          return { input, value: width === 1 ? values[0]! : values, ...notFinite(values) };
        });
        if (flags.format === "json") return print(JSON.stringify(rows, null, 2));
        const cells = rows.map((r) => [
          r.error !== undefined
            ? NOT_FINITE
            : [r.value]
                .flat()
                .map((v) => String(Number(v.toPrecision(6))))
                .join(", "),
        ]);
        return print(namedTable(["value"], inputs.names, cells).join("\n"));
      }
      const rows = inputs.names.map((input, i) => {
        const probabilities = rowOf(i);
        const failed = notFinite(probabilities);
        if (failed.error !== undefined)
          return { input, class: null, probability: null, probabilities, ...failed };
        const index = probabilities.indexOf(Math.max(...probabilities));
        return { input, class: classes[index]!, probability: probabilities[index]!, probabilities };
      });
      if (flags.format === "json") return print(JSON.stringify(rows, null, 2));
      const cells = rows.map((r) =>
        r.class === null ? ["–", NOT_FINITE] : [printable(r.class), `${(100 * r.probability!).toFixed(2)}%`],
      );
      print(namedTable(["class", "probability"], inputs.names, cells).join("\n"));
    });
}

/** What a row shows when the model's output is NaN or infinite (it predicts no class). */
const NOT_FINITE = "not finite";

/** An `error` for a row whose outputs are not all finite (JSON writes them as null). */
function notFinite(values: readonly number[]): { error?: string } {
  return values.every(Number.isFinite)
    ? {}
    : { error: "the model's output is not finite (NaN or ±Infinity): no class is predicted" };
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** A table whose first column (the inputs' names) is left-aligned and the others right-aligned. */
function namedTable(header: string[], inputs: readonly string[], cells: string[][]): string[] {
  const names = inputs.map(printable);
  const width = Math.max(5, ...names.map((name) => name.length));
  const right = alignedTable(header, cells);
  return right.map((line, i) => `${(i === 0 ? "input" : names[i - 1]!).padEnd(width)}  ${line}`);
}

/** Every row of every CSV file, encoded with the saved preprocessing. */
async function csvInputs(paths: readonly string[], prep: data.TabularPreprocessing): Promise<Inputs> {
  const names: string[] = [];
  const parts: Float32Array[] = [];
  for (const path of paths) {
    if (!/\.csv$/i.test(path)) throw new UserError(`${path}: this model reads table rows; give .csv files`);
    const table = await readCsvFile(path);
    try {
      parts.push(data.encodeFeatures(table, prep));
    } catch (error) {
      throw new UserError(`${path}: ${(error as Error).message}`);
    }
    for (const line of table.lines) names.push(`${path} row ${line}`);
  }
  return { names, x: stackRows(parts, [names.length, prep.featureNames.length]) };
}

function stackRows(parts: readonly Float32Array[], shape: number[]): Tensor {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return new Tensor(out, shape);
}
