/**
 * Runs a describe block once per registered backend, so every backend passes the same suite
 * (the coming WebAssembly backend included). The previous backend is restored after each test.
 */
import { afterEach, beforeEach, describe } from "vitest";
import { getBackend, listBackends, setBackend } from "../../src/index.js";
import { forceWasmKernels } from "../backend/force-wasm.js";

export function describeEachBackend(title: string, body: (backend: string) => void): void {
  describe.each(listBackends())(`${title} [backend %s]`, (name) => {
    let previous = getBackend();
    // on wasm, even the suite's small inputs take the WebAssembly kernels (not the small-size JS paths)
    let restoreDispatch = () => {};
    beforeEach(() => {
      previous = getBackend();
      setBackend(name);
      if (name === "wasm") restoreDispatch = forceWasmKernels({ split: false });
    });
    afterEach(() => {
      setBackend(previous);
      restoreDispatch();
      restoreDispatch = () => {};
    });
    body(name);
  });
}
