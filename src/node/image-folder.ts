/** Image data sets from folders: one sub-folder per class, PNG or JPEG files of any size. */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Dataset } from "../data/dataset.js";
import { type ImagePreprocessing, isGray, resizeToRgb, toChannels } from "../data/image.js";
import { Tensor } from "../tensor/tensor.js";
import { decodeImage } from "./image-decode.js";

const IMAGE_FILE = /\.(png|jpe?g)$/i;

export interface ImageFolderOptions {
  /** Output size: a side for square images, or [height, width] (default 28). */
  size?: number | readonly [number, number];
  /** 1 (gray), 3 (RGB), or "auto" (default): 1 when every image is gray, else 3. */
  channels?: 1 | 3 | "auto";
  /** "nchw" (default): x [N, C, H, W]; "flat": x [N, C·H·W]. */
  layout?: "nchw" | "flat";
  /** Called with a message naming each file that is skipped (unreadable, not an image). */
  onWarning?: (message: string) => void;
}

/**
 * A classification data set from `dir/<class>/<image>`: classes are the sub-folders (sorted
 * names), images are resized to a fixed size (area averaging when shrinking, bilinear when
 * enlarging), alpha dropped, pixels scaled to [0, 1], x float32 [N, C, H, W], y int32 [N].
 * Unreadable images are skipped with a warning; fewer than two classes, an empty class or a
 * class with no readable image is an Error.
 * @example const pets = await loadImageFolder("pets", { size: 32, onWarning: console.warn });
 */
export async function loadImageFolder(dir: string, opts: ImageFolderOptions = {}): Promise<Dataset> {
  const warn = opts.onWarning ?? (() => undefined);
  const [height, width] = outputSize(opts.size ?? 28);
  const classNames = await listClasses(dir);
  const images: Float32Array[] = [];
  const labels: number[] = [];
  let allGray = true;
  for (const [label, name] of classNames.entries()) {
    const files = await listImages(join(dir, name), name, warn);
    let read = 0;
    for (const file of files) {
      let rgba: ReturnType<typeof decodeImage>;
      try {
        rgba = decodeImage(await readFile(file));
      } catch (error) {
        warn(`skipping ${file}: ${(error as Error).message}`);
        continue;
      }
      allGray &&= isGray(rgba);
      images.push(resizeToRgb(rgba, height, width));
      labels.push(label);
      read++;
    }
    if (read === 0) {
      throw new Error(
        `none of the ${files.length} images of class '${name}' could be read (${join(dir, name)})`,
      );
    }
  }
  const channels =
    opts.channels === undefined || opts.channels === "auto" ? (allGray ? 1 : 3) : opts.channels;
  const preprocessing: ImagePreprocessing = {
    kind: "image",
    height,
    width,
    channels,
    layout: opts.layout ?? "nchw",
  };
  return new Dataset({
    x: stackInputs(
      images.map((rgb) => toChannels(rgb, channels)),
      preprocessing,
    ),
    y: new Tensor(Int32Array.from(labels), [labels.length]),
    task: "classification",
    classNames,
    preprocessing,
  });
}

/**
 * Image files as model inputs under a saved preprocessing: x float32 [N, C, H, W] (or flat).
 * An unreadable file is an Error that names it.
 */
export async function loadImages(
  paths: readonly string[],
  preprocessing: ImagePreprocessing,
): Promise<Tensor> {
  const inputs: Float32Array[] = [];
  for (const path of paths) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      throw new Error(
        `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    try {
      const rgb = resizeToRgb(decodeImage(bytes), preprocessing.height, preprocessing.width);
      inputs.push(toChannels(rgb, preprocessing.channels));
    } catch (error) {
      throw new Error(`${path}: ${(error as Error).message}`);
    }
  }
  return stackInputs(inputs, preprocessing);
}

function stackInputs(inputs: readonly Float32Array[], prep: ImagePreprocessing): Tensor {
  const sample = prep.channels * prep.height * prep.width;
  const x = new Float32Array(inputs.length * sample);
  inputs.forEach((input, i) => {
    x.set(input, i * sample);
  });
  const shape = prep.layout === "flat" ? [sample] : [prep.channels, prep.height, prep.width];
  return new Tensor(x, [inputs.length, ...shape]);
}

function outputSize(size: number | readonly [number, number]): [number, number] {
  const [height, width] = typeof size === "number" ? [size, size] : size;
  if (!(Number.isInteger(height) && Number.isInteger(width) && height > 0 && width > 0)) {
    throw new Error(`image size must be positive integers, got ${JSON.stringify(size)}`);
  }
  return [height, width];
}

async function listClasses(dir: string): Promise<string[]> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === "ENOENT"
        ? `image folder '${dir}' does not exist`
        : `cannot read image folder '${dir}': ${code}`,
    );
  }
  const classes = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
  if (classes.length < 2) {
    const found = classes.length === 0 ? "none" : `only '${classes[0]}'`;
    throw new Error(`image folder '${dir}' needs one sub-folder per class, at least two; found ${found}`);
  }
  return classes;
}

/** The PNG/JPEG files of a class folder (sorted); other entries are skipped with a warning. */
async function listImages(folder: string, name: string, warn: (message: string) => void): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith(".")) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) warn(`skipping folder ${path}: images must sit directly in a class folder`);
    else if (!IMAGE_FILE.test(entry.name)) warn(`skipping ${path}: not a .png, .jpg or .jpeg file`);
    else files.push(path);
  }
  if (files.length === 0) throw new Error(`class folder '${name}' (${folder}) holds no PNG or JPEG images`);
  return files;
}
