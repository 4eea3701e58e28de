/**
 * The compact binary form in which the built-in image datasets reach the page (written at build
 * time from @deriva/cli/datasets, fetched on demand): a 32-byte header, one label byte per image,
 * then the pixels, one byte each (0-255), channel-first per image.
 *
 *   bytes 0-3   "DRVI"
 *   then eight little-endian uint32: version (1), images N, training images (the first ones),
 *   channels C, height H, width W, classes K, reserved (0)
 *   N bytes     labels (0 … K−1)
 *   N·C·H·W     pixels
 */

const MAGIC = "DRVI";
const VERSION = 1;
const HEADER_BYTES = 32;

/** An image dataset as stored: labels and 8-bit pixels, the first `trainCount` images for training. */
export interface ImageSet {
  count: number;
  trainCount: number;
  channels: number;
  height: number;
  width: number;
  classes: number;
  labels: Uint8Array;
  /** count × channels × height × width bytes, channel-first per image. */
  pixels: Uint8Array;
}

/** The bytes of an image set. */
export function encodeImageSet(set: ImageSet): Uint8Array {
  const { count, channels, height, width } = set;
  const size = channels * height * width;
  if (set.labels.length !== count || set.pixels.length !== count * size) {
    throw new Error(`encodeImageSet: ${count} images need ${count} labels and ${count * size} pixel bytes`);
  }
  const bytes = new Uint8Array(HEADER_BYTES + count + count * size);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(bytes.buffer);
  [VERSION, count, set.trainCount, channels, height, width, set.classes, 0].forEach((value, i) => {
    view.setUint32(4 + 4 * i, value, true);
  });
  bytes.set(set.labels, HEADER_BYTES);
  bytes.set(set.pixels, HEADER_BYTES + count);
  return bytes;
}

/** Reads an image set, refusing (one line, naming `source`) any file whose header does not fit its size. */
export function decodeImageSet(bytes: Uint8Array, source: string): ImageSet {
  const fail = (why: string): never => {
    throw new Error(`${source} is not an image set of this playground: ${why}`);
  };
  if (bytes.length < HEADER_BYTES) fail(`${bytes.length} bytes, shorter than the header`);
  if (new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) fail("it does not start with DRVI");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [version, count, trainCount, channels, height, width, classes] = Array.from({ length: 7 }, (_, i) =>
    view.getUint32(4 + 4 * i, true),
  ) as [number, number, number, number, number, number, number];
  if (version !== VERSION) fail(`version ${version}, expected ${VERSION}`);
  if (trainCount > count) fail(`${trainCount} training images of ${count}`);
  if (classes < 2 || classes > 255) fail(`${classes} classes`);
  const size = channels * height * width;
  const expected = HEADER_BYTES + count + count * size;
  if (size === 0 || bytes.length !== expected)
    fail(`${bytes.length} bytes where the header implies ${expected}`);
  const labels = bytes.subarray(HEADER_BYTES, HEADER_BYTES + count);
  const bad = labels.findIndex((label) => label >= classes);
  if (bad >= 0) fail(`image ${bad} has label ${labels[bad]}, outside 0 … ${classes - 1}`);
  return {
    count,
    trainCount,
    channels,
    height,
    width,
    classes,
    labels,
    pixels: bytes.subarray(HEADER_BYTES + count),
  };
}
