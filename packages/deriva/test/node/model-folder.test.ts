import { execFileSync, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv-dataset.js";
import { nn, tensor, train } from "../../src/index.js";
import type { ModelDescription } from "../../src/io/model-file.js";
import { checkFileDestination, writeFileAtomic } from "../../src/node/atomic-write.js";
import { LOCK_FILE, lockFolder } from "../../src/node/folder-lock.js";
import { readModelFolder, saveModelFolder } from "../../src/node/model-folder.js";
import { loadModel, saveModel } from "../../src/node/saved-model.js";
import { VERSION } from "../../src/version.js";

const root = mkdtempSync(join(tmpdir(), "deriva-model-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
const fresh = () => join(root, `m${count++}`);

const description: ModelDescription = {
  task: "classification",
  architecture: { type: "Sequential", layers: [{ type: "Linear", in: 2, out: 3 }] },
  preprocessing: null,
  inputShape: [2],
  classes: ["a", "b", "c"],
};
const weights = (scale = 1) => ({
  "0.weight": tensor([
    [1, 2],
    [3, 4],
    [5, 6],
  ]).mul(scale),
  "0.bias": tensor([0.5, -0.5, 0]),
});
const optimizer = {
  type: "Adam",
  options: { lr: 0.001 },
  steps: [12, 12],
  state: { "0.m": tensor([[0.1, 0.2]]) },
};
const modelJson = (dir: string) => JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
const weightsPath = (dir: string) => join(dir, modelJson(dir).files.weights.file);

describe("writeFileAtomic", () => {
  it("replaces the file and leaves no temporary file behind", async () => {
    const dir = fresh();
    mkdirSync(dir);
    const path = join(dir, "note.txt");
    await writeFileAtomic(path, "first");
    await writeFileAtomic(path, new TextEncoder().encode("second"));
    expect(readFileSync(path, "utf8")).toBe("second");
    expect(readdirSync(dir)).toEqual(["note.txt"]);
  });

  it("replaces only regular files: a symlink, a folder or a FIFO is refused, and left as it was", async () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, "target.txt"), "kept");
    symlinkSync(join(dir, "target.txt"), join(dir, "link.svg"));
    await expect(writeFileAtomic(join(dir, "link.svg"), "x")).rejects.toThrow(
      `${join(dir, "link.svg")} is a symlink, not a regular file: deriva replaces only regular files`,
    );
    expect(readFileSync(join(dir, "target.txt"), "utf8")).toBe("kept");
    await expect(writeFileAtomic(dir, "x")).rejects.toThrow(`${dir} is a folder, not a regular file`);
    execFileSync("mkfifo", [join(dir, "pipe")]);
    await expect(checkFileDestination(join(dir, "pipe"))).rejects.toThrow(
      "is a FIFO (named pipe), not a regular file",
    );
    await expect(checkFileDestination("/dev/null")).rejects.toThrow(
      "/dev/null is a device, not a regular file",
    );
    await expect(checkFileDestination(join(dir, "no", "such.svg"))).rejects.toThrow(
      `cannot write ${join(dir, "no", "such.svg")}: the folder ${join(dir, "no")} does not exist`,
    );
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe("saveModelFolder / readModelFolder", () => {
  it("round-trips model.json, the weights and the optimizer state; files are named by their hash", async () => {
    const dir = fresh();
    const written = await saveModelFolder(dir, description, weights(), { optimizer });
    expect(written.format).toBe("deriva-model");
    expect(written.derivaVersion).toBe(VERSION);
    const names = readdirSync(dir).sort();
    expect(names).toHaveLength(4);
    expect(names[0]).toBe("model.json");
    expect(names[1]).toMatch(/^optimizer-[0-9a-f]{16}\.safetensors$/);
    expect(names[2]).toMatch(/^weights-[0-9a-f]{16}\.safetensors$/);
    expect(modelJson(dir).files.weights.file).toBe(names[2]);
    // the same weights under the fixed name other tools load
    expect(names[3]).toBe("weights.safetensors");
    expect(readFileSync(join(dir, names[3]!))).toEqual(readFileSync(join(dir, names[2]!)));
    const { model, weights: back, optimizer: state } = await readModelFolder(dir);
    expect(model.architecture).toEqual(description.architecture);
    expect(model.files).toEqual(written.files);
    expect(back["0.weight"]!.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(back["0.bias"]!.toArray()).toEqual([0.5, -0.5, 0]);
    expect(state).toMatchObject({ type: "Adam", options: { lr: 0.001 }, steps: [12, 12] });
    expect(state!.state["0.m"]!.data()).toEqual(new Float32Array([0.1, 0.2]));
  });

  it("removes the old model's files after the commit, and a save without optimizer state drops it", async () => {
    const dir = fresh();
    await saveModelFolder(dir, description, weights(), { optimizer });
    const before = readdirSync(dir);
    await saveModelFolder(dir, description, weights(2));
    const after = readdirSync(dir).sort();
    expect(after).toHaveLength(3);
    expect(after.filter((name) => before.includes(name))).toEqual(["model.json", "weights.safetensors"]);
    expect(readFileSync(join(dir, "weights.safetensors"))).toEqual(readFileSync(weightsPath(dir)));
    expect((await readModelFolder(dir)).optimizer).toBeNull();
    expect((await readModelFolder(dir)).weights["0.weight"]!.toArray()).toEqual([
      [2, 4],
      [6, 8],
      [10, 12],
    ]);
  });

  it("removes what an interrupted save left (unnamed weight files, temporary files) on the next save", async () => {
    const dir = fresh();
    await saveModelFolder(dir, description, weights());
    const stray = [
      "weights-0123456789abcdef.safetensors",
      ".model.json.123.abcdef012345.tmp",
      ".weights.safetensors.123.link.tmp",
    ];
    for (const name of stray) writeFileSync(join(dir, name), "left over");
    writeFileSync(join(dir, "weights.safetensors"), "an interrupted save's old weights");
    writeFileSync(join(dir, "notes.txt"), "the user's own file");
    await saveModelFolder(dir, description, weights(3));
    const names = readdirSync(dir);
    for (const name of stray) expect(names).not.toContain(name);
    expect(names).toContain("notes.txt");
    expect(readFileSync(join(dir, "weights.safetensors"))).toEqual(readFileSync(weightsPath(dir)));
  });

  it("refuses, before writing anything, a model its reader would refuse", async () => {
    const dir = fresh();
    const csv = parseCsv("x,t\n1,a\n2,b\n");
    const prep = structuredClone(csv.preprocessing!) as typeof csv.preprocessing & {
      columns: { std: number }[];
    };
    prep.columns[0]!.std = Number.NaN;
    await expect(
      saveModelFolder(
        dir,
        { ...description, preprocessing: prep, inputShape: undefined, classes: ["a", "b"] },
        weights(),
      ),
    ).rejects.toThrow(
      /^refusing to save a model its reader would refuse: .*columns\[0\] \('x'\): std must be a positive finite number, got null/,
    );
    expect(existsSync(dir)).toBe(false);
    await expect(
      saveModelFolder(
        dir,
        {
          ...description,
          training: {
            ...train.checkTrainingRecord({}, "classification", ["a", "b", "c"], "r"),
            loss: "huber",
          },
        },
        weights(),
      ),
    ).rejects.toThrow(
      /^refusing to save a model its reader would refuse: .*training\.loss: loss 'huber' does not fit a classification task/,
    );
    expect(existsSync(dir)).toBe(false);
  });

  it("refuses a missing or incomplete folder", async () => {
    await expect(readModelFolder(join(root, "nothing"))).rejects.toThrow(
      /model folder '.*nothing' does not exist/,
    );
    const dir = fresh();
    await saveModelFolder(dir, description, weights());
    const file = modelJson(dir).files.weights.file;
    rmSync(join(dir, file));
    await expect(readModelFolder(dir)).rejects.toThrow(
      `incomplete model folder '${dir}': ${file} is missing`,
    );
    rmSync(join(dir, "model.json"));
    await expect(readModelFolder(dir)).rejects.toThrow(
      `incomplete model folder '${dir}': model.json is missing`,
    );
  });

  it("refuses a corrupt model.json or one of another major version", async () => {
    const dir = fresh();
    await saveModelFolder(dir, description, weights());
    const path = join(dir, "model.json");
    const good = readFileSync(path, "utf8");
    writeFileSync(path, good.slice(0, 40));
    await expect(readModelFolder(dir)).rejects.toThrow(new RegExp(`^${path} is corrupt: not valid JSON`));
    const other = JSON.parse(good);
    other.derivaVersion = `${Number(VERSION.split(".")[0]) + 1}.0.0`;
    writeFileSync(path, JSON.stringify(other));
    await expect(readModelFolder(dir)).rejects.toThrow(/models do not carry across major versions/);
  });

  it("refuses weights that are corrupted, truncated or not the ones model.json names", async () => {
    const dir = fresh();
    await saveModelFolder(dir, description, weights());
    const path = weightsPath(dir);
    const bytes = readFileSync(path);
    const mismatch = `${path} is not the file model.json was saved with (its size or SHA-256 differs)`;
    writeFileSync(path, bytes.subarray(0, bytes.length - 5));
    await expect(readModelFolder(dir)).rejects.toThrow(mismatch);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 1]! ^= 0xff;
    writeFileSync(path, flipped);
    await expect(readModelFolder(dir)).rejects.toThrow(mismatch);
  });

  it("without digests (a hand-written model.json) reads weights.safetensors, and the safetensors checks still refuse a lying header", async () => {
    const dir = fresh();
    await saveModelFolder(dir, description, weights());
    const json = modelJson(dir);
    const path = join(dir, "weights.safetensors");
    writeFileSync(path, readFileSync(join(dir, json.files.weights.file)));
    delete json.files;
    writeFileSync(join(dir, "model.json"), JSON.stringify(json));
    expect(Object.keys((await readModelFolder(dir)).weights).sort()).toEqual(["0.bias", "0.weight"]);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 4));
    await expect(readModelFolder(dir)).rejects.toThrow(
      `${path}: tensor '0.weight': data_offsets [12, 36] run past the end of the data (32 bytes): truncated or corrupt`,
    );
    const lying = Buffer.from(bytes);
    lying.writeUInt32LE(0x7fffffff, 0);
    writeFileSync(path, lying);
    await expect(readModelFolder(dir)).rejects.toThrow(
      `${path}: the header length 2147483647 exceeds the limit`,
    );
    await expect(readModelFolder(dir, { maxBytes: 10 })).rejects.toThrow(/bytes, more than the limit of 10$/);
  });

  it("refuses layers larger than the weights file holds, in words and before building them", async () => {
    const dir = fresh();
    await saveModelFolder(dir, description, weights());
    const json = modelJson(dir);
    json.architecture.layers[0] = { type: "Linear", in: 1_000_000, out: 1_000_000 };
    writeFileSync(join(dir, "model.json"), JSON.stringify(json));
    await expect(readModelFolder(dir)).rejects.toThrow(
      `${join(dir, "model.json")}: architecture.layers[0] (Linear(1000000, 1000000)) needs 1,000,001,000,000 values, but ${json.files.weights.file} holds 9 under '0.*'`,
    );
  });
});

describe("saveModel / loadModel", () => {
  const linear = () => nn.fromConfig(description.architecture);

  it("saves a module and loads it back built, with the same outputs", async () => {
    const dir = fresh();
    const module = linear();
    await saveModel(dir, {
      module,
      task: "classification",
      classes: ["a", "b", "c"],
      preprocessing: null,
      inputShape: [2],
      optimizer: null,
    });
    const loaded = await loadModel(dir);
    const x = tensor([[1, -1]]);
    expect(loaded.module.forward(x).toArray()).toEqual(module.forward(x).toArray());
    expect(loaded.training.outputs).toBe(3);
    expect(loaded.optimizer).toBeNull();
  });

  it("refuses int32 weights for float parameters instead of converting them", async () => {
    const dir = fresh();
    await saveModelFolder(dir, description, {
      "0.weight": tensor(
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        { dtype: "int32" },
      ),
      "0.bias": tensor([0, 0, 0]),
    });
    await expect(loadModel(dir)).rejects.toThrow(
      `${weightsPath(dir)}: '0.weight' is int32, but the model's '0.weight' is float32 (it is not converted)`,
    );
  });
});

describe("lockFolder", () => {
  it("refuses a second writer with one line naming the folder and the pid", async () => {
    const dir = fresh();
    const lock = await lockFolder(dir);
    await expect(lockFolder(dir)).rejects.toThrow(
      `${dir} is in use: another deriva run (pid ${process.pid}) is writing it; wait for it to end, or remove ${join(dir, LOCK_FILE)} if no such run exists`,
    );
    await expect(saveModelFolder(dir, description, weights())).rejects.toThrow(`pid ${process.pid}`);
    await saveModelFolder(dir, description, weights(), { lock });
    await lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    await saveModelFolder(dir, description, weights()); // takes and releases the lock itself
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it("takes over a lock whose process has ended", async () => {
    const dir = fresh();
    mkdirSync(dir);
    const child = spawn(process.execPath, ["-e", ""]);
    const pid = child.pid!;
    await new Promise((resolve) => child.on("exit", resolve));
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, host: (await import("node:os")).hostname() }));
    const lock = await lockFolder(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).pid).toBe(process.pid);
    await lock.release();
  });
});

describe("reading while another process saves", () => {
  it("a reader gets the old or the new model, never an error, while saves commit and remove files", async () => {
    const dir = fresh();
    await saveModelFolder(dir, description, weights(1));
    let saving = true;
    const saver = (async () => {
      for (let i = 0; i < 40; i++) await saveModelFolder(dir, description, weights(i % 2 === 0 ? 2 : 1));
      saving = false;
    })();
    let reads = 0;
    const firsts = new Set<number>();
    while (saving) {
      const { weights: read } = await readModelFolder(dir);
      firsts.add(read["0.weight"]!.data()[0]!);
      reads++;
    }
    await saver;
    expect(reads).toBeGreaterThan(10);
    expect([...firsts].every((v) => v === 1 || v === 2)).toBe(true);
  });
});
