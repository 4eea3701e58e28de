/**
 * An exclusive lock on a model folder, so that two runs never write the same folder: a lock file
 * created with O_EXCL that holds the owner's pid and host. A lock whose process has ended (on
 * this host) is stale and taken over; any other lock refuses the second run with one line.
 */

import { link, mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";

/** The lock file's name inside the folder. */
export const LOCK_FILE = ".deriva.lock";

/** A held lock: release it when the writing is done (releasing twice is harmless). */
export interface FolderLock {
  /** The locked folder, as given to lockFolder. */
  readonly dir: string;
  /** Removes the lock file, so the next run may write the folder; calling it again does nothing. */
  release(): Promise<void>;
}

interface Owner {
  pid: number;
  host: string;
}

/**
 * Takes the lock on `dir` (created if needed), or throws a one-line Error naming the folder and
 * the pid that holds it. A lock left by a process that no longer runs on this host is replaced.
 * @example
 * const lock = await lockFolder("model");
 * try {
 *   // write the folder's files
 * } finally {
 *   await lock.release();
 * }
 */
export async function lockFolder(dir: string): Promise<FolderLock> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const me: Owner = { pid: process.pid, host: hostname() };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await create(path, me)) return held(dir, path);
    const owner = await readOwner(path);
    if (owner === undefined) continue; // released meanwhile: try again
    if (owner !== null && !isStale(owner)) {
      const where = owner.host === me.host ? "" : ` on ${owner.host}`;
      throw new Error(
        `${dir} is in use: another deriva run (pid ${owner.pid}${where}) is writing it; wait for it to end, or remove ${path} if no such run exists`,
      );
    }
    if (owner === null) {
      throw new Error(
        `${dir} is locked by ${path}, which names no process; remove it if no run is writing the folder`,
      );
    }
    await takeOver(path, owner);
  }
  throw new Error(`${dir}: could not take the lock ${path} (other runs keep taking it)`);
}

/** Creates the lock file if there is none (O_EXCL); false when one exists. */
async function create(path: string, me: Owner): Promise<boolean> {
  let handle: import("node:fs/promises").FileHandle;
  try {
    handle = await open(path, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new Error(`cannot create the lock file ${path}: ${(error as NodeJS.ErrnoException).code}`);
  }
  try {
    await handle.writeFile(`${JSON.stringify(me)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

/** The owner in the lock file; null when it names none (corrupt), undefined when the file is gone. */
async function readOwner(path: string): Promise<Owner | null | undefined> {
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const owner = JSON.parse(text) as Owner;
    return Number.isSafeInteger(owner.pid) && owner.pid > 0 && typeof owner.host === "string" ? owner : null;
  } catch {
    return null;
  }
}

/** A lock of this host whose process has ended. (A lock of another host cannot be checked.) */
function isStale(owner: Owner): boolean {
  if (owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Removes a stale lock without removing a fresh one that another process may have put in its
 * place meanwhile: the file is moved aside and checked; if it was not the stale one, it goes back.
 */
async function takeOver(path: string, stale: Owner): Promise<void> {
  const aside = `${path}.${process.pid}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return; // someone else moved it: try again
  }
  const moved = await readOwner(aside);
  if (moved !== undefined && moved !== null && moved.pid !== stale.pid) {
    await link(aside, path).catch(() => undefined); // a live lock: put it back unless replaced
  }
  await unlink(aside).catch(() => undefined);
}

function held(dir: string, path: string): FolderLock {
  let released = false;
  return {
    dir,
    async release() {
      if (released) return;
      released = true;
      await unlink(path).catch(() => undefined);
    },
  };
}
