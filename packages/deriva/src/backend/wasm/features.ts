/**
 * What this engine's WebAssembly accepts, probed with two tiny modules (the technique of
 * wasm-feature-detect), so that only the kernel build it can run is ever loaded.
 */
import type { WasmApi } from "./wasm-api.js";

/** A function returning a v128 made by i8x16.splat and i8x16.popcnt: valid where SIMD128 is. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98,
  11,
]);
/** The same with i8x16.relaxed_swizzle: valid where relaxed SIMD is. */
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13, 0, 65, 1, 253, 15, 65, 2,
  253, 15, 253, 128, 2, 11,
]);

/** Whether the engine validates 128-bit SIMD, and relaxed SIMD. */
export function simdSupport(wasm: WasmApi): { simd: boolean; relaxed: boolean } {
  const simd = wasm.validate(SIMD_PROBE);
  return { simd, relaxed: simd && wasm.validate(RELAXED_PROBE) };
}
