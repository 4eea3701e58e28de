/**
 * deriva minimize on a long run: the table counts the iterations it leaves out by their numbers (the
 * library keeps a bounded trace), --all and --format csv get every step.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { deriva, ensureBuilt } from "./cli.js";

beforeAll(() => ensureBuilt());

const LONG = ["minimize", "x^2 - 4x + 6", "--x0", "8", "--lr", "1e-9", "--max-iter", "5000"];

describe("deriva minimize: a run of 5,000 iterations", () => {
  it("the table shows a head and a tail and counts the 4,880 iterations between", () => {
    const run = deriva(LONG);
    expect(run.stderr).toBe("");
    const lines = run.stdout.split("\n");
    expect(lines.filter((l) => l.includes("… 4880 more iterations (--all shows every one)"))).toHaveLength(1);
    expect(lines.some((l) => /^ *5000 /.test(l))).toBe(true);
  });

  it("--all and --format csv write every iteration", () => {
    const all = deriva([...LONG, "--all"]).stdout.split("\n");
    expect(all.filter((l) => /^ *\d+ /.test(l))).toHaveLength(5000);
    const csv = deriva([...LONG, "--format", "csv"])
      .stdout.trimEnd()
      .split("\n");
    expect(csv).toHaveLength(5001); // header and one row per iteration
    expect(csv.at(-1)!.startsWith("5000,")).toBe(true);
  });
});
