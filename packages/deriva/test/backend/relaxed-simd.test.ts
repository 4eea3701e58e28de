/**
 * Both instruction sets: this process runs whatever build the engine picks (SIMD128 on Node 20,
 * whose engine rejects relaxed SIMD without a flag); a child process started with
 * --experimental-wasm-relaxed-simd must pick the relaxed (FMA) build, and there both builds must
 * agree with the JavaScript reference on every kernel case.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { wasmRuntime } from "../../src/backend/wasm/index.js";
import { loadRuntime } from "../../src/backend/wasm/runtime.js";

const probe = fileURLToPath(new URL("./fixtures/relaxed-probe.ts", import.meta.url));

describe.runIf(wasmRuntime() !== null)("relaxed SIMD", () => {
  it("is used only where the engine validates it", () => {
    const relaxedHere = wasmRuntime()!.simd === "relaxed";
    // the SIMD128 build loads on request wherever the default build does
    expect(loadRuntime(false)?.simd).toBe("simd128");
    if (process.versions.node.startsWith("20.")) expect(relaxedHere).toBe(false);
  });

  it("a process with relaxed SIMD enabled runs the FMA build, and both builds match the reference", () => {
    const output = execFileSync(
      process.execPath,
      ["--experimental-wasm-relaxed-simd", "--import", "tsx", probe],
      { encoding: "utf8", timeout: 120_000 },
    );
    const report = JSON.parse(output.trim().split("\n").at(-1)!) as {
      builds: string[];
      failures: string[];
      cases: number;
    };
    expect(report.builds).toEqual(["relaxed", "simd128"]);
    expect(report.failures).toEqual([]);
    expect(report.cases).toBeGreaterThan(100);
  });
});
