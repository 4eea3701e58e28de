/** Image data sets from folders: one sub-folder per class, PNG or JPEG files of any size. */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { Dataset } from "../data/dataset.js";
import { type ImagePreprocessing, isGray, type RgbaImage, resizeToRgb, toChannels } from "../data/image.js";
import { fromValues } from "../tensor/storage.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkMemory } from "../train/memory-estimate.js";
import { decodeImage } from "./image-decode.js";
import { memoryLimit, RAISE_LIMIT } from "./memory-limit.js";

const IMAGE_FILE = /\.(png|jpe?g)$/i;

/** Options of loadImageFolder and loadImages: the input size, channels and how images are fitted to it. */
export interface ImageFolderOptions {
  /** Output size: a side for square images, or [height, width] (default 28). */
  size?: number | readonly [number, number];
  /** 1 (gray), 3 (RGB), or "auto" (default): 1 when every image is gray, else 3. */
  channels?: 1 | 3 | "auto";
  /** "nchw" (default): x [N, C, H, W]; "flat": x [N, C·H·W]. */
  layout?: "nchw" | "flat";
  /** Called with a message naming each file that is skipped (unreadable, not an image). */
  onWarning?: (message: string) => void;
  /** Re-apply a saved preprocessing (its size, channels and layout win over the options above). */
  preprocessing?: ImagePreprocessing;
  /**
   * A model's classes (e.g. to evaluate it): each sub-folder must be one of them and gets its
   * index; classes without a folder are allowed. Default: the sub-folders, at least two.
   */
  classNames?: readonly string[];
  /**
   * Refuse, before decoding anything, a data set estimated to need more bytes (the images at
   * their output size), and any image whose decoding would (default: memoryLimit(), 2 GiB).
   */
  maxMemory?: number;
}

/**
 * A classification data set from `dir/<class>/<image>`: classes are the sub-folders (sorted
 * names), images are resized to a fixed size (area averaging when shrinking, bilinear when
 * enlarging), alpha dropped, pixels scaled to [0, 1], x float32 [N, C, H, W], y int32 [N].
 * Unreadable images are skipped with a warning; fewer than two classes, an empty class or a
 * class with no readable image is an Error.
 * @example
 * import { mkdirSync, writeFileSync } from "node:fs";
 * import { loadImageFolder } from "deriva/node";
 * const dot = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4AWM4UaHxHwAF3AJoeuIbAwAAAABJRU5ErkJggg==", "base64"); // a 1×1 orange PNG
 * for (const kind of ["cats", "dogs"]) {
 *   mkdirSync(`pets/${kind}`, { recursive: true });
 *   writeFileSync(`pets/${kind}/1.png`, dot);
 * }
 * const pets = await loadImageFolder("pets", { size: 8, onWarning: console.warn });
 * pets.x.shape; // [2, 3, 8, 8]
 * pets.classNames; // ["cats", "dogs"]
 */
export async function loadImageFolder(dir: string, opts: ImageFolderOptions = {}): Promise<Dataset> {
  const warn = opts.onWarning ?? (() => undefined);
  const saved = opts.preprocessing;
  const [height, width] = saved === undefined ? outputSize(opts.size ?? 28) : [saved.height, saved.width];
  const folders = await listClassFolders(dir);
  const classNames = opts.classNames ?? folders;
  checkClasses(dir, folders, opts.classNames);
  const lists = [];
  for (const name of folders) lists.push(await listImages(join(dir, name), name, warn));
  const maxBytes = opts.maxMemory ?? memoryLimit();
  const count = lists.reduce((n, files) => n + files.length, 0);
  // each image as RGB planes, then the data set's x (at most three channels too)
  checkMemory(
    `loading ${count} images at ${height}×${width}`,
    count * 2 * 3 * height * width * 4,
    maxBytes,
    `a smaller image size, or ${RAISE_LIMIT}`,
  );
  const images: Float32Array[] = [];
  const labels: number[] = [];
  let allGray = true;
  for (const [f, name] of folders.entries()) {
    const label = classNames.indexOf(name);
    const files = lists[f]!;
    let read = 0;
    for (const file of files) {
      let rgba: RgbaImage;
      try {
        rgba = await readImage(file, maxBytes);
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
    saved?.channels ??
    (opts.channels === undefined || opts.channels === "auto" ? (allGray ? 1 : 3) : opts.channels);
  const preprocessing: ImagePreprocessing = {
    kind: "image",
    height,
    width,
    channels,
    layout: saved?.layout ?? opts.layout ?? "nchw",
  };
  return new Dataset({
    x: stackInputs(
      images.map((rgb) => toChannels(rgb, channels)),
      preprocessing,
    ),
    y: fromValues(Int32Array.from(labels), [labels.length]),
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
  opts: { maxMemory?: number } = {},
): Promise<Tensor> {
  const inputs: Float32Array[] = [];
  const maxBytes = opts.maxMemory ?? memoryLimit();
  for (const path of paths) {
    let rgba: RgbaImage;
    try {
      rgba = await readImage(path, maxBytes);
    } catch (error) {
      throw new Error(`${path}: ${(error as Error).message}`);
    }
    inputs.push(
      toChannels(resizeToRgb(rgba, preprocessing.height, preprocessing.width), preprocessing.channels),
    );
  }
  return stackInputs(inputs, preprocessing);
}

/** Reads and decodes an image file; errors say what is wrong, not which file (callers add that). */
async function readImage(path: string, maxBytes: number): Promise<RgbaImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === "ENOENT" ? "the file does not exist" : `cannot read the file (${code})`);
  }
  return decodeImage(bytes, { maxBytes });
}

function stackInputs(inputs: readonly Float32Array[], prep: ImagePreprocessing): Tensor {
  const sample = prep.channels * prep.height * prep.width;
  const x = new Float32Array(inputs.length * sample);
  inputs.forEach((input, i) => {
    x.set(input, i * sample);
  });
  const shape = prep.layout === "flat" ? [sample] : [prep.channels, prep.height, prep.width];
  return fromValues(x, [inputs.length, ...shape]);
}

function outputSize(size: number | readonly [number, number]): [number, number] {
  const [height, width] = typeof size === "number" ? [size, size] : size;
  if (!(Number.isInteger(height) && Number.isInteger(width) && height > 0 && width > 0)) {
    throw new Error(`image size must be positive integers, got ${JSON.stringify(size)}`);
  }
  return [height, width];
}

/** The sub-folders of `dir` (sorted), one per class. */
async function listClassFolders(dir: string): Promise<string[]> {
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
  const folders: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    // a symlink to a folder is followed: it is a class like any other
    if (entry.isDirectory() || (entry.isSymbolicLink() && (await kind(join(dir, entry.name))) === "folder")) {
      folders.push(entry.name);
    }
  }
  return folders.sort();
}

/** What a path is once symlinks are followed: "folder", "file", or "nothing" (a broken link). */
async function kind(path: string): Promise<"folder" | "file" | "nothing"> {
  const info = await stat(path).catch(() => null);
  return info === null ? "nothing" : info.isDirectory() ? "folder" : "file";
}

function checkClasses(dir: string, folders: readonly string[], known: readonly string[] | undefined): void {
  if (known === undefined) {
    if (folders.length >= 2) return;
    const found = folders.length === 0 ? "none" : `only '${folders[0]}'`;
    throw new Error(`image folder '${dir}' needs one sub-folder per class, at least two; found ${found}`);
  }
  if (folders.length === 0) throw new Error(`image folder '${dir}' has no class sub-folders`);
  const unknown = folders.find((name) => !known.includes(name));
  if (unknown !== undefined) {
    throw new Error(
      `image folder '${dir}' has a class '${unknown}' that the model does not know (its classes: ${known.join(", ")})`,
    );
  }
}

/** The PNG/JPEG files of a class folder (sorted); other entries are skipped with a warning. */
async function listImages(folder: string, name: string, warn: (message: string) => void): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith(".")) continue;
    const path = join(folder, entry.name);
    const what = entry.isSymbolicLink() ? await kind(path) : entry.isDirectory() ? "folder" : "file";
    if (what === "folder") warn(`skipping folder ${path}: images must sit directly in a class folder`);
    else if (what === "nothing") warn(`skipping ${path}: a symlink to nothing`);
    else if (!IMAGE_FILE.test(entry.name)) warn(`skipping ${path}: not a .png, .jpg or .jpeg file`);
    else files.push(path);
  }
  if (files.length === 0) throw new Error(`class folder '${name}' (${folder}) holds no PNG or JPEG images`);
  return files;
}
