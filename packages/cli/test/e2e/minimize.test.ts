import { execFileSync } from "node:child_process";
import { lstatSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { findAll, parseSvg } from "../plot/svg.js";
import { deriva, ensureBuilt } from "./cli.js";

const PARABOLA = "x^2 - 4x + 6";
const ROSENBROCK = "(1-x)^2 + 100(y-x^2)^2";

beforeAll(() => ensureBuilt());

/** The rows of the iteration table: the lines between the title line and the closing line. */
function tableOf(stdout: string): string[] {
  const lines = stdout.trimEnd().split("\n");
  return lines.slice(1, -1);
}

function expectUserError(args: string[], message: string | RegExp) {
  const run = deriva(args);
  expect(run.status).toBe(1);
  expect(run.stdout).toBe("");
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    typeof message === "string"
      ? new RegExp(`^error: ${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`)
      : message,
  );
}

describe("deriva minimize: the founding example", () => {
  it("prints the iterations as an aligned table and where it converged", () => {
    const run = deriva(["minimize", PARABOLA, "--x0", "8", "--lr", "0.1"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("minimizing f(x) = x^2 - 4*x + 6 by gd, lr 0.1 from x = 8");
    const table = tableOf(run.stdout);
    expect(table[0]!.trim().split(/\s+/)).toEqual(["iter", "x", "f(x)", "f′(x)"]);
    expect(table).toHaveLength(75); // header + 74 iterations
    expect(new Set(table.map((l) => [...l].length)).size).toBe(1); // right-aligned columns
    expect(table[1]!.trim().split(/\s+/)).toEqual(["1", "6.8", "25.04", "9.6"]);
    expect(lines.at(-1)).toBe("converged to x = 2 (f = 2) after 74 iterations");
  });

  it("reads like the document with --digits 2", () => {
    const run = deriva(["minimize", PARABOLA, "--x0", "8", "--lr", "0.1", "--digits", "2"]);
    const xs = tableOf(run.stdout)
      .slice(1, 5)
      .map((l) => l.trim().split(/\s+/)[1]);
    expect(xs).toEqual(["6.80", "5.84", "5.07", "4.46"]);
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe(
      "converged to x = 2.00 (f = 2.00) after 74 iterations",
    );
  });

  it("writes the whole trace as JSON and as CSV", () => {
    const json = JSON.parse(
      deriva(["minimize", PARABOLA, "--x0", "8", "--lr", "0.1", "--format", "json"]).stdout,
    );
    expect(json).toMatchObject({
      method: "gd",
      lr: 0.1,
      x0: [8],
      iterations: 74,
      converged: true,
      variables: ["x"],
    });
    expect(json.trace).toHaveLength(74);
    expect(json.trace[0]).toEqual({
      iter: 1,
      x: [6.8],
      value: expect.closeTo(25.04, 12),
      grad: [expect.closeTo(9.6, 12)],
      lr: 0.1,
    });
    for (let n = 1; n <= 30; n++)
      expect(Math.abs(json.trace[n - 1].x[0] - (2 + 6 * 0.8 ** n))).toBeLessThan(1e-12);

    const csv = deriva(["minimize", PARABOLA, "--x0", "8", "--lr", "0.1", "--format", "csv"])
      .stdout.trimEnd()
      .split("\n");
    expect(csv[0]).toBe("iter,x,f,df/dx,lr");
    expect(csv).toHaveLength(75);
    expect(csv[2]).toMatch(/^2,5\.84\d*,/);
  });

  it("needs no rate with --lr auto", () => {
    const run = deriva(["minimize", PARABOLA, "--x0", "8", "--lr", "auto"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/converged to x = 2 \(f = 2\) after \d iterations?\n$/);
  });
});

describe("deriva minimize: methods and outcomes", () => {
  it("reaches (1, 1) on Rosenbrock with lbfgs, within 1e-6", () => {
    const table = deriva(["minimize", ROSENBROCK, "--x0", "-1.2,1", "--method", "lbfgs"]);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/converged to \(x, y\) = \(1, 1\) \(f = 0\) after \d+ iterations\n$/);
    expect(tableOf(table.stdout)[0]!.trim().split(/\s+/)).toEqual([
      "iter",
      "x",
      "y",
      "f(x,y)",
      "∂f/∂x",
      "∂f/∂y",
      "lr",
    ]);
    const json = JSON.parse(
      deriva(["minimize", ROSENBROCK, "--x0", "-1.2,1", "--method", "lbfgs", "--format", "json"]).stdout,
    );
    for (const v of json.x) expect(Math.abs(v - 1)).toBeLessThan(1e-6);
    // start values by name
    const named = JSON.parse(
      deriva(["minimize", ROSENBROCK, "--x0", "y=1,x=-1.2", "--method", "lbfgs", "--format", "json"]).stdout,
    );
    expect(named.x0).toEqual([-1.2, 1]);
  });

  it("converges in one Newton step on the parabola", () => {
    const run = deriva(["minimize", PARABOLA, "--x0", "8", "--method", "newton"]);
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("converged to x = 2 (f = 2) after 1 iteration");
  });

  it("finds x = 2 by grid search over [-10, 10], within the spacing", () => {
    const run = deriva(["minimize", PARABOLA, "--method", "grid", "--bounds", "-10,10", "--format", "json"]);
    const json = JSON.parse(run.stdout);
    expect(Math.abs(json.x[0] - 2)).toBeLessThanOrEqual(0.2);
    expect(json.trace[0].lr).toBeCloseTo(0.2, 12);
    const table = deriva(["minimize", PARABOLA, "--method", "grid", "--bounds", "-10,10"]);
    expect(table.stdout).toMatch(
      /found x = 2 \(f = 2\) by grid search: the best of 101 grid points \(spacing 0\.2\)\n$/,
    );
  });

  it("reports divergence with --lr 1.1, with the advice", () => {
    const run = deriva(["minimize", PARABOLA, "--x0", "8", "--lr", "1.1"]);
    expect(run.status).toBe(2); // did not converge
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.at(-2)).toBe(
      "did not converge: learning rate 1.1 is too large for this function: the iterates grow; try a smaller rate or lr: 'auto'",
    );
    expect(lines.at(-1)).toMatch(/^stopped after 10 iterations at x = /);
  });

  it("says when --lr 0.001 runs into max-iter", () => {
    const run = deriva(["minimize", PARABOLA, "--x0", "8", "--lr", "0.001"]);
    expect(run.status).toBe(2);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.at(-2)).toMatch(/^did not converge: reached max-iter \(1000\) before converging/);
    expect(lines.at(-1)).toMatch(/^stopped after 1000 iterations at x = 2\.81/);
    expect(run.stdout).toMatch(/… 880 more iterations \(--all shows every one\)/);
  });

  it("solves the parabola analytically and says when a polynomial is unbounded below", () => {
    const run = deriva(["minimize", PARABOLA, "--method", "analytic"]);
    expect(run.stdout).toBe(
      [
        "f(x) = x^2 - 4*x + 6",
        "f′(x) = 2*x - 4",
        "f″(x) = 2",
        "stationary points (f′ = 0):",
        "  x  f(x)  f″(x)     kind",
        "  2     2      2  minimum",
        "global minimum at x = 2 (f = 2)",
        "",
      ].join("\n"),
    );
    expect(run.status).toBe(0);
    const cubic = deriva(["minimize", "x^3 - 3x", "--method", "analytic"]);
    expect(cubic.status).toBe(2);
    expect(cubic.stdout.trimEnd().split("\n").at(-1)).toMatch(/^f is unbounded below: f → −∞ as x → −∞/);
  });
});

describe("deriva minimize --plot", () => {
  const folder = mkdtempSync(join(tmpdir(), "deriva-plot-"));

  it("draws the 1-D descent: the curve and the path through every iterate", () => {
    const file = join(folder, "descent.svg");
    const run = deriva(["minimize", PARABOLA, "--x0", "8", "--lr", "0.1", "--plot", file]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(`plot written to ${file}\n`);
    const root = parseSvg(readFileSync(file, "utf8"));
    const path = findAll(root, (e) => e.tag === "g" && /\bpath_marks\b/.test(e.attrs.class ?? ""))[0]!;
    const d = findAll(path, (e) => e.tag === "path")[0]!.attrs.d!;
    expect(d.match(/[ML]/g)).toHaveLength(75); // x0 and 74 iterates
    expect(findAll(root, (e) => /\bcurve_marks\b/.test(e.attrs.class ?? ""))).toHaveLength(1);
    expect(readdirSync(folder).filter((f) => f.endsWith(".tmp"))).toEqual([]); // written atomically
  });

  it("draws 2-D contour lines with the path", () => {
    const file = join(folder, "rosenbrock.svg");
    deriva(["minimize", ROSENBROCK, "--x0", "-1.2,1", "--method", "lbfgs", "--plot", file]);
    const svg = readFileSync(file, "utf8");
    expect(svg).toContain(`f = ${ROSENBROCK}: lbfgs`); // the title shows the function as typed
    const root = parseSvg(svg);
    const contours = findAll(root, (e) => e.tag === "g" && /\bcontour_marks\b/.test(e.attrs.class ?? ""))[0]!;
    expect(findAll(contours, (e) => e.tag === "path").length).toBeGreaterThanOrEqual(5);
    const path = findAll(root, (e) => e.tag === "g" && /\bpath_marks\b/.test(e.attrs.class ?? ""))[0]!;
    expect(findAll(path, (e) => e.tag === "path")[0]!.attrs.d).toMatch(
      /^M[\d.-]+,[\d.-]+(L[\d.-]+,[\d.-]+){10,}$/,
    );
  });

  it("refuses, before minimizing, a destination that is not a regular file, and leaves it as it was", () => {
    writeFileSync(join(folder, "kept.txt"), "kept");
    symlinkSync(join(folder, "kept.txt"), join(folder, "link.svg"));
    execFileSync("mkfifo", [join(folder, "fifo.svg")]);
    for (const [target, kind] of [
      [join(folder, "link.svg"), "a symlink"],
      [join(folder, "fifo.svg"), "a FIFO (named pipe)"],
      ["/dev/full", "a device"],
      [folder, "a folder"],
    ]) {
      const run = deriva(["minimize", PARABOLA, "--x0", "8", "--plot", target!]);
      expect(run.status).toBe(1);
      expect(run.stdout).toBe(""); // refused before the work
      expect(run.stderr).toBe(
        `error: ${target} is ${kind}, not a regular file: deriva replaces only regular files\n`,
      );
    }
    expect(lstatSync(join(folder, "link.svg")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(folder, "kept.txt"), "utf8")).toBe("kept");
  });
});

describe("deriva minimize: user errors", () => {
  it("refuses what it used to accept silently: a variable named twice, 0x10 as 16, 1e999 as Infinity", () => {
    expectUserError(["minimize", ROSENBROCK, "--x0", "x=1,x=2"], "--x0 gives x twice ('x=1,x=2')");
    expectUserError(["minimize", PARABOLA, "--x0", "0x10"], "--x0 expects a number, got '0x10'");
    expectUserError(
      ["minimize", PARABOLA, "--x0", "8", "--lr", "0x1"],
      "--lr expects a positive number or auto, got '0x1'",
    );
    expectUserError(
      ["minimize", PARABOLA, "--x0", "1e999"],
      "--x0 expects a number, got '1e999': it is beyond the range of numbers (±1.8e308)",
    );
  });

  it("answers bad input with one line on stderr and exit code 1, no stack trace", () => {
    expectUserError(["minimize", "x^2 - )", "--x0", "1"], "unexpected ')' at column 7");
    expectUserError(
      ["minimize", ROSENBROCK, "--x0", "x=1,z=2"],
      "unknown variable 'z' in --x0: the expression has x, y",
    );
    expectUserError(
      ["minimize", ROSENBROCK, "--x0", "1"],
      "--x0 gives 1 start value but the expression has 2 variables (x, y)",
    );
    expectUserError(
      ["minimize", PARABOLA, "--x0", "1", "--method", "sgd"],
      "unknown method 'sgd' (use gd, momentum, newton, grid, lbfgs, adam, analytic)",
    );
    expectUserError(
      ["minimize", PARABOLA],
      "--x0 is required for method gd: a start value for x (e.g. --x0 1)",
    );
    expectUserError(
      ["minimize", PARABOLA, "--x0", "8", "--lr", "fast"],
      "--lr expects a positive number or auto, got 'fast'",
    );
    expectUserError(
      ["minimize", PARABOLA, "--method", "grid"],
      "--bounds is required for method grid (e.g. --bounds -10,10)",
    );
    expectUserError(
      ["minimize", "sin(x)", "--method", "analytic"],
      /^error: minimize: the analytic method needs a polynomial in x/,
    );
    expectUserError(
      ["minimize", "x + y + z", "--x0", "1,2,3", "--plot", "a.svg"],
      /^error: --plot draws functions of one or two variables/,
    );
  });

  it("documents itself with examples", () => {
    const help = deriva(["minimize", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--x0 <values>/);
    expect(help.stdout).toMatch(/deriva minimize "x\^2 - 4x \+ 6" --x0 8 --lr 0\.1 --digits 2/);
  });
});
