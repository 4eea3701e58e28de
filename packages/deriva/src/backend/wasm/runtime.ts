/**
 * Loads the kernels: picks the build this engine runs (relaxed SIMD where the engine validates
 * it, else SIMD128; shared memory where threads are possible), gets that one build's bytes
 * (kernel-files.ts), compiles them, and instantiates them on a fresh memory with its arena and
 * thread pool.
 */
import type { KernelExports } from "./exports.js";
import { simdSupport } from "./features.js";
import { CONTROL_BYTES, Heap } from "./heap.js";
import { type KernelVariant, kernelBytesAsync, kernelBytesSync } from "./kernel-files.js";
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

interface Build {
  readonly simd: SimdLevel;
  readonly shared: boolean;
  readonly variant: KernelVariant;
}

/** The build this engine runs, or null where it has no WebAssembly SIMD. */
function pickBuild(wasm: WasmApi, allowRelaxed: boolean): Build | null {
  const support = simdSupport(wasm);
  if (!support.simd) return null;
  const simd: SimdLevel = support.relaxed && allowRelaxed ? "relaxed" : "simd128";
  const shared = platform().sharedMemory && typeof SharedArrayBuffer === "function";
  const variant =
    `kernels-${simd === "relaxed" ? "relaxed" : "simd"}${shared ? "-threads" : ""}` as KernelVariant;
  return { simd, shared, variant };
}

/** Instantiates a compiled build on a fresh memory, with its arena and thread pool. */
function instantiate(wasm: WasmApi, module: WasmModule, build: Build): WasmRuntime {
  const memory = new wasm.Memory({
    initial: CONTROL_BYTES / 65536 + 16,
    maximum: MAX_PAGES,
    shared: build.shared,
  });
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
    simd: build.simd,
    kernels,
    heap: new Heap(memory, MAX_PAGES * 65536),
    pool: new ThreadPool(kernels, module, memory, platform()),
  };
}

/**
 * Loads the kernels synchronously, or returns null where this engine cannot run them (no
 * WebAssembly, no SIMD), cannot read them synchronously (a browser fetches them:
 * loadRuntimeAsync), or will not compile them synchronously (a browser's main thread refuses
 * modules over 4 KB). `allowRelaxed: false` forces the SIMD128 build (tests compare both).
 */
export function loadRuntime(allowRelaxed = true): WasmRuntime | null {
  const wasm = wasmApi;
  if (!wasm) return null;
  const build = pickBuild(wasm, allowRelaxed);
  const bytes = build && kernelBytesSync(build.variant);
  if (!build || !bytes) return null;
  let module: WasmModule;
  try {
    module = new wasm.Module(bytes);
  } catch {
    return null;
  }
  return instantiate(wasm, module, build);
}

/**
 * The same by fetching and WebAssembly.compile (allowed everywhere); null where the engine has
 * no SIMD or the kernels cannot be reached; rejects when fetching them fails.
 */
export async function loadRuntimeAsync(): Promise<WasmRuntime | null> {
  const wasm = wasmApi;
  if (!wasm?.compile) return null;
  const build = pickBuild(wasm, true);
  const bytes = build && (await kernelBytesAsync(build.variant));
  if (!build || !bytes) return null;
  return instantiate(wasm, await wasm.compile(bytes), build);
}
