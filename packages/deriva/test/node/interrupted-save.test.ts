/**
 * The crash test: a save killed (SIGKILL) before any one of its steps leaves a folder that loads,
 * holding the old model or the new one, and the next save cleans up what it left. The child
 * (fixtures/interrupted-save.ts) kills itself at the step it is told, through the save's onStep
 * hook: no timing is involved. Both a new model saved over an existing one (`deriva train --out`)
 * and a resumed model saved in place (`--resume`) are covered.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv-dataset.js";
import { loadModel } from "../../src/node/saved-model.js";
import { trainModelFolder } from "../../src/node/training-run.js";

const CHILD = join(import.meta.dirname, "fixtures/interrupted-save.ts");
const root = mkdtempSync(join(tmpdir(), "deriva-crash-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the child; returns the steps it passed (when it ran to the end) and how it ended. */
function child(dir: string, mode: string, killAt: number) {
  const run = spawnSync(process.execPath, ["--import", "tsx", CHILD, dir, mode, String(killAt)], {
    encoding: "utf8",
  });
  return {
    signal: run.signal,
    status: run.status,
    stderr: run.stderr,
    steps: killAt < 0 ? (JSON.parse(run.stdout) as string[]) : [],
  };
}

/** The SHA-256 of the folder's weights.safetensors, the fixed name other tools load. */
function fixedNameDigest(dir: string): string {
  return createHash("sha256")
    .update(readFileSync(join(dir, "weights.safetensors")))
    .digest("hex");
}

/** What identifies a saved model: the digests of its files, which loading checks them against. */
async function identity(dir: string): Promise<string> {
  const loaded = await loadModel(dir);
  const files = loaded.file.files!;
  return `epoch ${loaded.training.epochs}: ${files.weights.sha256} ${files.optimizer!.sha256}`;
}

let old = "";
const base = join(root, "base");
beforeAll(() => {
  const first = child(base, "new:5", -1);
  expect(first.status, first.stderr).toBe(0);
});

let copies = 0;
function copyOfBase(): string {
  const dir = join(root, `copy${copies++}`);
  cpSync(base, dir, { recursive: true });
  return dir;
}

describe.each([
  ["a new model saved over an existing one (train --out)", "new:6"],
  ["a resumed model saved in place (train --resume)", "resume"],
])("a save killed at any step: %s", (_, mode) => {
  it("leaves the old model or the new one, and the next save cleans up", async () => {
    old ||= await identity(base);
    const complete = copyOfBase();
    const { steps, status, stderr } = child(complete, mode, -1);
    expect(status, stderr).toBe(0);
    const updated = await identity(complete);
    expect(updated).not.toBe(old);
    expect(steps).toContain("model.json: rename");
    const seen = new Set<string>();
    for (let k = 0; k < steps.length; k++) {
      const dir = copyOfBase();
      const run = child(dir, mode, k);
      expect(run.signal, `killed before step ${k} (${steps[k]}): ${run.status} ${run.stderr}`).toBe(
        "SIGKILL",
      );
      const now = await identity(dir);
      expect([old, updated], `after a kill before step ${k} (${steps[k]})`).toContain(now);
      // weights.safetensors is always one complete weights file, the old model's or the new one's
      const digests = [old, updated].map((id) => id.split(" ")[2]);
      expect(digests, `weights.safetensors after step ${k}`).toContain(fixedNameDigest(dir));
      seen.add(now === old ? "old" : "new");
      // the next save takes over the dead run's lock and removes what it left
      const rows = Array.from({ length: 8 }, (_, i) => `${i},${i % 3},${i % 2 === 0 ? "even" : "odd"}`);
      await trainModelFolder(dir, parseCsv(`a,b,parity\n${rows.join("\n")}\n`), { epochs: 1, resume: true });
      const names = readdirSync(dir).sort();
      expect(
        names.map((n) => n.replace(/-[0-9a-f]{16}/, "-#")),
        `after step ${k}`,
      ).toEqual([
        "history.jsonl",
        "model.json",
        "optimizer-#.safetensors",
        "weights-#.safetensors",
        "weights.safetensors",
      ]);
      expect(fixedNameDigest(dir), "weights.safetensors holds the weights model.json names").toBe(
        (await identity(dir)).split(" ")[2],
      );
    }
    expect([...seen].sort()).toEqual(["new", "old"]);
  }, 300_000);
});
