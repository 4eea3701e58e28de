/**
 * Loads the kernels: picks the build this engine runs (relaxed SIMD when WebAssembly.validate
 * accepts it, else SIMD128; shared memory when threads are possible), compiles the embedded
 * bytes, and instantiates them on a fresh memory with its arena and thread pool.
 */
import type { KernelExports } from "./exports.js";
import { RELAXED_PLAIN, RELAXED_SHARED, SIMD_PLAIN, SIMD_SHARED } from "./generated/kernels.js";
import { CONTROL_BYTES, Heap } from "./heap.js";
import { platform } from "./platform.js";
import { ThreadPool } from "./threads.js";
import { type WasmApi, type WasmModule, wasmApi } from "./wasm-api.js";

/** Which instruction set the kernels were compiled for. */
export type SimdLevel = "relaxed" | "simd128";

export interface WasmRuntime {
  readonly simd: SimdLevel;
  readonly kernels: KernelExports;
  readonly heap: Heap;
  readonly pool: ThreadPool;
}

/** 2 GiB: what the arena may grow to (kernel calls beyond it run in JavaScript). */
const MAX_PAGES = 32768;

function decode(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The first build this engine validates, or null when it has no SIMD at all. */
function pickBuild(
  wasm: WasmApi,
  shared: boolean,
  allowRelaxed: boolean,
): { simd: SimdLevel; bytes: Uint8Array } | null {
  const candidates: [SimdLevel, string][] = shared
    ? [
        ["relaxed", RELAXED_SHARED],
        ["simd128", SIMD_SHARED],
      ]
    : [
        ["relaxed", RELAXED_PLAIN],
        ["simd128", SIMD_PLAIN],
      ];
  for (const [simd, base64] of candidates) {
    if (simd === "relaxed" && !allowRelaxed) continue;
    const bytes = decode(base64);
    if (wasm.validate(bytes)) return { simd, bytes };
  }
  return null;
}

/** Instantiates a compiled build on a fresh memory, with its arena and thread pool. */
function instantiate(wasm: WasmApi, module: WasmModule, simd: SimdLevel, shared: boolean): WasmRuntime {
  const memory = new wasm.Memory({ initial: CONTROL_BYTES / 65536 + 16, maximum: MAX_PAGES, shared });
  const instance = new wasm.Instance(module, {
    env: {
      memory,
      abort() {
        throw new Error("wasm kernel aborted");
      },
    },
  });
  const kernels = instance.exports as unknown as KernelExports;
  return {
    simd,
    kernels,
    heap: new Heap(memory, MAX_PAGES * 65536),
    pool: new ThreadPool(kernels, module, memory, platform),
  };
}

function usesSharedMemory(): boolean {
  return platform.sharedMemory && typeof SharedArrayBuffer === "function";
}

/**
 * Loads the kernels synchronously, or returns null where this engine cannot run them (no
 * WebAssembly, no SIMD) or will not compile them synchronously (a browser's main thread refuses
 * modules over 4 KB: loadRuntimeAsync covers it). `allowRelaxed: false` forces the SIMD128
 * build (tests compare both).
 */
export function loadRuntime(allowRelaxed = true): WasmRuntime | null {
  const wasm = wasmApi;
  if (!wasm) return null;
  const shared = usesSharedMemory();
  const build = pickBuild(wasm, shared, allowRelaxed);
  if (!build) return null;
  let module: WasmModule;
  try {
    module = new wasm.Module(build.bytes);
  } catch {
    return null;
  }
  return instantiate(wasm, module, build.simd, shared);
}

/** The same by WebAssembly.compile (allowed everywhere); null where the engine has no SIMD. */
export async function loadRuntimeAsync(): Promise<WasmRuntime | null> {
  const wasm = wasmApi;
  if (!wasm?.compile) return null;
  const shared = usesSharedMemory();
  const build = pickBuild(wasm, shared, true);
  if (!build) return null;
  return instantiate(wasm, await wasm.compile(build.bytes), build.simd, shared);
}
