/** `deriva minimize "<expr>" --x0 8 [--lr 0.1|auto] [--method ...]`: minimize an expression, step by step. */
import type { Command } from "commander";
import { type MinimizeResult, minimize } from "deriva";
import { checkFileDestination, writeFileAtomic } from "deriva/node";
import { type MinimizeFlags, type MinimizeRequest, readRequest } from "../minimize-args.js";
import { renderCsv, renderJson, renderTable } from "../minimize-output.js";
import { printable } from "../printable.js";

const EXAMPLES = `
Examples:
  $ deriva minimize "x^2 - 4x + 6" --x0 8 --lr 0.1 --digits 2     the founding document's descent
  $ deriva minimize "x^2 - 4x + 6" --x0 8 --lr auto                 backtracking line search picks each rate
  $ deriva minimize "x^2 - 4x + 6" --x0 8 --method newton           Newton–Raphson: one step
  $ deriva minimize "x^2 - 4x + 6" --method grid --bounds -10,10    grid search
  $ deriva minimize "x^2 - 4x + 6" --method analytic                solve f′(x) = 0
  $ deriva minimize "(1-x)^2 + 100(y-x^2)^2" --x0 -1.2,1 --method lbfgs --plot rosenbrock.svg
  $ deriva minimize "x^2 - 4x + 6" --x0 8 --lr 0.1 --format csv > trace.csv

Variables are the names in the expression, in alphabetical order; --x0 gives one start value each
(--x0 -1.2,1) or names them (--x0 x=-1.2,y=1). Functions: sin cos tan exp log ln sqrt abs tanh
sigmoid relu; constants: pi e; implicit multiplication: 4x, 2(x+1), x y.

Exit codes: 0 when it converged (or found the minimum), 2 when it did not (the last line says why:
max-iter reached, a rate that diverges, no minimum), 1 for bad input (one line on stderr).`;

/** The exit code of a run that did not converge (1 is for errors). */
const NOT_CONVERGED = 2;

/** The points to draw: the start and every iterate (grid: the best point of each round; analytic: the stationary points). */
function pathOf(request: MinimizeRequest, result: MinimizeResult): number[][] {
  if (request.options.method === "analytic") {
    const points = (result.stationaryPoints ?? []).map((p) => [p.x]);
    return points.length > 0 ? points : [Array.from(result.x.data())];
  }
  const steps = result.trace.map((s) => s.x);
  return request.options.method === "grid" ? steps : [request.x0, ...steps];
}

async function writePlot(file: string, request: MinimizeRequest, result: MinimizeResult): Promise<void> {
  const { descentPlot } = await import("../plot/descent.js"); // Vega loads only when a plot is asked for
  const { expression, options } = request;
  const rate =
    options.lr === "auto" || options.method === "grid" || options.method === "analytic"
      ? ""
      : `, lr ${options.lr}`;
  const steps =
    options.method === "analytic"
      ? ""
      : `, ${result.iterations} iteration${result.iterations === 1 ? "" : "s"}`;
  const svg = await descentPlot((x) => expression.atNumbers(x), pathOf(request, result), {
    title: `f = ${expression.source}: ${options.method}${rate}${steps}`, // as typed: the simplified form may be expanded
    variables: expression.variables,
    connect: options.method !== "analytic",
  });
  await writeFileAtomic(file, svg);
  process.stderr.write(`plot written to ${printable(file)}\n`);
}

export function registerMinimize(program: Command): void {
  program
    .command("minimize")
    .description("minimize a function given as an expression, showing every iteration")
    .argument("<expr>", 'the function, e.g. "x^2 - 4x + 6" or "(1-x)^2 + 100(y-x^2)^2"')
    .option("--x0 <values>", "start: one value per variable (8, or -1.2,1), or by name (x=-1.2,y=1)")
    .option("--method <name>", "gd | momentum | newton | grid | lbfgs | adam | analytic", "gd")
    .option("--lr <rate>", "learning rate: a number, or auto (backtracking line search)", "auto")
    .option("--tol <number>", "stop when the step |Δx| and the gradient |∇f| fall under it", "1e-6")
    .option("--max-iter <n>", "the most iterations", "1000")
    .option("--bounds <low,high>", "grid: low,high for every variable, or one pair per variable")
    .option("--grid-points <n>", "grid: points per variable (default 101 in 1-D and 2-D)")
    .option("--refine <n>", "grid: rounds of finer grids around the best point", "0")
    .option("--momentum <beta>", "momentum: the coefficient β", "0.9")
    .option("--nesterov", "momentum: Nesterov's look-ahead form")
    .option("--format <kind>", "table | json | csv", "table")
    .option("--digits <n>", "decimals to show (--digits 2 reads like the founding document)")
    .option("--all", "table: show every iteration of a long run")
    .option("--plot <file.svg>", "draw f with the path of the iterates (1 or 2 variables) to an SVG file")
    .addHelpText("after", EXAMPLES)
    .action(async (source: string, flags: MinimizeFlags) => {
      const request = readRequest(source, flags);
      if (request.plot !== undefined) await checkFileDestination(request.plot); // before the work
      const result = minimize(source, request.x0, request.options);
      const render = { table: renderTable, json: renderJson, csv: renderCsv }[request.format];
      process.stdout.write(render(request, result));
      if (request.plot !== undefined) await writePlot(request.plot, request, result);
      if (!result.converged) process.exitCode = NOT_CONVERGED;
    });
}
