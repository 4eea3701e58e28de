/** Writing files so that readers see the old content or the new one, never a part of it. */
import { randomBytes } from "node:crypto";
import { lstat, open, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Options of writeFileAtomic. */
export interface WriteOptions {
  /**
   * Called before each change on disk (`weights-….safetensors: write temp`, `…: rename`,
   * `…: sync folder`), e.g. to test what an interruption at that point leaves behind.
   */
  onStep?: (step: string) => void;
}

/**
 * Writes `data` to `path` atomically: into a temporary file in the same folder, flushed to disk
 * (fsync), then renamed over `path` (an atomic replace on POSIX and on Windows/NTFS). An
 * interrupted write leaves `path` as it was, and at worst a stray `.<name>.*.tmp` file. Only a
 * regular file is ever replaced: a symlink, a folder, a FIFO or a device at `path` is refused
 * (see checkFileDestination).
 * @example
 * await writeFileAtomic("plot.svg", "<svg/>"); // a reader sees the old file or the new one, never half
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  opts: WriteOptions = {},
): Promise<void> {
  await checkFileDestination(path);
  const folder = dirname(path);
  const name = basename(path);
  const temp = join(folder, `.${name}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  opts.onStep?.(`${name}: write temp`);
  const handle = await open(temp, "wx");
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    opts.onStep?.(`${name}: rename`);
    await rename(temp, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  opts.onStep?.(`${name}: sync folder`);
  await syncFolder(folder);
}

/** The temporary files writeFileAtomic leaves behind when it is interrupted. */
export const TEMP_FILE = /^\..+\.\d+\.[0-9a-f]{12}\.tmp$/;

/**
 * Checks, before any work, that a file can be written at `path`: its folder exists, and nothing
 * but a regular file is there to be replaced (not a folder, a symlink, a FIFO or a device).
 * Throws a one-line Error naming the path otherwise.
 * @example
 * await checkFileDestination("descent.svg"); // resolves: the folder exists and nothing blocks the file
 */
export async function checkFileDestination(path: string): Promise<void> {
  const existing = await lstat(path).catch(() => null);
  if (existing !== null && !existing.isFile()) {
    throw new Error(`${path} is ${kindOf(existing)}, not a regular file: deriva replaces only regular files`);
  }
  const folder = await stat(dirname(path)).catch(() => null);
  if (folder === null || !folder.isDirectory()) {
    throw new Error(`cannot write ${path}: the folder ${dirname(path)} does not exist`);
  }
}

/**
 * Checks, before any work, that a folder can be written at `dir`: nothing is there, or a folder
 * (a symlink to a folder is followed). Throws a one-line Error naming the path otherwise.
 * @example await checkFolderDestination("model");
 */
export async function checkFolderDestination(dir: string): Promise<void> {
  const existing = await stat(dir).catch(() => null);
  if (existing !== null && !existing.isDirectory()) {
    throw new Error(`${dir} is ${kindOf(existing)}, not a folder: a model is saved as a folder`);
  }
}

/** What a file system entry is, in words ("a folder", "a symlink", ...). */
function kindOf(info: import("node:fs").Stats): string {
  if (info.isDirectory()) return "a folder";
  if (info.isSymbolicLink()) return "a symlink";
  if (info.isFIFO()) return "a FIFO (named pipe)";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device";
  if (info.isSocket()) return "a socket";
  return "a regular file";
}

/** Flushes a folder's entries (the rename) to disk; a no-op where folders cannot be opened (Windows). */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // not supported on this platform: the rename itself is still atomic
  }
}
