/**
 * The WebAssembly SIMD ceiling of this machine, the yardstick for W1: the GFLOP/s of a loop of
 * 12 independent f32x4 multiply-add chains, enough to hide the latency of the operations, so that
 * only their throughput counts. Two kernels, compiled here from AssemblyScript (a devDependency):
 * SIMD128 (f32x4.mul then f32x4.add, what base WebAssembly SIMD offers) and relaxed SIMD
 * (f32x4.relaxed_madd, a fused multiply-add where the engine emits one). Each runs in a fresh
 * Node (bench/ceiling/simd-peak.mjs) on 1 thread and on `threads` worker threads; relaxed SIMD
 * gets --experimental-wasm-relaxed-simd when this Node needs it (Node 20). The compiler is loaded
 * only here, when the ceiling is asked for: loading it takes seconds.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Summary, summarize } from "./lib/stats.js";
import { formatNumber } from "./lib/timing.js";

const CHAINS = 12;
const RUNNER = fileURLToPath(new URL("./ceiling/simd-peak.mjs", import.meta.url));
const RELAXED_FLAG = "--experimental-wasm-relaxed-simd";

export type CeilingKind = "simd128" | "relaxed";

export interface Ceiling {
  readonly kind: CeilingKind;
  readonly threads: number;
  /** GFLOP/s over the repeats; absent when this Node cannot run the kernel (`note` says why). */
  readonly value?: Summary;
  readonly note?: string;
}

export const CEILING_NAMES: Record<CeilingKind, string> = {
  simd128: "SIMD128 f32x4 mul + add",
  relaxed: "relaxed SIMD f32x4.relaxed_madd",
};

/** The AssemblyScript kernel: `iterations` rounds of a ← a·m + c on each of the 12 chains. */
function kernelSource(kind: CeilingKind): string {
  const chains = Array.from({ length: CHAINS }, (_, i) => i);
  const madd = (a: string) =>
    kind === "relaxed" ? `f32x4.relaxed_madd(${a}, m, c)` : `f32x4.add(f32x4.mul(${a}, m), c)`;
  return [
    "export function peak(iterations: i32): f32 {",
    "  const m = f32x4.splat(0.9999999);",
    "  const c = f32x4.splat(0.0000001);",
    ...chains.map((i) => `  let a${i} = f32x4.splat(${(1 + i / 100).toFixed(2)});`),
    "  for (let i = 0; i < iterations; i++) {",
    ...chains.map((i) => `    a${i} = ${madd(`a${i}`)};`),
    "  }",
    `  const sum = ${chains.slice(1).reduce((sum, i) => `f32x4.add(${sum}, a${i})`, "a0")};`,
    "  return f32x4.extract_lane(sum, 0);",
    "}",
  ].join("\n");
}

async function compile(kind: CeilingKind): Promise<Uint8Array> {
  const features = kind === "relaxed" ? ["simd", "relaxed-simd"] : ["simd"];
  const { default: asc } = await import("assemblyscript/asc");
  const { binary, stderr } = await asc.compileString(kernelSource(kind), {
    optimizeLevel: 3,
    runtime: "stub",
    enable: features,
  });
  if (!binary) throw new Error(`simd-ceiling: the ${kind} kernel did not compile: ${stderr.toString()}`);
  return binary;
}

/** GFLOP/s of each repeat, or null when this Node cannot compile the kernel even with the flag. */
function run(file: string, threads: number, iterations: number, repeats: number, flags: string[]) {
  // --no-liftoff: optimized code from the first call (a single long call never tiers up)
  const args = ["--no-liftoff", ...flags, RUNNER, file, String(threads), String(iterations), String(repeats)];
  const child = spawnSync(process.execPath, args, { encoding: "utf8" });
  if (child.status === 2) return null;
  if (child.status !== 0) throw new Error(`simd-ceiling: ${child.stderr.trim().split("\n").at(-1)}`);
  return (JSON.parse(child.stdout.trim().split("\n").at(-1)!) as { gflops: number[] }).gflops;
}

/** Both kernels on 1 thread and on `threads` threads (when > 1). */
export async function measureCeilings(threads: number, quick: boolean): Promise<Ceiling[]> {
  const folder = mkdtempSync(join(tmpdir(), "deriva-simd-ceiling-"));
  const iterations = quick ? 10_000_000 : 80_000_000;
  const repeats = quick ? 3 : 5;
  const threadCounts = threads > 1 ? [1, threads] : [1];
  const ceilings: Ceiling[] = [];
  try {
    for (const kind of ["simd128", "relaxed"] as const) {
      const file = join(folder, `${kind}.wasm`);
      writeFileSync(file, await compile(kind));
      let flags: string[] = [];
      for (const t of threadCounts) {
        let gflops = run(file, t, iterations, repeats, flags);
        if (gflops === null && kind === "relaxed" && flags.length === 0) {
          flags = [RELAXED_FLAG];
          gflops = run(file, t, iterations, repeats, flags);
        }
        if (gflops === null) ceilings.push({ kind, threads: t, note: "not supported by this Node" });
        else
          ceilings.push({ kind, threads: t, value: summarize(gflops), note: flags.join(" ") || undefined });
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return ceilings;
}

export const CEILING_HEADER = ["kernel", "threads", "median GFLOP/s", "min–max", "Node flag"];

/** A table row of a ceiling. */
export function describeCeiling(ceiling: Ceiling): string[] {
  const fmt = (v: number) => formatNumber(v, 1);
  const { value } = ceiling;
  return [
    CEILING_NAMES[ceiling.kind],
    String(ceiling.threads),
    value ? fmt(value.median) : (ceiling.note ?? "–"),
    value ? `${fmt(value.min)}–${fmt(value.max)}` : "",
    value ? (ceiling.note ?? "none") : "",
  ];
}
