/** `deriva eval --model model/ --data <source>`: loss, accuracy and confusion matrix of a saved model. */
import { join } from "node:path";
import type { Command } from "commander";
import { train } from "deriva";
import { loadData, loadModelForData } from "../data-source.js";
import { UserError } from "../errors.js";
import { writePredictionGrid } from "../prediction-grid.js";
import { printable } from "../printable.js";
import { confusionReport, count, percent } from "../report.js";

const EXAMPLES = `
Examples:
  $ deriva eval                                     the model in model/ on MNIST's 2,000 held-out test digits
  $ deriva eval --model iris-model/ --data iris.csv
  $ deriva eval --model pets-model/ --data pets-test/ --format json
  $ deriva eval --model cats-model/ --grid grid.png  a picture of 48 test images with their predictions

The data gets the preprocessing saved with the model (CSV standardization and one-hot columns, image
size and channels); a CSV file needs the target column, an image folder one sub-folder per class.`;

/** Where eval writes a confusion matrix too large to print (in the model folder). */
const EVAL_CONFUSION = "eval-confusion.csv";

interface EvalFlags {
  model: string;
  data?: string;
  format: string;
  batchSize: string;
  grid?: string;
}

export function registerEval(program: Command): void {
  program
    .command("eval")
    .description("evaluate a saved model: loss, accuracy and confusion matrix")
    .option("--model <folder>", "the model folder", "model")
    .option(
      "--data <source>",
      "mnist or cats-vs-dogs (their held-out test part), a .csv file or an image folder (default: the built-in data a model was trained on)",
    )
    .option(
      "--grid <file.png>",
      "image models: also draw the first 48 images with their true and predicted classes",
    )
    .option("--format <kind>", "text | json", "text")
    .addHelpText("after", EXAMPLES)
    .action(async (flags: EvalFlags) => {
      if (flags.format !== "text" && flags.format !== "json") {
        throw new UserError(`--format expects text or json, got '${flags.format}'`);
      }
      const trained = await loadModelForData(flags.model);
      const builtIn = ["mnist", "cats-vs-dogs"].includes(trained.training.data);
      const source = flags.data ?? (builtIn ? trained.training.data : undefined);
      if (source === undefined) throw new UserError("--data is required: the data to evaluate the model on");
      const loaded = await loadData(source, {
        saved: { preprocessing: trained.preprocessing, classes: trained.classes },
        onWarning: (message) => process.stderr.write(`warning: ${printable(message)}\n`),
      });
      const data = loaded.test ?? loaded.data;
      if (flags.grid !== undefined && (data.preprocessing?.kind !== "image" || data.classNames === null)) {
        throw new UserError("--grid draws images: the model must be an image classifier");
      }
      const result = await train.evaluate(trained.module, data, { loss: trained.training.loss });
      if (flags.grid !== undefined) {
        const grid = flags.grid;
        await writePredictionGrid(grid, trained.module, data).catch((error: Error) => {
          throw new UserError(`cannot write the grid to ${grid}: ${error.message}`);
        });
      }
      if (flags.format === "json") {
        const json = {
          model: flags.model,
          data: source,
          samples: result.samples,
          loss: result.loss,
          lossName: trained.training.loss,
          ...(result.accuracy === null
            ? {}
            : {
                accuracy: result.accuracy,
                correct: result.correct,
                classes: trained.classes,
                confusionMatrix: result.confusionMatrix,
              }),
          nonFinite: result.nonFinite.length,
        };
        process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
        return;
      }
      const what = {
        mnist: "MNIST test digits",
        "cats-vs-dogs": "held-out cats-vs-dogs photos",
        csv: "rows",
        images: "images",
      }[loaded.kind];
      const lines = [
        `model ${printable(flags.model)} (${trained.training.model}, ${trained.task}) on ${printable(source)}: ${count(result.samples)} ${what}`,
        `loss ${result.loss.toFixed(4)} (${trained.training.loss})`,
      ];
      if (result.nonFinite.length > 0) lines.push(nonFiniteLine(result.nonFinite, result.samples, what));
      if (result.accuracy !== null) {
        lines.push(
          `accuracy ${percent(result.accuracy)} (${count(result.correct!)} of ${count(result.samples)})`,
        );
        lines.push(
          ...(await confusionReport(
            result.confusionMatrix!,
            trained.classes!,
            join(flags.model, EVAL_CONFUSION),
          )),
        );
      }
      if (flags.grid !== undefined) lines.push(`grid of predictions written to ${printable(flags.grid)}`);
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}

/** "2 of 151 rows gave outputs that are not finite (…): the 2nd, the 151st; …". */
function nonFiniteLine(indices: readonly number[], samples: number, what: string): string {
  const shown = indices.slice(0, 10).map((i) => ordinal(i + 1));
  const more = indices.length > 10 ? ", …" : "";
  return `${count(indices.length)} of ${count(samples)} ${what} gave outputs that are not finite (NaN or ±Infinity), counted as wrong and in no class: the ${shown.join(", the ")}${more}`;
}

/** 1 → "1st", 22 → "22nd", 113 → "113th". */
function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${count(n)}${suffix}`;
}
