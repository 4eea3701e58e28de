/**
 * Where the compiled kernels come from. They are four .wasm assets beside this module
 * (generated/kernels-{simd,relaxed}[-threads].wasm); the backend loads only the one this engine
 * needs, by URL. Each URL is written out as `new URL("<literal>", import.meta.url)` inside a
 * function: bundlers (Vite, webpack, Parcel) recognise that form and ship the asset, and a build
 * without import.meta.url (an IIFE bundle) gets an error here, not at import. Single-file builds
 * give the bytes instead, through setKernelBytes (the deriva/wasm-inline entry).
 */
import { nodeModule } from "./platform.js";

/** Which build: SIMD128 or relaxed SIMD (fused multiply-add), with shared memory for threads or not. */
export type KernelVariant =
  | "kernels-simd"
  | "kernels-simd-threads"
  | "kernels-relaxed"
  | "kernels-relaxed-threads";

/** The URL of each variant's asset (throws where the build has no import.meta.url). */
const URLS: Record<KernelVariant, () => URL> = {
  "kernels-simd": () => new URL("./generated/kernels-simd.wasm", import.meta.url),
  "kernels-simd-threads": () => new URL("./generated/kernels-simd-threads.wasm", import.meta.url),
  "kernels-relaxed": () => new URL("./generated/kernels-relaxed.wasm", import.meta.url),
  "kernels-relaxed-threads": () => new URL("./generated/kernels-relaxed-threads.wasm", import.meta.url),
};

let embedded: ((variant: KernelVariant) => Uint8Array) | null = null;

/**
 * Makes the kernels come from bytes given here instead of the .wasm assets (single-file
 * builds). Internal: deriva/wasm-inline calls it.
 */
export function setKernelBytes(bytesOf: (variant: KernelVariant) => Uint8Array): void {
  embedded = bytesOf;
}

/** The URL the variant is loaded from, or null where none can be formed. */
export function kernelUrl(variant: KernelVariant): URL | null {
  try {
    return URLS[variant]();
  } catch {
    return null;
  }
}

interface NodeFs {
  readFileSync(path: URL): Uint8Array;
}

/**
 * The variant's bytes where they can be had synchronously: embedded bytes, or the asset read
 * from disk in Node. Null elsewhere (a browser fetches: kernelBytesAsync).
 */
export function kernelBytesSync(variant: KernelVariant): Uint8Array | null {
  if (embedded) return embedded(variant);
  const url = kernelUrl(variant);
  const fs = nodeModule<NodeFs>("node:fs");
  if (url?.protocol !== "file:" || !fs) return null;
  try {
    return fs.readFileSync(url);
  } catch {
    return null;
  }
}

interface FetchResponse {
  ok: boolean;
  status: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The variant's bytes by any means: as kernelBytesSync, else fetched by URL. Null if unreachable. */
export async function kernelBytesAsync(variant: KernelVariant): Promise<Uint8Array | null> {
  const bytes = kernelBytesSync(variant);
  if (bytes) return bytes;
  const url = kernelUrl(variant);
  const fetch = (globalThis as { fetch?: (url: URL) => Promise<FetchResponse> }).fetch;
  if (!url || !fetch) return null;
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`deriva: cannot load the WebAssembly kernels from ${url} (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}
