/**
 * A run or an image that would need more memory than DERIVA_MAX_MEMORY (default 2 GiB) is refused
 * before the allocation, with the estimate; the limit can be raised.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { deriva, ensureBuilt } from "./cli.js";
import { writeStripesFolder } from "./images.js";
import { expectSuccess, tempDir } from "./train-helpers.js";

let dir = "";
let folder = "";

beforeAll(() => {
  ensureBuilt();
  dir = tempDir("memory");
  folder = join(dir, "stripes");
  writeStripesFolder(folder, 4);
}, 300_000);

describe("the memory limit", () => {
  it("train --image-size 4000 is refused before decoding, with the estimate", () => {
    const started = performance.now();
    const run = deriva(["train", "--data", folder, "--image-size", "4000", "--out", join(dir, "huge")]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      "error: loading 8 images at 4000×4000 needs about 2.9 GiB, more than the memory limit of 2.0 GiB; a smaller image size, or set DERIVA_MAX_MEMORY to raise it (e.g. DERIVA_MAX_MEMORY=8G)\n",
    );
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it("a model too large for the limit is refused before it is built; a raised limit lets a run through", () => {
    const big = deriva([
      "train",
      "--data",
      folder,
      "--image-size",
      "400",
      "--epochs",
      "1",
      "--out",
      join(dir, "big"),
    ]);
    expect(big.status).toBe(1);
    expect(big.stderr).toMatch(
      /^error: training mlp \(122,880,\d+ weights, batches of 64 samples of \[3, 400, 400\]\) needs about \d+\.\d GiB, more than the memory limit of 2\.0 GiB; set DERIVA_MAX_MEMORY to raise it/,
    );
    const small = deriva(
      ["train", "--data", folder, "--image-size", "12", "--epochs", "1", "--out", join(dir, "small")],
      undefined,
      {
        DERIVA_MAX_MEMORY: "64M",
      },
    );
    expectSuccess(small);
  });

  it("a malformed DERIVA_MAX_MEMORY is a one-line error", () => {
    const run = deriva(["train", "--data", folder, "--epochs", "1", "--out", join(dir, "x")], undefined, {
      DERIVA_MAX_MEMORY: "plenty",
    });
    expect(run.stderr).toBe(
      "error: DERIVA_MAX_MEMORY must be a size such as 4G, 512M or 1073741824, got 'plenty'\n",
    );
  });

  it("predict refuses an image whose decoding would exceed the limit, from its header", () => {
    const png = Buffer.alloc(64);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    png.writeUInt32BE(10_000, 16);
    png.writeUInt32BE(10_000, 20);
    png[24] = 16;
    png[25] = 6;
    const path = join(dir, "huge.png");
    writeFileSync(path, png);
    const model = join(dir, "small");
    const run = deriva(["predict", "--model", model, path]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `warning: skipping ${path}: decoding the image (10000×10000, 16-bit PNG) needs about 2.6 GiB, more than the memory limit of 2.0 GiB`,
    );
  });
});
