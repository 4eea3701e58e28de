/**
 * deriva/wasm-inline: the WebAssembly kernels embedded in JavaScript, for single-file builds (an
 * IIFE bundle, a page that cannot serve the .wasm assets). Importing it makes deriva take the
 * kernels from these bytes instead of loading the .wasm files by URL, synchronously wherever the
 * engine compiles synchronously. It adds the four builds (about 190 KB of base64) to a bundle,
 * which is why it is opt-in.
 *
 * @example
 * import "deriva/wasm-inline";
 * import { getBackend } from "deriva";
 * getBackend(); // "wasm", with no .wasm file served
 */
import { INLINE_KERNELS } from "./backend/wasm/generated/inline.js";
import { setKernelBytes } from "./backend/wasm/kernel-files.js";

function decode(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

setKernelBytes((variant) => decode(INLINE_KERNELS[variant]!));
