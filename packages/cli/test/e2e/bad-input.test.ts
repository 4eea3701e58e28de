/**
 * Bad input to `deriva train`, `eval` and `predict`: each gets one line on stderr naming what is
 * wrong and where, exit code 1, and no stack trace: missing files, broken CSV files, bad image
 * folders, broken model folders (incomplete, corrupt, of another version, weights truncated,
 * altered or whose header lies) and unknown flag values.
 */
import { createHash } from "node:crypto";
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { lockFolder } from "deriva/node";
import { beforeAll, describe, expect, it } from "vitest";
import { type CliRun, deriva, ensureBuilt } from "./cli.js";
import { writeStripesFolder } from "./images.js";
import { expectSuccess, IRIS, readJson, tempDir } from "./train-helpers.js";

let dir = "";
let model = "";

beforeAll(() => {
  ensureBuilt();
  dir = tempDir("bad");
  model = join(dir, "model");
  expectSuccess(deriva(["train", "--data", IRIS, "--epochs", "3", "--out", model]));
}, 300_000);

/** Exit code 1, and stderr is warnings (if allowed) then exactly one `error: ...` line, with no stack trace. */
function expectError(run: CliRun, message: string | RegExp, warnings: RegExp[] = []): void {
  expect(run.status, run.stdout + run.stderr).toBe(1);
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(warnings.length + 1);
  for (const [i, warning] of warnings.entries()) expect(lines[i]).toMatch(warning);
  const last = lines.at(-1)!;
  if (typeof message === "string") expect(last).toBe(`error: ${message}`);
  else expect(last).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A copy of the trained model folder to break. */
function modelCopy(name: string): string {
  const copy = join(dir, name);
  cpSync(model, copy, { recursive: true });
  return copy;
}

/** The path of a model folder's file that model.json names ("weights" or "optimizer"). */
function namedFile(folder: string, kind: "weights" | "optimizer"): string {
  const files = readJson(join(folder, "model.json")).files as Record<string, { file: string }>;
  return join(folder, files[kind]!.file);
}

/** Rewrites model.json's record of the weights file so the reader gets to the file's content. */
function acceptWeights(folder: string): void {
  const bytes = readFileSync(namedFile(folder, "weights"));
  const json = readJson(join(folder, "model.json"));
  const files = json.files as { weights: { bytes: number; sha256: string } };
  files.weights.bytes = bytes.length;
  files.weights.sha256 = createHash("sha256").update(bytes).digest("hex");
  writeFileSync(join(folder, "model.json"), JSON.stringify(json));
}

/** The safetensors header of the weights file, edited, with the same tensor bytes after it. */
function rewriteHeader(
  folder: string,
  edit: (header: Record<string, { data_offsets: number[] }>) => void,
): void {
  const path = namedFile(folder, "weights");
  const bytes = readFileSync(path);
  const length = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString("utf8"));
  edit(header);
  const text = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(text.length));
  writeFileSync(path, Buffer.concat([prefix, text, bytes.subarray(8 + length)]));
  acceptWeights(folder);
}

describe("missing files and unknown data", () => {
  it("a CSV file that does not exist", () => {
    expectError(
      deriva(["train", "--data", join(dir, "nope.csv")]),
      `${join(dir, "nope.csv")} does not exist`,
    );
  });

  it("a data folder that does not exist, and a file that is neither CSV nor folder", () => {
    expectError(
      deriva(["train", "--data", join(dir, "nowhere")]),
      `'${join(dir, "nowhere")}' does not exist (--data takes mnist, cats-vs-dogs, a .csv file or an image folder)`,
    );
    const text = write("notes.txt", "hello");
    expectError(
      deriva(["train", "--data", text]),
      `'${text}' is neither a .csv file nor an image folder (a folder with one sub-folder per class)`,
    );
  });

  it("eval data that does not exist, and eval of a table model without --data", () => {
    expectError(
      deriva(["eval", "--model", model, "--data", join(dir, "gone.csv")]),
      `${join(dir, "gone.csv")} does not exist`,
    );
    expectError(deriva(["eval", "--model", model]), "--data is required: the data to evaluate the model on");
  });

  it("predict inputs that do not exist or do not fit the model", () => {
    expectError(
      deriva(["predict", "--model", model, join(dir, "gone.csv")]),
      `${join(dir, "gone.csv")} does not exist`,
    );
    expectError(
      deriva(["predict", "--model", model, join(dir, "digit.png")]),
      `${join(dir, "digit.png")}: this model reads table rows; give .csv files`,
    );
    expectError(
      deriva(["eval", "--model", model, "--data", "mnist"]),
      "the model reads table rows, but 'mnist' is not a CSV file",
    );
  });
});

describe("broken CSV files", () => {
  it("a ragged row names the row", () => {
    const path = write("ragged.csv", "a,b,label\n1,2,x\n3,4\n5,6,y\n");
    expectError(deriva(["train", "--data", path]), `${path}: row 3 has 2 fields, the header has 3`);
  });

  it("a non-numeric cell in a numeric column names the row and the column", () => {
    const path = write("cell.csv", "a,b,label\n1,2,x\n3,oops,y\n5,6,x\n7,8,y\n");
    expectError(deriva(["train", "--data", path]), `${path}: row 3, column 'b': 'oops' is not a number`);
  });

  it("a target column that does not exist lists the columns", () => {
    expectError(
      deriva(["train", "--data", IRIS, "--target", "colour"]),
      `${IRIS}: target column 'colour' not found; the columns are: sepal_length, sepal_width, petal_length, petal_width, species`,
    );
  });

  it("predict rows lacking a column the model reads", () => {
    const path = write("partial.csv", "sepal_length,sepal_width\n5.1,3.5\n");
    expectError(
      deriva(["predict", "--model", model, path]),
      `${path}: input column 'petal_length' not found; the columns are: sepal_length, sepal_width (the model's input columns: sepal_length, sepal_width, petal_length, petal_width)`,
    );
  });
});

describe("bad image folders", () => {
  it("fewer than two classes", () => {
    const folder = join(dir, "one-class");
    writeStripesFolder(folder, 2);
    rmSync(join(folder, "vertical"), { recursive: true });
    expectError(
      deriva(["train", "--data", folder]),
      `image folder '${folder}' needs one sub-folder per class, at least two; found only 'horizontal'`,
    );
  });

  it("an empty class", () => {
    const folder = join(dir, "empty-class");
    writeStripesFolder(folder, 2);
    mkdirSync(join(folder, "diagonal"));
    expectError(
      deriva(["train", "--data", folder]),
      `class folder 'diagonal' (${join(folder, "diagonal")}) holds no PNG or JPEG images`,
    );
  });

  it("an unreadable image is skipped with a warning naming it; training goes on", () => {
    const folder = join(dir, "one-broken");
    writeStripesFolder(folder, 3);
    const broken = join(folder, "vertical", "broken.png");
    writeFileSync(broken, "this is not a PNG");
    const run = deriva([
      "train",
      "--data",
      folder,
      "--epochs",
      "1",
      "--val-split",
      "0",
      "--out",
      join(dir, "m-broken"),
    ]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(`warning: skipping ${broken}: not a PNG or JPEG image\n`);
    expect(run.stdout).toContain("6 images of 2 classes");
  });

  it("a class whose images are all unreadable fails after the warnings", () => {
    const folder = join(dir, "all-broken");
    writeStripesFolder(folder, 1);
    rmSync(join(folder, "vertical"), { recursive: true });
    mkdirSync(join(folder, "vertical"));
    const broken = join(folder, "vertical", "a.jpg");
    writeFileSync(broken, Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x01]));
    expectError(
      deriva(["train", "--data", folder]),
      `none of the 1 images of class 'vertical' could be read (${join(folder, "vertical")})`,
      [new RegExp(`^warning: skipping ${broken}: `)],
    );
  });

  it("predict skips an unreadable image with a warning and fails when none is left", () => {
    const folder = join(dir, "pics");
    const images = writeStripesFolder(folder, 3);
    const imageModel = join(dir, "image-model");
    expectSuccess(
      deriva(["train", "--data", folder, "--epochs", "1", "--val-split", "0", "--out", imageModel]),
    );
    const broken = write("broken.jpg", "not a jpeg");
    const run = deriva(["predict", "--model", imageModel, broken, images.vertical[0]!]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`^warning: skipping ${broken}: .+\\n$`));
    expect(run.stdout.trimEnd().split("\n")).toHaveLength(2);
    expectError(deriva(["predict", "--model", imageModel, broken]), "none of the images could be read", [
      /^warning: skipping /,
    ]);
  });
});

describe("destinations, checked before the work", () => {
  it("train --out naming an existing file is refused before training", () => {
    const file = write("not-a-folder.txt", "kept");
    const run = deriva(["train", "--data", IRIS, "--epochs", "1", "--out", file]);
    expectError(run, `${file} is a regular file, not a folder: a model is saved as a folder`);
    expect(run.stdout).toBe("");
    expect(readFileSync(file, "utf8")).toBe("kept");
  });

  it("a second run writing the same folder is refused, naming the folder and the pid that holds it", async () => {
    const out = join(dir, "locked");
    const lock = await lockFolder(out);
    try {
      const run = deriva(["train", "--data", IRIS, "--epochs", "1", "--out", out]);
      expectError(
        run,
        `${out} is in use: another deriva run (pid ${process.pid}) is writing it; wait for it to end, or remove ${join(out, ".deriva.lock")} if no such run exists`,
      );
      expect(run.stdout).toBe("");
    } finally {
      await lock.release();
    }
  });
});

describe("broken model folders", () => {
  it("a folder that does not exist", () => {
    expectError(
      deriva(["eval", "--model", join(dir, "no-model"), "--data", IRIS]),
      `model folder '${join(dir, "no-model")}' does not exist`,
    );
  });

  it("an incomplete folder: weights or model.json missing", () => {
    const noWeights = modelCopy("no-weights");
    const weights = namedFile(noWeights, "weights");
    rmSync(weights);
    expectError(
      deriva(["eval", "--model", noWeights, "--data", IRIS]),
      `incomplete model folder '${noWeights}': ${basename(weights)} is missing`,
    );
    const noJson = modelCopy("no-json");
    rmSync(join(noJson, "model.json"));
    expectError(
      deriva(["predict", "--model", noJson, IRIS]),
      `incomplete model folder '${noJson}': model.json is missing`,
    );
  });

  it("a corrupt model.json", () => {
    const corrupt = modelCopy("corrupt-json");
    const path = join(corrupt, "model.json");
    writeFileSync(path, readFileSync(path, "utf8").slice(0, 200));
    expectError(
      deriva(["eval", "--model", corrupt, "--data", IRIS]),
      new RegExp(`^error: ${path} is corrupt: not valid JSON `),
    );
    const incomplete = modelCopy("incomplete-json");
    const json = readJson(join(incomplete, "model.json"));
    delete json.architecture;
    writeFileSync(join(incomplete, "model.json"), JSON.stringify(json));
    expectError(
      deriva(["eval", "--model", incomplete, "--data", IRIS]),
      `${join(incomplete, "model.json")} is incomplete: the field 'architecture' is missing`,
    );
  });

  it("a model of another major version", () => {
    const old = modelCopy("other-version");
    const json = readJson(join(old, "model.json"));
    json.derivaVersion = "7.1.0";
    writeFileSync(join(old, "model.json"), JSON.stringify(json));
    expectError(
      deriva(["predict", "--model", old, IRIS]),
      /^error: .+model\.json was saved by deriva 7\.1\.0, this is deriva \d+\.\d+\.\d+: models do not carry across major versions$/,
    );
  });

  it("a truncated weights.safetensors", () => {
    const truncated = modelCopy("truncated");
    const path = namedFile(truncated, "weights");
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 100));
    const changed = `${path} is not the file model.json was saved with (its size or SHA-256 differs): the file was changed or corrupted`;
    expectError(deriva(["eval", "--model", truncated, "--data", IRIS]), changed);
    // even when model.json is made to accept it, the header's offsets no longer fit the file
    acceptWeights(truncated);
    expectError(
      deriva(["eval", "--model", truncated, "--data", IRIS]),
      new RegExp(`^error: ${path}: tensor '.+'.*(past the end|data part)`),
    );
  });

  it("a corrupted weights.safetensors (bytes changed)", () => {
    const corrupted = modelCopy("corrupted");
    const path = namedFile(corrupted, "weights");
    const bytes = readFileSync(path);
    bytes[bytes.length - 5] ^= 0xff;
    writeFileSync(path, bytes);
    expectError(
      deriva(["predict", "--model", corrupted, IRIS]),
      `${path} is not the file model.json was saved with (its size or SHA-256 differs): the file was changed or corrupted`,
    );
  });

  it("a safetensors header that lies about sizes or offsets is refused before any allocation", () => {
    const lying = modelCopy("lying");
    const path = namedFile(lying, "weights");
    rewriteHeader(lying, (header) => {
      header["0.weight"]!.data_offsets = [0, 4 * 1024 ** 3]; // 4 GiB claimed in a file of a few kB
    });
    expectError(
      deriva(["eval", "--model", lying, "--data", IRIS]),
      new RegExp(`^error: ${path}: tensor '0.weight'`),
    );
    const huge = modelCopy("huge-header");
    const hugePath = namedFile(huge, "weights");
    const bytes = readFileSync(hugePath);
    bytes.writeBigUInt64LE(2n ** 40n, 0); // a header length of 1 TiB
    writeFileSync(hugePath, bytes);
    acceptWeights(huge);
    expectError(
      deriva(["eval", "--model", huge, "--data", IRIS]),
      `${hugePath}: the header length 1099511627776 exceeds the limit of 100000000 bytes`,
    );
  });

  it("weights that do not fit the architecture", () => {
    const mismatch = modelCopy("mismatch");
    copyFileSync(namedFile(mismatch, "optimizer"), namedFile(mismatch, "weights"));
    acceptWeights(mismatch);
    expectError(
      deriva(["eval", "--model", mismatch, "--data", IRIS]),
      /^error: .+weights-[0-9a-f]{16}\.safetensors does not fit the architecture in .+model\.json: the state's names do not match the model's: missing 0\.weight/,
    );
  });
});

describe("unknown flag values", () => {
  const cases: [string[], string][] = [
    [
      ["train", "--model", "foo"],
      "unknown model 'foo' (use mlp, cnn, convnet, logistic, or an architecture .json file)",
    ],
    [
      ["train", "--optimizer", "bar"],
      "--optimizer expects sgd, momentum, adam, adamw, rmsprop, adagrad; got 'bar'",
    ],
    [
      ["train", "--loss", "hinge"],
      "--loss expects cross-entropy, mse, quadratic, bce, mae, huber; got 'hinge'",
    ],
    [["train", "--activation", "swish"], "--activation expects relu, sigmoid, tanh; got 'swish'"],
    [["train", "--lr", "fast"], "--lr expects a positive number or auto, got 'fast'"],
    [["train", "--lr", "0"], "--lr expects a positive number or auto, got '0'"],
    [["train", "--epochs", "2.5"], "--epochs expects a whole number ≥ 1, got '2.5'"],
    [["train", "--batch-size", "0"], "--batch-size expects a whole number ≥ 1, got '0'"],
    [["train", "--val-split", "1.5"], "--val-split expects a fraction in [0, 1), got '1.5'"],
    [["train", "--hidden", "128,x"], "--hidden expects a number, got 'x'"],
    [["train", "--augment", "rotate"], "--augment expects none, shift, flip-crop; got 'rotate'"],
    [
      ["train", "--schedule", "sine"],
      "--schedule expects none, cosine, step, exponential, one-cycle; got 'sine'",
    ],
    [["train", "--channels", "2"], "--channels expects 1, 3 or auto, got '2'"],
    [
      ["train", "--image-size", "big"],
      "--image-size expects a side such as 28, or HxW such as 32x48, got 'big'",
    ],
    [["train", "--seed", "-1"], "--seed expects a whole number ≥ 0, got '-1'"],
    [
      ["train", "--model", "cnn", "--data", IRIS],
      "cnn: needs image inputs [channels, height, width], got samples of shape [4] (use mlp for tables)",
    ],
    [
      ["train", "--model", "logistic", "--hidden", "8", "--data", IRIS],
      "logistic: has no hidden layers (use mlp for hidden layers)",
    ],
    [["eval", "--format", "yaml"], "--format expects text or json, got 'yaml'"],
  ];
  for (const [args, message] of cases) {
    it(args.join(" "), () => expectError(deriva(args), message));
  }
});
