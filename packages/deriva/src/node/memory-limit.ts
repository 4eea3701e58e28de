/**
 * The memory limit of deriva/node's loaders and training runs: DERIVA_MAX_MEMORY (bytes, or with a
 * unit: 512M, 8G, 8GiB), 2 GiB when it is not set. Images, data sets and models estimated to need
 * more are refused before they are decoded or allocated, saying how much they need.
 */
import { DEFAULT_MAX_MEMORY } from "../train/memory-estimate.js";

/** How a refusal over the limit says to raise it (for prepareRun's raiseLimit). */
export const RAISE_LIMIT = "set DERIVA_MAX_MEMORY to raise it (e.g. DERIVA_MAX_MEMORY=8G)";

const UNITS: Record<string, number> = { "": 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/**
 * The memory limit in bytes: DERIVA_MAX_MEMORY when set, else 2 GiB.
 * @example
 * process.env.DERIVA_MAX_MEMORY = "8G";
 * memoryLimit(); // 8589934592
 * delete process.env.DERIVA_MAX_MEMORY;
 */
export function memoryLimit(): number {
  const text = process.env.DERIVA_MAX_MEMORY;
  if (text === undefined || text.trim() === "") return DEFAULT_MAX_MEMORY;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  const bytes = match === null ? Number.NaN : Number(match[1]) * UNITS[match[2]!.toLowerCase()]!;
  if (!(bytes > 0 && Number.isFinite(bytes))) {
    throw new Error(`DERIVA_MAX_MEMORY must be a size such as 4G, 512M or 1073741824, got '${text}'`);
  }
  return Math.floor(bytes);
}
