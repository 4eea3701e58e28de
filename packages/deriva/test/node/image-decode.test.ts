import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { decodeImage } from "../../src/node/image-decode.js";

describe("decodeImage", () => {
  it("decodes a gray (one-channel) PNG to RGBA", () => {
    const png = new PNG({ width: 2, height: 1 });
    png.data = Buffer.from([0, 255]);
    const bytes = PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
    expect(bytes[25]).toBe(0); // IHDR colour type: gray
    const image = decodeImage(bytes);
    expect([image.width, image.height]).toEqual([2, 1]);
    expect(Array.from(image.data)).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
  });

  it("refuses a PNG that claims more than 100 megapixels before decoding it", () => {
    const header = Buffer.alloc(33);
    header.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    header.writeUInt32BE(100_000, 16);
    header.writeUInt32BE(100_000, 20);
    expect(() => decodeImage(header)).toThrow("the image is 100000×100000, more than 100 megapixels");
  });

  it("names what it cannot read", () => {
    expect(() => decodeImage(new Uint8Array([1, 2, 3]))).toThrow("not a PNG or JPEG image");
    expect(() => decodeImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 2]))).toThrow(/^corrupt JPEG: /);
  });
});
