import { beforeAll, describe, expect, it } from "vitest";
import { deriva, ensureBuilt } from "./cli.js";

beforeAll(() => ensureBuilt());

describe("deriva derive", () => {
  it("prints the simplified derivative", () => {
    const run = deriva(["derive", "x^2 - 4x + 6"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("2*x - 4\n");
    expect(deriva(["derive", "sin(x^2)", "--var", "x"]).stdout).toBe("2*x*cos(x^2)\n");
    expect(deriva(["derive", "x^4", "--order", "2"]).stdout).toBe("12*x^2\n");
  });

  it("gives every partial derivative of a function of several variables, or the one asked for", () => {
    expect(deriva(["derive", "(1-x)^2 + 100(y-x^2)^2"]).stdout).toBe(
      "∂f/∂x = 400*x^3 - 400*x*y + 2*x - 2\n∂f/∂y = -200*x^2 + 200*y\n",
    );
    expect(deriva(["derive", "(1-x)^2 + 100(y-x^2)^2", "--var", "y"]).stdout).toBe("-200*x^2 + 200*y\n");
  });

  it("answers bad input with one line on stderr and exit code 1", () => {
    for (const [args, message] of [
      [["derive", "2*(x+1))"], "error: unexpected ')' at column 8"],
      [["derive", "x^2", "--var", "q"], "error: unknown variable 'q': the expression has x"],
      [["derive", "x^2", "--order", "0"], "error: --order expects a whole number ≥ 1, got '0'"],
      // a derivative millions of characters long is refused in about a second, not written out for minutes
      [
        ["derive", `${"x^".repeat(998)}x`],
        "error: the simplified expression is too large to write out (its terms pass 200,000,000 characters); grad() evaluates a derivative without writing it out",
      ],
    ] as const) {
      const run = deriva(args);
      expect(run.status).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(`${message}\n`);
    }
  });
});
