import { beforeAll, describe, expect, it } from "vitest";
import { deriva, ensureBuilt } from "./cli.js";

beforeAll(() => ensureBuilt());

describe("usage errors from the command-line parser", () => {
  it.each([
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["minimize", "x^2", "--no-such-flag"], /unknown option '--no-such-flag'/],
    [["minimize"], /missing required argument/],
  ])("deriva %j exits 1 with one line on stderr", (args, message) => {
    const run = deriva(args);
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it("--help exits 0 and lists every command", () => {
    const run = deriva(["--help"]);
    expect(run.status).toBe(0);
    for (const command of ["minimize", "derive", "train", "eval", "predict", "bench"])
      expect(run.stdout).toContain(command);
  });
});
