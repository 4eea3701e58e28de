import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadModel } from "deriva/node";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI, deriva, ensureBuilt } from "./cli.js";

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

describe("a reader that stops early", () => {
  it("stops the printing, not the work, when stdout's pipe closes (deriva train … | head -1)", async () => {
    // train writes line by line, so the closed pipe meets a later write
    const out = join(mkdtempSync(join(tmpdir(), "deriva-pipe-")), "model");
    const child = spawn(process.execPath, [CLI, "train", "--limit", "200", "--epochs", "2", "--out", out]);
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.stdout.once("data", () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(status).toBe(0);
    // the run went on to the end and saved its model
    const model = await loadModel(out);
    expect(model.training.epochs).toBe(2);
  });
});
