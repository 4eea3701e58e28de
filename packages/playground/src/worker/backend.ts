/** The backend switch: js, wasm on one thread, or wasm on as many threads as the page can have. */
import { getBackend, getNumThreads, ready, setBackend, setNumThreads, wasmInfo } from "deriva";
import type { BackendChoice, BackendInfo } from "./protocol";

let started: Promise<number> | null = null;

/** Loads the kernels (and, in a cross-origin-isolated page, their thread pool) once; resolves with the most threads. */
function start(): Promise<number> {
  started ??= ready().then(() => getNumThreads());
  return started;
}

/** Switches the backend (null: leaves it) and says what runs now. */
export async function switchBackend(choice: BackendChoice | null): Promise<BackendInfo> {
  const maxThreads = await start();
  const simd = wasmInfo()?.simd ?? null;
  if (choice !== null) {
    await setBackend(choice === "js" ? "js" : "wasm");
    if (choice !== "js") setNumThreads(choice === "wasm-threads" ? maxThreads : 1);
  }
  const available: BackendChoice[] = ["js"];
  if (simd !== null) available.push("wasm");
  if (simd !== null && maxThreads > 1) available.push("wasm-threads");
  const backend = getBackend();
  return {
    backend,
    threads: backend === "wasm" ? getNumThreads() : 1,
    maxThreads,
    isolated: globalThis.crossOriginIsolated === true,
    simd,
    available,
  };
}

/** Steps per second over a timed stretch of work. */
export function rate(steps: number, since: number): number {
  const seconds = (performance.now() - since) / 1000;
  return seconds > 0 ? steps / seconds : 0;
}
