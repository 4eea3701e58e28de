/** `deriva derive "<expr>" [--var x] [--order n]`: the simplified symbolic derivative. */
import type { Command } from "commander";
import { derivativeExpression, type Expression } from "deriva";
import { UserError } from "../errors.js";
import { readExpression } from "../minimize-args.js";
import { parseCount } from "../numbers.js";

const EXAMPLES = `
Examples:
  $ deriva derive "x^2 - 4x + 6"                       2*x - 4
  $ deriva derive "sin(x^2)"                           2*x*cos(x^2)
  $ deriva derive "(1-x)^2 + 100(y-x^2)^2"             every partial derivative
  $ deriva derive "(1-x)^2 + 100(y-x^2)^2" --var y     -200*x^2 + 200*y
  $ deriva derive "x^4" --order 2                      12*x^2`;

interface DeriveFlags {
  var?: string;
  order: string;
}

function nth(expression: Expression, variable: string, order: number): Expression {
  let d = expression;
  for (let k = 0; k < order; k++) d = derivativeExpression(d, variable);
  return d;
}

function label(variable: string, order: number, several: boolean): string {
  const primes = order === 1 ? "′" : order === 2 ? "″" : `^(${order})`;
  if (!several) return `f${primes}(${variable})`;
  return order === 1 ? `∂f/∂${variable}` : `∂^${order}f/∂${variable}^${order}`;
}

export function registerDerive(program: Command): void {
  program
    .command("derive")
    .description("print the simplified derivative of an expression")
    .argument("<expr>", 'the function, e.g. "x^2 - 4x + 6"')
    .option("--var <name>", "the variable to differentiate by (default: each variable in turn)")
    .option("--order <n>", "differentiate this many times", "1")
    .addHelpText("after", EXAMPLES)
    .action((source: string, flags: DeriveFlags) => {
      const expression = readExpression(source);
      const order = parseCount(flags.order, "--order");
      const { variables } = expression;
      if (flags.var !== undefined && !variables.includes(flags.var)) {
        const has = variables.length === 0 ? "no variables" : variables.join(", ");
        throw new UserError(`unknown variable '${flags.var}': the expression has ${has}`);
      }
      if (flags.var !== undefined || variables.length <= 1) {
        const variable = flags.var ?? variables[0] ?? "x";
        process.stdout.write(`${nth(expression, variable, order).source}\n`);
        return;
      }
      for (const v of variables)
        process.stdout.write(`${label(v, order, true)} = ${nth(expression, v, order).source}\n`);
    });
}
