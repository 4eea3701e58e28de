/**
 * Runs, data sets and images estimated to need more memory than the limit are refused before
 * anything is allocated, with the estimate; DERIVA_MAX_MEMORY raises the limit.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { Dataset } from "../../src/data/dataset.js";
import { models, tensor, train, zeros } from "../../src/index.js";
import { configSizes } from "../../src/nn/config-sizes.js";
import { decodeImage } from "../../src/node/image-decode.js";
import { loadImageFolder } from "../../src/node/image-folder.js";
import { memoryLimit } from "../../src/node/memory-limit.js";

const root = mkdtempSync(join(tmpdir(), "deriva-memory-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.DERIVA_MAX_MEMORY;
});

/** The bytes of a PNG's signature and IHDR chunk: enough for the header check. */
function pngHeader(width: number, height: number, depth: number, colorType: number): Uint8Array {
  const bytes = Buffer.alloc(64);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  bytes[24] = depth;
  bytes[25] = colorType;
  return bytes;
}

/** A JPEG's start and its frame header (SOF0): enough for the header check. */
function jpegHeader(width: number, height: number): Uint8Array {
  const sof = [0xff, 0xc0, 0, 17, 8, height >> 8, height & 255, width >> 8, width & 255, 3];
  return Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, ...sof, ...new Array(12).fill(0)]);
}

describe("the memory limit", () => {
  it("is 2 GiB unless DERIVA_MAX_MEMORY says otherwise", () => {
    expect(memoryLimit()).toBe(2 * 2 ** 30);
    process.env.DERIVA_MAX_MEMORY = "8G";
    expect(memoryLimit()).toBe(8 * 2 ** 30);
    process.env.DERIVA_MAX_MEMORY = "512MiB";
    expect(memoryLimit()).toBe(512 * 2 ** 20);
    process.env.DERIVA_MAX_MEMORY = "1000000";
    expect(memoryLimit()).toBe(1_000_000);
    process.env.DERIVA_MAX_MEMORY = "lots";
    expect(() => memoryLimit()).toThrow(
      "DERIVA_MAX_MEMORY must be a size such as 4G, 512M or 1073741824, got 'lots'",
    );
  });
});

describe("images too large to decode", () => {
  it("a 16-bit 10000×10000 PNG and a 10000×10000 JPEG are refused from their headers, with the estimate", () => {
    expect(() => decodeImage(pngHeader(10_000, 10_000, 16, 6))).toThrow(
      "decoding the image (10000×10000, 16-bit PNG) needs about 2.6 GiB, more than the memory limit of 2.0 GiB; set DERIVA_MAX_MEMORY to raise it (e.g. DERIVA_MAX_MEMORY=8G)",
    );
    expect(() => decodeImage(jpegHeader(10_000, 10_000))).toThrow(
      "decoding the image (10000×10000, JPEG, 3 components) needs about 3.2 GiB, more than the memory limit of 2.0 GiB",
    );
    // under a raised limit the header check lets it through (to the decoder, which finds the file truncated)
    expect(() => decodeImage(pngHeader(10_000, 10_000, 16, 6), { maxBytes: 4 * 2 ** 30 })).toThrow(
      /^corrupt PNG/,
    );
  });

  it("an ordinary image decodes", () => {
    const png = new PNG({ width: 4, height: 3 });
    expect(decodeImage(PNG.sync.write(png)).width).toBe(4);
  });
});

describe("image folders", () => {
  function pets(name: string): string {
    const dir = join(root, name);
    for (const kind of ["cats", "dogs"]) {
      mkdirSync(join(dir, kind), { recursive: true });
      for (let i = 0; i < 3; i++)
        writeFileSync(join(dir, kind, `${i}.png`), PNG.sync.write(new PNG({ width: 8, height: 8 })));
    }
    return dir;
  }

  it("refuses a size that would not fit before decoding anything (--image-size 4000)", async () => {
    await expect(loadImageFolder(pets("big"), { size: 4000 })).rejects.toThrow(
      "loading 6 images at 4000×4000 needs about 2.1 GiB, more than the memory limit of 2.0 GiB; a smaller image size, or set DERIVA_MAX_MEMORY",
    );
    expect((await loadImageFolder(pets("small"), { size: 16 })).x.shape).toEqual([6, 1, 16, 16]);
  });

  it("follows a symlinked class folder (it used to say 'found none')", async () => {
    const real = pets("real");
    const linked = join(root, "linked");
    mkdirSync(linked);
    symlinkSync(join(real, "cats"), join(linked, "cats"));
    symlinkSync(join(real, "dogs"), join(linked, "dogs"));
    symlinkSync(join(root, "nowhere"), join(linked, "dogs-broken"));
    const data = await loadImageFolder(linked, { size: 8 });
    expect(data.classNames).toEqual(["cats", "dogs"]);
    expect(data.length).toBe(6);
  });
});

describe("training runs", () => {
  it("config sizes follow the shape through the layers", () => {
    const cnn = models.cnn({ inputShape: [1, 28, 28], outputs: 10 });
    // conv 16×28×28, relu, pool 16×14×14, conv 32×14×14, relu, pool 32×7×7, flatten 1568, linear 10
    expect(configSizes(cnn, [1, 28, 28])).toEqual({
      values: 16 * 9 + 16 + 32 * 16 * 9 + 32 + 1568 * 10 + 10,
      activations: 2 * 16 * 784 + 16 * 196 + 2 * 32 * 196 + 32 * 49 + 1568 + 10,
    });
  });

  it("a run whose model would not fit is refused before the model is built", () => {
    const data = new Dataset({
      x: zeros([2, 1_000_000]),
      y: tensor([0, 1], { dtype: "int32" }),
      preprocessing: null,
    });
    const wide = new Dataset({
      x: data.x,
      y: data.y,
      preprocessing: {
        kind: "tabular",
        columns: [{ name: "x", kind: "numeric", mean: 0, std: 1 }],
        target: { column: "t", task: "classification", classes: ["0", "1"] },
        featureNames: Array.from({ length: 1_000_000 }, (_, i) => `x${i}`),
      },
    });
    expect(() => train.prepareRun(wide, { validationSplit: 0 })).toThrow(
      /^training mlp \(256,000,770 weights, batches of 64 samples of \[1000000\]\) needs about 7\.4 GiB, more than the memory limit of 2\.0 GiB; a smaller model, batch or input, or a larger maxMemory$/,
    );
  });
});
