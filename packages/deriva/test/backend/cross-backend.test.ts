/**
 * The WebAssembly backend against the JavaScript reference on the same random inputs, for every
 * kernel of the interface: float32 within 1e-5 and float64 within 1e-12 (normwise relative),
 * integer outputs (argmax, casts) exactly; the optimizers' updates bit for bit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "../../src/index.js";
import { jsBackend } from "../../src/backend/js/index.js";
import { createWasmBackend, wasmRuntime } from "../../src/backend/wasm/index.js";
import { KERNEL_CASES, relativeError, toleranceFor } from "./cases.js";
import { forceWasmKernels } from "./force-wasm.js";

describe.runIf(wasmRuntime() !== null)("wasm backend agrees with the js backend", () => {
  let restore: () => void = () => {};
  beforeAll(() => {
    restore = forceWasmKernels();
  });
  afterAll(() => restore());
  const wasm = createWasmBackend(wasmRuntime()!);

  for (const [kernel, cases] of Object.entries(KERNEL_CASES)) {
    describe(kernel, () => {
      it.each(cases.map((c) => [c.label, c] as const))("%s", (label, c) => {
        const expected = c.run(jsBackend);
        const actual = c.run(wasm);
        expect(actual.length).toBe(expected.length);
        for (let i = 0; i < expected.length; i++) {
          expect(relativeError(actual[i]!, expected[i]!), `${label}, output ${i}`).toBeLessThanOrEqual(
            toleranceFor(label),
          );
        }
      });
    });
  }

  it.each([...KERNEL_CASES.sgdUpdate, ...KERNEL_CASES.adamUpdate].map((c) => [c.label, c] as const))(
    "%s gives the reference's bits (both compute in f64, in one order)",
    (_label, c) => {
      expect(c.run(wasm)).toEqual(c.run(jsBackend));
    },
  );

  it("is registered, selected by default and reports its SIMD level", async () => {
    const { getBackend, listBackends } = await import("../../src/index.js");
    expect(listBackends()).toContain("wasm");
    expect(getBackend()).toBe("wasm");
    expect(["simd128", "relaxed"]).toContain(wasmRuntime()!.simd);
  });
});
