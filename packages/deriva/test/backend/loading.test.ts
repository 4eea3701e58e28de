/**
 * Loading the kernels: nothing at import; synchronously on first use in Node (read from the
 * .wasm asset beside the module, selected at once), and by fetch + WebAssembly.compile, the path
 * a browser's main thread takes; both run the same kernels.
 */
import { describe, expect, it } from "vitest";
import { jsBackend } from "../../src/backend/js/index.js";
import { createWasmBackend, wasmRuntime } from "../../src/backend/wasm/index.js";
import { loadRuntimeAsync } from "../../src/backend/wasm/runtime.js";
import { getBackend, listBackends, ready } from "../../src/index.js";
import { KERNEL_CASES, relativeError, toleranceFor } from "./cases.js";
import { forceWasmKernels } from "./force-wasm.js";

describe.runIf(wasmRuntime() !== null)("loading the wasm kernels", () => {
  it("prefers the wasm backend, ready at once in Node", async () => {
    expect(listBackends()).toEqual(["wasm", "js"]);
    expect(getBackend()).toBe("wasm");
    await expect(ready()).resolves.toBe("wasm");
  });

  it("compiles asynchronously to the same kernels", async () => {
    const runtime = await loadRuntimeAsync();
    expect(runtime?.simd).toBe(wasmRuntime()!.simd);
    const restore = forceWasmKernels();
    try {
      const wasm = createWasmBackend(runtime!);
      for (const c of [...KERNEL_CASES.matmul.slice(0, 8), ...KERNEL_CASES.conv2d.slice(0, 2)]) {
        const [expected] = c.run(jsBackend);
        const [actual] = c.run(wasm);
        expect(relativeError(actual!, expected!), c.label).toBeLessThanOrEqual(toleranceFor(c.label));
      }
    } finally {
      restore();
    }
  });
});
