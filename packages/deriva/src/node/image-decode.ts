/** PNG and JPEG files → RGBA pixels, decoded in pure JavaScript (pngjs, jpeg-js). */
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import type { RgbaImage } from "../data/image.js";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Images above this many pixels are refused before decoding (decompression bombs). */
const MAX_MEGAPIXELS = 100;

/** Decodes a PNG or JPEG (told apart by their first bytes, not by the file name) to 8-bit RGBA. */
export function decodeImage(bytes: Uint8Array): RgbaImage {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return decodePng(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return decodeJpeg(bytes);
  throw new Error("not a PNG or JPEG image");
}

function decodePng(bytes: Uint8Array): RgbaImage {
  // IHDR is the first chunk: width and height, big-endian, at bytes 16..23
  if (bytes.length < 24) throw new Error("corrupt PNG: the file ends inside its header");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  checkSize(view.getUint32(16), view.getUint32(20));
  try {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: png.data };
  } catch (error) {
    const message = (error as Error).message;
    // pngjs's words for "the data ended before the image did"
    throw new Error(
      `corrupt PNG: ${/read requests waitn?i?ng on finished stream/.test(message) ? "the file is truncated" : message}`,
    );
  }
}

function decodeJpeg(bytes: Uint8Array): RgbaImage {
  try {
    const image = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: MAX_MEGAPIXELS,
      maxMemoryUsageInMB: 1024,
    });
    return { width: image.width, height: image.height, data: image.data };
  } catch (error) {
    throw new Error(`corrupt JPEG: ${(error as Error).message}`);
  }
}

function checkSize(width: number, height: number): void {
  if (width === 0 || height === 0) throw new Error(`corrupt PNG: it claims a size of ${width}×${height}`);
  if (width * height > MAX_MEGAPIXELS * 1e6) {
    throw new Error(`the image is ${width}×${height}, more than ${MAX_MEGAPIXELS} megapixels`);
  }
}
