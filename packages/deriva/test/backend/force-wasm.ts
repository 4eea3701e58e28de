/**
 * Sends every call of the WebAssembly backend to its WebAssembly kernels (no size threshold)
 * and, with `split`, lets every call split across threads. Returns a restore function. Without
 * it, the small inputs tests use would all take the JavaScript paths.
 */
import { tuning } from "../../src/backend/wasm/split.js";

export function forceWasmKernels({ split = true } = {}): () => void {
  const saved = { ...tuning };
  tuning.matmulMinWork = 0;
  tuning.gemvMinWork = 0;
  tuning.convMinWork = 0;
  tuning.poolMinSize = 0;
  tuning.elementwiseMinSize = 0;
  tuning.reduceMinSize = 0;
  tuning.expMinSize = 0;
  if (split) {
    tuning.workPerThread = 1;
    tuning.elementsPerThread = 1;
    tuning.updateElementsPerThread = 1;
  }
  return () => Object.assign(tuning, saved);
}
