import { describe, expect, it } from "vitest";
import { data, tensor } from "../../src/index.js";

const prep = (channels: 1 | 3, height: number, width: number): data.ImagePreprocessing => ({
  kind: "image",
  height,
  width,
  channels,
  layout: "nchw",
});

/** An RGBA image whose pixel (x, y) has R = x, G = y, B = 7. */
function coordinates(width: number, height: number): data.RgbaImage {
  const bytes = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) bytes.set([x, y, 7, 255], (y * width + x) * 4);
  }
  return { width, height, data: bytes };
}

describe("centerCrop", () => {
  it("keeps the largest centred window of the aspect asked", () => {
    const wide = data.centerCrop(coordinates(6, 2), 1); // 2×2 from columns 2..3
    expect([wide.width, wide.height]).toEqual([2, 2]);
    expect(Array.from(wide.data.filter((_, i) => i % 4 === 0))).toEqual([2, 3, 2, 3]);
    const tall = data.centerCrop(coordinates(2, 5), 1); // rows 1..2 (the odd pixel left over goes to the bottom)
    expect(Array.from(tall.data.filter((_, i) => i % 4 === 1))).toEqual([1, 1, 2, 2]);
    const image = coordinates(4, 2);
    expect(data.centerCrop(image, 2)).toBe(image); // already 2:1
    expect(() => data.centerCrop(image, 0)).toThrow(/aspect must be positive/);
  });

  it("lets imageToInput fit a photo without distortion", () => {
    // 640×480, red only in the 80-pixel margins left and right of the centred 480×480 square
    const image = coordinates(640, 480);
    for (let y = 0; y < 480; y++) {
      for (let x = 0; x < 640; x++) image.data[(y * 640 + x) * 4] = x < 80 || x >= 560 ? 255 : 0;
    }
    const stretched = data.imageToInput(image, prep(3, 2, 2));
    expect(stretched[0]).toBeCloseTo(0.25, 6); // the left half (320 columns) holds 80 red ones
    const cropped = data.imageToInput(image, prep(3, 2, 2), { fit: "center" });
    expect(Array.from(cropped.subarray(0, 4))).toEqual([0, 0, 0, 0]); // no margin left
    // G = y, the top half of the rows averaged: (0 + … + 239) / 240 / 255
    expect(cropped[4]).toBeCloseTo(119.5 / 255, 5);
  });
});

describe("per-channel standardization", () => {
  it("fits each channel's mean and std over all images, and leaves a constant channel's std at 1", () => {
    // two 1×2 RGB images; channel 0: 0, 1, 2, 3; channel 1: all 5; channel 2: 1, 1, 3, 3
    const x = tensor([
      [[[0, 1]], [[5, 5]], [[1, 1]]],
      [[[2, 3]], [[5, 5]], [[3, 3]]],
    ]);
    const stats = data.fitChannelStats(x, prep(3, 1, 2));
    expect(stats.mean).toEqual([1.5, 5, 2]);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(stats.std[1]).toBe(1);
    expect(stats.std[2]).toBe(1);
    const set = new data.Dataset({ x, y: tensor([0, 1], { dtype: "int32" }), preprocessing: prep(3, 1, 2) });
    const standardized = data.standardizeImages(set);
    expect(standardized.preprocessing).toEqual({ ...prep(3, 1, 2), mean: stats.mean, std: stats.std });
    const values = Array.from(standardized.x.data());
    expect(values[0]).toBeCloseTo(-1.5 / Math.sqrt(1.25), 6);
    expect(values.slice(2, 6)).toEqual([0, 0, -1, -1]);
    expect(x.data()[0]).toBe(0); // the input is unchanged
    expect(() => data.standardizeImages(standardized)).toThrow(/standardized already/);
  });

  it("applies saved statistics to other images, the same as imageToInput does to one image", () => {
    const saved = { mean: [0.5, 0.25, 0], std: [0.5, 0.25, 2] };
    const image = coordinates(2, 2);
    const one = data.imageToInput(image, { ...prep(3, 2, 2), ...saved });
    const plain = data.imageToInput(image, prep(3, 2, 2));
    const set = new data.Dataset({
      x: tensor(plain, { shape: [1, 3, 2, 2] }),
      y: tensor([0], { dtype: "int32" }),
      preprocessing: prep(3, 2, 2),
    });
    expect(Array.from(data.standardizeImages(set, saved).x.data())).toEqual(Array.from(one));
    expect(one[4]).toBeCloseTo((0 - 0.25) / 0.25, 6); // G of pixel (0, 0) is 0
    expect(() => data.standardizeImages(set, { mean: [0], std: [1] })).toThrow(/needs 3 means/);
  });
});

describe("a saved image preprocessing with standardization", () => {
  it("is read back with its mean and std, and refused when they do not fit the channels", () => {
    const saved = { ...prep(3, 32, 32), mean: [0.5, 0.4, 0.3], std: [0.25, 0.25, 0.2] };
    expect(data.checkPreprocessing(JSON.parse(JSON.stringify(saved)), "model.json")).toEqual(saved);
    expect(data.checkPreprocessing(prep(1, 28, 28), "model.json")).toEqual(prep(1, 28, 28));
    expect(() => data.checkPreprocessing({ ...saved, std: [0.25, 0, 0.2] }, "model.json")).toThrow(
      "model.json: the preprocessing is corrupt: std must list 3 positive finite numbers (one per channel), got [0.25,0,0.2]",
    );
    expect(() => data.checkPreprocessing({ ...saved, mean: [0.5] }, "model.json")).toThrow(
      /mean must list 3 finite numbers/,
    );
    expect(() => data.checkPreprocessing({ ...saved, mean: undefined }, "model.json")).toThrow(
      /mean must list 3 finite numbers \(one per channel\), got nothing/,
    );
  });
});
