import { describe, expect, it } from "vitest";
import { imageToInput, isGray, type RgbaImage, resizeToRgb, toChannels } from "../../src/data/image.js";

/** A gray RGBA image from rows of 0..255 levels (alpha 255). */
function gray(rows: number[][]): RgbaImage {
  const height = rows.length;
  const width = rows[0]!.length;
  const data = new Uint8Array(width * height * 4);
  rows.flat().forEach((v, i) => {
    data.set([v, v, v, 255], i * 4);
  });
  return { width, height, data };
}

/** The first (R) plane of resizeToRgb, times 255, as rows. */
function red(image: RgbaImage, height: number, width: number): number[][] {
  const planes = resizeToRgb(image, height, width);
  return Array.from({ length: height }, (_, y) =>
    Array.from(planes.subarray(y * width, (y + 1) * width), (v) => v * 255),
  );
}

describe("resizeToRgb", () => {
  it("keeps an image of the same size as it is (scaled to [0, 1])", () => {
    const image = gray([
      [0, 51],
      [102, 255],
    ]);
    expect(resizeToRgb(image, 2, 2)).toEqual(
      new Float32Array([0, 0.2, 0.4, 1, 0, 0.2, 0.4, 1, 0, 0.2, 0.4, 1]),
    );
  });

  it("shrinks by averaging areas: 4×4 → 2×2 block means", () => {
    const image = gray([
      [0, 10, 20, 30],
      [40, 50, 60, 70],
      [80, 90, 100, 110],
      [120, 130, 140, 150],
    ]);
    const out = red(image, 2, 2);
    expect(out.flat().map((v) => Math.round(v * 1000) / 1000)).toEqual([25, 45, 105, 125]);
  });

  it("weights partly covered pixels: 3 → 2 columns", () => {
    const out = red(gray([[30, 60, 90]]), 1, 2);
    expect(out[0]![0]).toBeCloseTo((2 * 30 + 60) / 3, 4);
    expect(out[0]![1]).toBeCloseTo((60 + 2 * 90) / 3, 4);
  });

  it("enlarges bilinearly with half-pixel centres, clamped at the edges", () => {
    const out = red(gray([[0, 200]]), 1, 4);
    expect(out[0]!.map((v) => Math.round(v * 1000) / 1000)).toEqual([0, 50, 150, 200]);
  });

  it("drops alpha and keeps colour planes apart", () => {
    const image: RgbaImage = { width: 1, height: 1, data: new Uint8Array([255, 0, 51, 0]) };
    expect(resizeToRgb(image, 2, 1)).toEqual(new Float32Array([1, 1, 0, 0, 0.2, 0.2]));
  });

  it("refuses malformed images", () => {
    expect(() => resizeToRgb({ width: 2, height: 2, data: new Uint8Array(15) }, 1, 1)).toThrow(
      "image: 15 bytes do not hold 2×2 RGBA pixels",
    );
    expect(() => resizeToRgb({ width: 0, height: 2, data: new Uint8Array(0) }, 1, 1)).toThrow(
      /positive integers/,
    );
  });
});

describe("channels", () => {
  it("gray is the BT.601 luminance; isGray tells R = G = B images", () => {
    const rgb = new Float32Array([1, 0, 0]);
    expect(toChannels(rgb, 1)[0]).toBeCloseTo(0.299, 6);
    expect(toChannels(rgb, 3)).toBe(rgb);
    expect(isGray(gray([[1, 2]]))).toBe(true);
    expect(isGray({ width: 1, height: 1, data: new Uint8Array([1, 2, 1, 255]) })).toBe(false);
  });

  it("imageToInput gives [C, H, W]", () => {
    const image = gray([
      [255, 255],
      [0, 0],
    ]);
    const one = imageToInput(image, { kind: "image", height: 2, width: 2, channels: 1, layout: "nchw" });
    expect(Array.from(one).map((v) => Math.round(v * 1e5) / 1e5)).toEqual([1, 1, 0, 0]);
    const three = imageToInput(image, { kind: "image", height: 1, width: 1, channels: 3, layout: "nchw" });
    expect(Array.from(three)).toEqual([0.5, 0.5, 0.5]);
  });
});
