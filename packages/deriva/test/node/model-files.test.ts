import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv-dataset.js";
import type { TabularPreprocessing } from "../../src/data/tabular.js";
import { tensor } from "../../src/index.js";
import type { ModelDescription } from "../../src/io/model-file.js";
import { writeFileAtomic } from "../../src/node/atomic-write.js";
import { readModelFiles, saveModelFiles } from "../../src/node/model-files.js";
import { VERSION } from "../../src/version.js";

const root = mkdtempSync(join(tmpdir(), "deriva-model-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
const fresh = () => join(root, `m${count++}`);

const description: ModelDescription = {
  task: "classification",
  architecture: { layers: [{ type: "Linear", in: 2, out: 3 }] },
  preprocessing: { kind: "tabular", columns: [] },
  classes: ["a", "b", "c"],
};
const weights = () => ({
  "0.weight": tensor([
    [1, 2],
    [3, 4],
    [5, 6],
  ]),
  "0.bias": tensor([0.5, -0.5, 0]),
});

describe("writeFileAtomic", () => {
  it("replaces the file and leaves no temporary file behind", async () => {
    const dir = fresh();
    await saveModelFiles(dir, description, {}); // creates the folder
    const path = join(dir, "note.txt");
    await writeFileAtomic(path, "first");
    await writeFileAtomic(path, new TextEncoder().encode("second"));
    expect(readFileSync(path, "utf8")).toBe("second");
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("leaves the old file when the write fails", async () => {
    const dir = fresh();
    await saveModelFiles(dir, description, {});
    const path = join(dir, "model.json");
    const before = readFileSync(path, "utf8");
    // renaming a file over a folder fails after the temporary file is written
    await expect(writeFileAtomic(dir, "x")).rejects.toThrow();
    expect(readFileSync(path, "utf8")).toBe(before);
    expect(readdirSync(root).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe("saveModelFiles / readModelFiles", () => {
  it("round-trips model.json, the weights and the optimizer state", async () => {
    const dir = fresh();
    const written = await saveModelFiles(dir, description, weights(), {
      optimizer: {
        tensors: { "0.weight.m": tensor([[0.1, 0.2]]) },
        config: { kind: "adam", lr: 0.001, step: 12 },
      },
    });
    expect(written.format).toBe("deriva-model");
    expect(written.derivaVersion).toBe(VERSION);
    expect(readdirSync(dir).sort()).toEqual(["model.json", "optimizer.safetensors", "weights.safetensors"]);
    const { model, weights: back, optimizer } = await readModelFiles(dir);
    expect(model).toEqual(written);
    expect(model.architecture).toEqual(description.architecture);
    expect(back["0.weight"]!.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(back["0.bias"]!.toArray()).toEqual([0.5, -0.5, 0]);
    expect(optimizer!.config).toEqual({ kind: "adam", lr: 0.001, step: 12 });
    expect(optimizer!.tensors["0.weight.m"]!.data()).toEqual(new Float32Array([0.1, 0.2]));
  });

  it("saves a data set's preprocessing and class names as they are (and they re-apply after reading)", async () => {
    const ds = parseCsv("n,color,t\n1,red,a\n3,blue,b\n");
    const dir = fresh();
    const { task, preprocessing, classNames: classes } = ds;
    await saveModelFiles(dir, { task, architecture: null, preprocessing, classes }, weights());
    const { model } = await readModelFiles(dir);
    expect(model.preprocessing).toEqual(ds.preprocessing);
    expect(model.classes).toEqual(["a", "b"]);
    const again = parseCsv("n,color,t\n3,red,b\n", {
      preprocessing: model.preprocessing as TabularPreprocessing,
    });
    expect(again.x.toArray()).toEqual([[1, 0, 1]]);
  });

  it("a save without optimizer state removes the stale one", async () => {
    const dir = fresh();
    await saveModelFiles(dir, description, weights(), { optimizer: { tensors: {}, config: null } });
    await saveModelFiles(dir, description, weights());
    expect(existsSync(join(dir, "optimizer.safetensors"))).toBe(false);
    expect((await readModelFiles(dir)).optimizer).toBeNull();
  });

  it("refuses a missing or incomplete folder", async () => {
    await expect(readModelFiles(join(root, "nothing"))).rejects.toThrow(
      /model folder '.*nothing' does not exist/,
    );
    const dir = fresh();
    await saveModelFiles(dir, description, weights());
    rmSync(join(dir, "weights.safetensors"));
    await expect(readModelFiles(dir)).rejects.toThrow(
      `incomplete model folder '${dir}': weights.safetensors is missing`,
    );
    rmSync(join(dir, "model.json"));
    await expect(readModelFiles(dir)).rejects.toThrow(
      `incomplete model folder '${dir}': model.json is missing`,
    );
    await expect(readModelFiles(join(dir, ".."))).rejects.toThrow(/model.json is missing/);
  });

  it("refuses a corrupt model.json or one of another major version", async () => {
    const dir = fresh();
    await saveModelFiles(dir, description, weights());
    const path = join(dir, "model.json");
    const good = readFileSync(path, "utf8");
    writeFileSync(path, good.slice(0, 40));
    await expect(readModelFiles(dir)).rejects.toThrow(new RegExp(`^${path} is corrupt: not valid JSON`));
    const other = JSON.parse(good);
    other.derivaVersion = `${Number(VERSION.split(".")[0]) + 1}.0.0`;
    writeFileSync(path, JSON.stringify(other));
    await expect(readModelFiles(dir)).rejects.toThrow(/models do not carry across major versions/);
  });

  it("refuses weights that are corrupted, truncated or from another save", async () => {
    const dir = fresh();
    await saveModelFiles(dir, description, weights());
    const path = join(dir, "weights.safetensors");
    const bytes = readFileSync(path);
    const mismatch = `${path} is not the file model.json was saved with (its size or SHA-256 differs)`;
    writeFileSync(path, bytes.subarray(0, bytes.length - 5));
    await expect(readModelFiles(dir)).rejects.toThrow(mismatch);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 1]! ^= 0xff;
    writeFileSync(path, flipped);
    await expect(readModelFiles(dir)).rejects.toThrow(mismatch);
    // a save interrupted between the weights and model.json: new weights, old model.json
    await saveModelFiles(dir, description, weights());
    const oldJson = readFileSync(join(dir, "model.json"));
    await saveModelFiles(dir, description, { ...weights(), extra: tensor([1]) });
    writeFileSync(join(dir, "model.json"), oldJson);
    await expect(readModelFiles(dir)).rejects.toThrow(mismatch);
  });

  it("without digests (a hand-written model.json) the safetensors checks still refuse a lying header", async () => {
    const dir = fresh();
    await saveModelFiles(dir, description, weights());
    const path = join(dir, "weights.safetensors");
    const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
    delete json.files;
    writeFileSync(join(dir, "model.json"), JSON.stringify(json));
    expect(Object.keys((await readModelFiles(dir)).weights).sort()).toEqual(["0.bias", "0.weight"]);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 4));
    await expect(readModelFiles(dir)).rejects.toThrow(
      `${path}: tensor '0.weight': data_offsets [12, 36] run past the end of the data (32 bytes): truncated or corrupt`,
    );
    const lying = Buffer.from(bytes);
    lying.writeUInt32LE(0x7fffffff, 0);
    writeFileSync(path, lying);
    await expect(readModelFiles(dir)).rejects.toThrow(
      `${path}: the header length 2147483647 exceeds the limit`,
    );
    await expect(readModelFiles(dir, { maxBytes: 10 })).rejects.toThrow(/bytes, more than the limit of 10$/);
  });
});
