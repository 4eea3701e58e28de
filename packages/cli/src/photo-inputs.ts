/**
 * Photos of any size as a model's image inputs, for `deriva predict`: each PNG or JPEG is decoded
 * (gray, gray + alpha, palette and 16-bit PNGs become 8-bit RGB; alpha is dropped), cut to the
 * largest centred window of the model's aspect (a square for square inputs), resized with area
 * averaging, made gray or RGB as the model reads, and standardized as it was trained.
 */
import { readFile, stat } from "node:fs/promises";
import { data, Tensor } from "deriva";
import { decodeImage } from "deriva/node";
import { UserError } from "./errors.js";

const IMAGE_FILE = /\.(png|jpe?g)$/i;

/** The photos that could be read, as x [N, C, H, W] (or flat), with their paths. */
export interface PhotoInputs {
  names: string[];
  x: Tensor;
}

/**
 * Reads the photos for a model with image preprocessing `prep`. A path that is not a .png/.jpg
 * file or does not exist is a user error (nothing is predicted); a file that cannot be decoded
 * (empty, corrupt, over the megapixel limit) is skipped with a warning that names it.
 */
export async function photoInputs(
  paths: readonly string[],
  prep: data.ImagePreprocessing,
  warn: (message: string) => void,
): Promise<PhotoInputs> {
  const names: string[] = [];
  const parts: Float32Array[] = [];
  for (const path of paths) {
    if (!IMAGE_FILE.test(path))
      throw new UserError(`${path}: this model reads images; give .png, .jpg or .jpeg files`);
    const info = await stat(path).catch(() => null);
    if (info === null || !info.isFile()) throw new UserError(`${path} does not exist`);
    try {
      parts.push(data.imageToInput(await readPhoto(path), prep, { fit: "center" }));
      names.push(path);
    } catch (error) {
      warn(`skipping ${path}: ${(error as Error).message}`);
    }
  }
  if (names.length === 0) throw new UserError("none of the images could be read");
  const sample = prep.channels * prep.height * prep.width;
  const x = new Float32Array(parts.length * sample);
  parts.forEach((part, i) => {
    x.set(part, i * sample);
  });
  const shape = prep.layout === "flat" ? [sample] : [prep.channels, prep.height, prep.width];
  return { names, x: new Tensor(x, [parts.length, ...shape]) };
}

async function readPhoto(path: string): Promise<data.RgbaImage> {
  const bytes = await readFile(path);
  if (bytes.length === 0) throw new Error("the file is empty");
  return decodeImage(bytes);
}
