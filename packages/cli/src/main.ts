#!/usr/bin/env node
/**
 * The `deriva` command. Each subcommand lives in commands/<name>.ts and registers itself here.
 * Any error ends the process with one line on stderr and exit code 1; DERIVA_DEBUG=1 shows the stack.
 */
import { Command, CommanderError } from "commander";
import { registerBench } from "./commands/bench.js";
import { registerData } from "./commands/data.js";
import { registerDerive } from "./commands/derive.js";
import { registerEval } from "./commands/eval.js";
import { registerExport } from "./commands/export.js";
import { registerImport } from "./commands/import.js";
import { registerMinimize } from "./commands/minimize.js";
import { registerPlayground } from "./commands/playground.js";
import { registerPredict } from "./commands/predict.js";
import { registerTrain } from "./commands/train.js";
import { printable } from "./printable.js";
import { VERSION } from "./version.js";

const program = new Command()
  .name("deriva")
  .description("Derivatives, gradient-based optimization and neural networks from the command line")
  .version(VERSION)
  .exitOverride();

// subcommands register here (one line each)
registerMinimize(program);
registerDerive(program);
registerBench(program);
registerTrain(program);
registerEval(program);
registerPredict(program);
registerExport(program);
registerImport(program);
registerData(program);
registerPlayground(program);

// a reader that stops early (`deriva train | head -1`) closes the pipe: that ends the printing, not
// the work (training goes on and saves its model); the exit code says how the command ended
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") report(error);
  process.stdout.write = () => true;
});

function report(error: unknown): never {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 1);
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${printable(message.split("\n")[0]!)}\n`);
  if (process.env.DERIVA_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  report(error);
}
