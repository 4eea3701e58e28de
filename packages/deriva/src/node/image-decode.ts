/** PNG and JPEG files → RGBA pixels, decoded in pure JavaScript (pngjs, jpeg-js). */
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import type { RgbaImage } from "../data/image.js";
import { checkMemory } from "../train/memory-estimate.js";
import { memoryLimit, RAISE_LIMIT } from "./memory-limit.js";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Images above this many pixels are refused before decoding (decompression bombs). */
const MAX_MEGAPIXELS = 100;

/** Options of decodeImage. */
export interface DecodeImageOptions {
  /** Refuse, before decoding, an image whose decoding is estimated to need more bytes (default: memoryLimit()). */
  maxBytes?: number;
}

/**
 * Decodes a PNG or JPEG (told apart by their first bytes, not by the file name) to 8-bit RGBA.
 * The memory that decoding needs is estimated from the header first, and an image over the limit
 * (DERIVA_MAX_MEMORY, 2 GiB by default) is refused with the estimate.
 * @example
 * import { readFileSync, writeFileSync } from "node:fs";
 * import { decodeImage } from "deriva/node";
 * writeFileSync("dot.png", Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4AWM4UaHxHwAF3AJoeuIbAwAAAABJRU5ErkJggg==", "base64"));
 * const { width, height, data } = decodeImage(readFileSync("dot.png"));
 * [width, height, data.length]; // [1, 1, 4]
 */
export function decodeImage(bytes: Uint8Array, opts: DecodeImageOptions = {}): RgbaImage {
  const png = PNG_SIGNATURE.every((b, i) => bytes[i] === b);
  const jpg = !png && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!png && !jpg) throw new Error("not a PNG or JPEG image");
  const header = png ? pngHeader(bytes) : jpegHeader(bytes);
  if (header !== null) {
    const { width, height, bytesPerPixel, what } = header;
    checkPixels(width, height);
    checkMemory(
      `decoding the image (${width}×${height}, ${what})`,
      width * height * bytesPerPixel,
      opts.maxBytes ?? memoryLimit(),
      RAISE_LIMIT,
    );
  }
  return png ? decodePng(bytes) : decodeJpeg(bytes, opts.maxBytes ?? memoryLimit());
}

/** What a header says: the size and the bytes per pixel that decoding it takes (measured for pngjs and jpeg-js). */
interface ImageHeader {
  width: number;
  height: number;
  bytesPerPixel: number;
  what: string;
}

/** PNG channels by IHDR colour type: gray, RGB, palette, gray + alpha, RGBA. */
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function pngHeader(bytes: Uint8Array): ImageHeader | null {
  if (bytes.length < 26) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const depth = bytes[24]!;
  const channels = PNG_CHANNELS[bytes[25]!] ?? 4;
  // the inflated rows, their unfiltered copy and pngjs's bitmap, then the RGBA output
  const raw = (channels * Math.max(depth, 8)) / 8;
  return {
    width: view.getUint32(16),
    height: view.getUint32(20),
    bytesPerPixel: 4 + 3 * raw,
    what: `${depth}-bit PNG`,
  };
}

/** The frame header (SOF0–SOF15 but DHT, JPG and DAC) gives the size and the components. */
function jpegHeader(bytes: Uint8Array): ImageHeader | null {
  let at = 2;
  while (at + 9 < bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1]!;
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = (bytes[at + 5]! << 8) | bytes[at + 6]!;
      const width = (bytes[at + 7]! << 8) | bytes[at + 8]!;
      const components = bytes[at + 9] ?? 3;
      // jpeg-js keeps each component's coefficients and samples, then writes RGBA
      return { width, height, bytesPerPixel: 4 + 10 * components, what: `JPEG, ${components} components` };
    }
    at += 2 + length;
  }
  return null;
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

function decodeJpeg(bytes: Uint8Array, maxBytes: number): RgbaImage {
  try {
    const image = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: MAX_MEGAPIXELS,
      maxMemoryUsageInMB: Math.ceil(maxBytes / 2 ** 20),
    });
    return { width: image.width, height: image.height, data: image.data };
  } catch (error) {
    throw new Error(`corrupt JPEG: ${(error as Error).message}`);
  }
}

function checkSize(width: number, height: number): void {
  if (width === 0 || height === 0) throw new Error(`corrupt PNG: it claims a size of ${width}×${height}`);
  checkPixels(width, height);
}

/** Images above MAX_MEGAPIXELS are refused whatever the memory limit (decompression bombs). */
function checkPixels(width: number, height: number): void {
  if (width * height > MAX_MEGAPIXELS * 1e6) {
    throw new Error(`the image is ${width}×${height}, more than ${MAX_MEGAPIXELS} megapixels`);
  }
}
