import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { afterAll, describe, expect, it } from "vitest";
import type { ImagePreprocessing } from "../../src/data/image.js";
import { loadImageFolder, loadImages } from "../../src/node/image-folder.js";

const root = mkdtempSync(join(tmpdir(), "deriva-images-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Color = [number, number, number];

/** RGBA pixels of stripes 3 pixels wide: horizontal (varying down the rows) or vertical (across the columns). */
function stripes(
  width: number,
  height: number,
  direction: "horizontal" | "vertical",
  ink: Color,
  alpha = 255,
) {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const on = Math.floor((direction === "horizontal" ? y : x) / 3) % 2 === 0;
      data.set(on ? [...ink, alpha] : [0, 0, 0, alpha], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

function writePng(path: string, image: ReturnType<typeof stripes>): void {
  const png = new PNG({ width: image.width, height: image.height });
  image.data.copy(png.data);
  writeFileSync(path, PNG.sync.write(png));
}

function writeJpeg(path: string, image: ReturnType<typeof stripes>): void {
  writeFileSync(path, jpeg.encode(image, 95).data);
}

/** Builds dir/<class>/<files> and returns dir. */
function folder(name: string, build: (dir: string) => void): string {
  const dir = join(root, name);
  mkdirSync(dir);
  build(dir);
  return dir;
}

/** Mean absolute difference between vertically and horizontally adjacent pixels of a [H, W] plane. */
function neighbourDifferences(plane: Float32Array, size: number): { down: number; across: number } {
  let down = 0;
  let across = 0;
  for (let y = 0; y < size - 1; y++) {
    for (let x = 0; x < size - 1; x++) {
      down += Math.abs(plane[(y + 1) * size + x]! - plane[y * size + x]!);
      across += Math.abs(plane[y * size + x + 1]! - plane[y * size + x]!);
    }
  }
  return { down, across };
}

const gray: Color = [255, 255, 255];

describe("loadImageFolder", () => {
  const mixed = folder("mixed", (dir) => {
    for (const cls of ["vertical", "horizontal"] as const) {
      mkdirSync(join(dir, cls));
      writePng(join(dir, cls, "a.png"), stripes(48, 48, cls, gray));
      writePng(join(dir, cls, "b.PNG"), stripes(60, 36, cls, [200, 40, 40], 128));
      writeJpeg(join(dir, cls, "c.jpg"), stripes(96, 96, cls, [40, 200, 40]));
      writeJpeg(join(dir, cls, "d.jpeg"), stripes(24, 24, cls, [230, 230, 230]));
    }
  });

  it("reads PNG and JPEG of any size into x [N, 3, H, W] in [0, 1] with sorted class names", async () => {
    const ds = await loadImageFolder(mixed, { size: 12 });
    expect(ds.classNames).toEqual(["horizontal", "vertical"]);
    expect(ds.x.shape).toEqual([8, 3, 12, 12]);
    expect(ds.y.toArray()).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(ds.preprocessing).toEqual({ kind: "image", height: 12, width: 12, channels: 3, layout: "nchw" });
    const x = ds.x.data();
    expect(Math.min(...x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...x)).toBeLessThanOrEqual(1);
    // the stripes survive resizing: horizontal ones change down the rows, vertical ones across the columns
    for (let i = 0; i < 8; i++) {
      const red = x.subarray(i * 3 * 144, i * 3 * 144 + 144) as Float32Array;
      const { down, across } = neighbourDifferences(red, 12);
      if (i < 4) expect(down).toBeGreaterThan(3 * across);
      else expect(across).toBeGreaterThan(3 * down);
    }
  });

  it("chooses 1 channel when every image is gray, and honours an explicit choice", async () => {
    const grayOnly = folder("gray", (dir) => {
      for (const cls of ["h", "v"] as const) {
        mkdirSync(join(dir, cls));
        writePng(join(dir, cls, "1.png"), stripes(30, 30, cls === "h" ? "horizontal" : "vertical", gray));
      }
    });
    const ds = await loadImageFolder(grayOnly, { size: [10, 5] });
    expect(ds.x.shape).toEqual([2, 1, 10, 5]);
    expect((await loadImageFolder(grayOnly, { size: 6, channels: 3 })).x.shape).toEqual([2, 3, 6, 6]);
    expect((await loadImageFolder(mixed, { size: 6, channels: 1, layout: "flat" })).x.shape).toEqual([8, 36]);
  });

  it("skips unreadable images and other files with a warning that names them", async () => {
    const dir = folder("broken", (d) => {
      mkdirSync(join(d, "cats"));
      mkdirSync(join(d, "dogs"));
      mkdirSync(join(d, "dogs", "nested"));
      writePng(join(d, "cats", "ok.png"), stripes(8, 8, "horizontal", gray));
      writeFileSync(join(d, "cats", "garbage.png"), "this is not a picture");
      writeFileSync(join(d, "cats", "notes.txt"), "hello");
      writeFileSync(join(d, "cats", ".DS_Store"), "");
      const png = PNG.sync.write(new PNG({ width: 8, height: 8 }));
      writeFileSync(join(d, "dogs", "truncated.png"), png.subarray(0, 40));
      writeJpeg(join(d, "dogs", "ok.jpg"), stripes(8, 8, "vertical", gray));
    });
    const warnings: string[] = [];
    const ds = await loadImageFolder(dir, { size: 4, onWarning: (m) => warnings.push(m) });
    expect(ds.length).toBe(2);
    // the folders are listed first (to estimate the memory), then the images read
    expect(warnings).toEqual([
      `skipping ${join(dir, "cats", "notes.txt")}: not a .png, .jpg or .jpeg file`,
      `skipping folder ${join(dir, "dogs", "nested")}: images must sit directly in a class folder`,
      `skipping ${join(dir, "cats", "garbage.png")}: not a PNG or JPEG image`,
      `skipping ${join(dir, "dogs", "truncated.png")}: corrupt PNG: the file is truncated`,
    ]);
  });

  it("refuses a class with no readable image, an empty class, fewer than two classes, a missing folder", async () => {
    const unreadable = folder("unreadable", (d) => {
      mkdirSync(join(d, "a"));
      mkdirSync(join(d, "b"));
      writePng(join(d, "a", "1.png"), stripes(4, 4, "horizontal", gray));
      writeFileSync(join(d, "b", "1.jpg"), Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x01]));
    });
    await expect(loadImageFolder(unreadable)).rejects.toThrow(
      `none of the 1 images of class 'b' could be read (${join(unreadable, "b")})`,
    );
    const empty = folder("empty", (d) => {
      mkdirSync(join(d, "a"));
      mkdirSync(join(d, "b"));
      writePng(join(d, "a", "1.png"), stripes(4, 4, "horizontal", gray));
    });
    await expect(loadImageFolder(empty)).rejects.toThrow(
      `class folder 'b' (${join(empty, "b")}) holds no PNG or JPEG images`,
    );
    const single = folder("single", (d) => {
      mkdirSync(join(d, "only"));
      writePng(join(d, "only", "1.png"), stripes(4, 4, "horizontal", gray));
    });
    await expect(loadImageFolder(single)).rejects.toThrow(
      `image folder '${single}' needs one sub-folder per class, at least two; found only 'only'`,
    );
    await expect(loadImageFolder(join(root, "nowhere"))).rejects.toThrow(
      /image folder '.*nowhere' does not exist/,
    );
    await expect(loadImageFolder(mixed, { size: 0 })).rejects.toThrow(/image size must be positive integers/);
  });
});

describe("loadImageFolder with a model's classes and preprocessing (evaluation)", () => {
  it("maps folders to the model's class indices and re-applies its preprocessing", async () => {
    const dir = folder("eval", (d) => {
      mkdirSync(join(d, "v"));
      writePng(join(d, "v", "1.png"), stripes(20, 20, "vertical", [200, 10, 10]));
    });
    const prep: ImagePreprocessing = { kind: "image", height: 5, width: 7, channels: 1, layout: "flat" };
    const ds = await loadImageFolder(dir, { classNames: ["h", "v", "z"], preprocessing: prep, size: 99 });
    expect(ds.classNames).toEqual(["h", "v", "z"]);
    expect(ds.y.toArray()).toEqual([1]);
    expect(ds.x.shape).toEqual([1, 35]);
    expect(ds.preprocessing).toEqual(prep);
    await expect(loadImageFolder(dir, { classNames: ["h", "z"] })).rejects.toThrow(
      `image folder '${dir}' has a class 'v' that the model does not know (its classes: h, z)`,
    );
  });
});

describe("loadImages", () => {
  it("prepares files for prediction exactly as the training set was prepared", async () => {
    const dir = folder("predict", (d) => {
      mkdirSync(join(d, "h"));
      mkdirSync(join(d, "v"));
      writeJpeg(join(d, "h", "1.jpg"), stripes(50, 40, "horizontal", [90, 180, 30]));
      writePng(join(d, "v", "1.png"), stripes(20, 20, "vertical", gray));
    });
    const ds = await loadImageFolder(dir, { size: 8 });
    const prep = ds.preprocessing as ImagePreprocessing;
    const x = await loadImages([join(dir, "h", "1.jpg"), join(dir, "v", "1.png")], prep);
    expect(x.shape).toEqual([2, 3, 8, 8]);
    expect(x.data()).toEqual(ds.x.data());
    await expect(loadImages([join(dir, "missing.png")], prep)).rejects.toThrow(
      `${join(dir, "missing.png")}: the file does not exist`,
    );
    writeFileSync(join(dir, "bad.png"), "nope");
    await expect(loadImages([join(dir, "bad.png")], prep)).rejects.toThrow(
      `${join(dir, "bad.png")}: not a PNG or JPEG image`,
    );
  });
});
