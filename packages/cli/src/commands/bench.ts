/**
 * `deriva bench [--quick] [--only W1,W3] [--peers deriva,tfjs,jax,torch] [--json file] [--threads n]
 * [--python path] [--no-tfjs]`: the benchmark suite of the repository's bench/ folder (W1–W5 next to
 * TensorFlow.js, jax-js and PyTorch). It runs from a source checkout, where bench/ and the
 * devDependencies (tsx, TensorFlow.js, jax-js) are; the published package has neither, and says so.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { UserError } from "../errors.js";

const EXAMPLES = `
Examples:
  $ deriva bench --quick                 a smoke run (a minute or two)
  $ deriva bench --only W1,W2 --json results.json
  $ deriva bench --peers deriva,torch    deriva against PyTorch only
  $ deriva bench --threads 1             deriva's wasm backend (and PyTorch) on one core`;

interface BenchFlags {
  quick?: boolean;
  only?: string;
  json?: string;
  threads?: string;
  peers?: string;
  python?: string;
  tfjs: boolean;
}

/** The repository root: packages/cli/{src,dist}/commands/ are four folders below it. */
function repositoryRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
}

export function registerBench(program: Command): void {
  program
    .command("bench")
    .description(
      "run the benchmark workloads W1–W5 against TensorFlow.js, jax-js and PyTorch (needs a source checkout)",
    )
    .option("--quick", "a short smoke run")
    .option("--only <workloads>", "a comma-separated subset, e.g. W1,W3")
    .option("--json <file>", "also write the results as JSON")
    .option(
      "--threads <n>",
      "threads for deriva's wasm backend and PyTorch's second run (default: the cores)",
    )
    .option(
      "--peers <libraries>",
      "the libraries to run, from deriva,tfjs,jax,torch (default: all installed)",
    )
    .option("--python <path>", "the Python interpreter with torch (default: /usr/bin/python3)")
    .option("--no-tfjs", "leave TensorFlow.js out")
    .addHelpText("after", EXAMPLES)
    .action((flags: BenchFlags) => {
      const root = repositoryRoot();
      const script = join(root, "bench", "main.ts");
      if (!existsSync(script) || !existsSync(join(root, "node_modules", "tsx"))) {
        throw new UserError(
          "bench: the benchmark suite runs from a source checkout (git clone, npm ci, then deriva bench or npm run bench)",
        );
      }
      const args = ["--import", "tsx", script];
      if (flags.quick) args.push("--quick");
      if (flags.only) args.push("--only", flags.only);
      if (flags.json) args.push("--json", resolve(flags.json));
      if (flags.threads) args.push("--threads", flags.threads);
      if (flags.peers) args.push("--peers", flags.peers);
      if (flags.python) args.push("--python", flags.python);
      if (!flags.tfjs) args.push("--no-tfjs");
      const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
      if (result.error) throw result.error;
      if (result.status !== 0) throw new UserError(`bench: a workload failed (exit code ${result.status})`);
    });
}
