/**
 * deriva → PyTorch DistributedDataParallel → deriva (examples/pytorch/train_ddp.py): a model that
 * `deriva train` saved continues training in two processes (gloo, 127.0.0.1) on MNIST digits read
 * from an image folder through the model's preprocessing, and `deriva eval` reads what they wrote.
 * With no steps the weights come back bit for bit (the same evaluation); with 30 steps the loss falls.
 * Needs Debian's python3-torch (.ci/run installs it); skipped locally without it, a failure in CI.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadMnist } from "@deriva/cli/datasets";
import { PNG } from "pngjs";
import { beforeAll, describe, expect, it } from "vitest";
import { deriva, ensureBuilt } from "../../packages/cli/test/e2e/cli.js";

const PYTHON = "/usr/bin/python3";
const SCRIPT = join(import.meta.dirname, "../../examples/pytorch/train_ddp.py");
const hasTorch = spawnSync(PYTHON, ["-c", "import torch, PIL"]).status === 0;

/** A port nobody listens on now, on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs train_ddp.py as ranks 0 and 1 of a two-process group; returns rank 0's output. */
async function runDdp(args: string[]): Promise<string> {
  const port = await freePort();
  const ranks = [0, 1].map((rank) => {
    const env = {
      ...process.env,
      RANK: String(rank),
      LOCAL_RANK: String(rank),
      WORLD_SIZE: "2",
      MASTER_ADDR: "127.0.0.1",
      MASTER_PORT: String(port),
      OMP_NUM_THREADS: "1",
    };
    return spawn(PYTHON, [SCRIPT, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  });
  const outputs = await Promise.all(ranks.map(finished));
  return outputs[0]!;
}

function finished(child: ChildProcess): Promise<string> {
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk) => {
    out += chunk;
  });
  child.stderr!.on("data", (chunk) => {
    err += chunk;
  });
  const timer = setTimeout(() => child.kill(), 120_000);
  return new Promise((resolve, reject) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`train_ddp.py exited with ${code}:\n${out}\n${err}`));
    });
  });
}

/** Writes the first `n` MNIST training digits as 8-bit PNGs in an image folder (digits/<label>/<i>.png). */
async function writeDigits(folder: string, n: number): Promise<void> {
  const { train } = await loadMnist();
  const pixels = train.x.data();
  const labels = train.y.data();
  for (let i = 0; i < n; i++) {
    const png = new PNG({ width: 28, height: 28 });
    for (let p = 0; p < 784; p++) {
      const v = Math.round(pixels[i * 784 + p]! * 255);
      png.data.set([v, v, v, 255], 4 * p);
    }
    const dir = join(folder, String(labels[i]));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${String(i).padStart(4, "0")}.png`), PNG.sync.write(png));
  }
}

function evaluate(model: string): { loss: number; accuracy: number } {
  const run = deriva(["eval", "--model", model, "--format", "json"]);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout);
}

describe.skipIf(!hasTorch && !process.env.CI)("deriva → PyTorch DDP → deriva", () => {
  const dir = mkdtempSync(join(tmpdir(), "deriva-ddp-"));
  const model = join(dir, "model");
  let before: { loss: number; accuracy: number };

  beforeAll(async () => {
    expect(hasTorch, "python3-torch (with python3-pil) is required in CI").toBe(true);
    ensureBuilt();
    const trained = deriva(["train", "--epochs", "1", "--limit", "1000", "--out", model]);
    expect(trained.status, trained.stderr).toBe(0);
    await writeDigits(join(dir, "digits"), 640);
    before = evaluate(model);
  }, 300_000); // the build of the command line, when its sources changed, comes first

  it("with no steps the weights come back as they were: the same evaluation", async () => {
    const same = join(dir, "same");
    await runDdp(["--model", model, "--data", join(dir, "digits"), "--out", same, "--steps", "0"]);
    expect(evaluate(same)).toEqual({ ...before, model: same });
  }, 180_000);

  it("30 steps in two processes: the loss falls, and deriva eval reads the result", async () => {
    const tuned = join(dir, "tuned");
    const out = await runDdp([
      "--model",
      model,
      "--data",
      join(dir, "digits"),
      "--out",
      tuned,
      "--steps",
      "30",
    ]);
    expect(out).toContain("2 processes, 640 samples");
    const losses = [...out.matchAll(/^step \d+ loss ([\d.]+)$/gm)].map((m) => Number(m[1]));
    expect(losses).toHaveLength(30);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)));
    const after = evaluate(tuned);
    expect(after.loss).toBeLessThan(before.loss);
  }, 180_000);
});
