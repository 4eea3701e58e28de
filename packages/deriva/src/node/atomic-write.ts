/** Writing files so that readers see the old content or the new one, never a part of it. */
import { randomBytes } from "node:crypto";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Writes `data` to `path` atomically: into a temporary file in the same folder, flushed to disk
 * (fsync), then renamed over `path` (an atomic replace on POSIX and on Windows/NTFS). An
 * interrupted write leaves `path` as it was, and at worst a stray `.<name>.*.tmp` file.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const folder = dirname(path);
  const temp = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temp, "wx");
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    await rename(temp, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncFolder(folder);
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
