/**
 * Writes images as an image folder (folder/<part>/<class>/<name>.png), all or nothing: the
 * destination is checked before any work, the files go to a new folder beside it, and that folder
 * is renamed into place only once every file is written (removed if anything fails).
 */
import { mkdir, mkdtemp, readdir, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { PNG } from "pngjs";
import { UserError } from "./errors.js";

/** One image to write: 8-bit pixels, row-major, gray (1 channel) or RGB (3 channels interleaved). */
export interface ExportedImage {
  /** The first level of folders, e.g. "train" or "test". */
  part: string;
  className: string;
  /** The file name without ".png". */
  name: string;
  /** Size in pixels. */
  width: number;
  height: number;
  /** 1: gray; 3: RGB. */
  channels: 1 | 3;
  /** width · height · channels bytes. */
  pixels: Uint8Array;
}

/** How many images each part received. */
export interface ExportSummary {
  /** Images written per part ("train", "test"). */
  counts: Record<string, number>;
}

/**
 * Checks that `folder` is new or empty, then writes the images that `produce` gives into it.
 * Nothing is left at `folder` unless every image was written.
 */
export async function exportImageFolder(
  folder: string,
  produce: () => Promise<Iterable<ExportedImage>>,
): Promise<ExportSummary> {
  const destination = resolve(folder);
  const existing = await checkDestination(destination, folder);
  const parent = dirname(destination);
  await mkdir(parent, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(`cannot create ${dirname(folder)}: ${error.code}`);
  });
  const staging = await mkdtemp(join(parent, `.${basename(destination)}.partial-`)).catch(
    (error: NodeJS.ErrnoException) => {
      throw new UserError(`cannot write in ${dirname(folder)}: ${error.code}`);
    },
  );
  try {
    const counts: Record<string, number> = {};
    const made = new Set<string>();
    for (const image of await produce()) {
      const dir = join(staging, safeName(image.part), safeName(image.className));
      if (!made.has(dir)) {
        await mkdir(dir, { recursive: true });
        made.add(dir);
      }
      await writeFile(join(dir, `${safeName(image.name)}.png`), encodePng(image));
      counts[image.part] = (counts[image.part] ?? 0) + 1;
    }
    if (existing === "empty folder") await rmdir(destination);
    await rename(staging, destination);
    return { counts };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** An 8-bit gray or RGB PNG of the image. */
export function encodePng(image: ExportedImage): Uint8Array {
  const { width, height, channels, pixels } = image;
  if (pixels.length !== width * height * channels) {
    throw new Error(
      `${image.name}: ${pixels.length} bytes do not hold ${width}×${height}×${channels} pixels`,
    );
  }
  const png = new PNG({
    width,
    height,
    colorType: channels === 1 ? 0 : 2,
    inputColorType: channels === 1 ? 0 : 2,
    inputHasAlpha: false,
  });
  png.data = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  return PNG.sync.write(png, {
    colorType: channels === 1 ? 0 : 2,
    inputColorType: channels === 1 ? 0 : 2,
    inputHasAlpha: false,
  });
}

async function checkDestination(destination: string, shown: string): Promise<"new" | "empty folder"> {
  const info = await stat(destination).catch(() => null);
  if (info === null) return "new";
  if (!info.isDirectory()) throw new UserError(`${shown} exists and is not a folder`);
  if ((await readdir(destination)).length > 0) {
    throw new UserError(`${shown} is not empty: give a new folder (nothing was written)`);
  }
  return "empty folder";
}

/** A class or file name as a single path component. */
function safeName(name: string): string {
  if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name)) {
    throw new Error(`'${name}' cannot be a file or folder name`);
  }
  return name;
}
