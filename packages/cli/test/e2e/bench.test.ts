/**
 * `deriva bench` from the built binary: it runs the suite of bench/ (here only W5 on deriva, the
 * quickest workload, without TensorFlow.js), prints its table and exits 0; bad flags end with a
 * one-line error. Nothing is timed here: the figures are printed, never checked.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { deriva, ensureBuilt } from "./cli.js";

describe("deriva bench", () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it("runs a workload and prints its table", () => {
    const run = deriva(["bench", "--quick", "--only", "W5", "--no-tfjs", "--threads", "1"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("W5 scalar descent");
    expect(run.stdout).toMatch(/deriva wasm\s+1\s+[\d,]+/);
    expect(run.stdout).toContain("final x 2.000000476837158");
  });

  it("refuses a bad thread count with a one-line error", () => {
    const run = deriva(["bench", "--only", "W5", "--threads", "zero"]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n").at(-1)).toMatch(
      /^error: bench: (--threads must be a positive integer|a workload failed)/,
    );
  });
});
