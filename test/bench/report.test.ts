/**
 * The benchmark suite's reporting (bench/lib): ratios to the best peer and to the best
 * TensorFlow.js backend, the summary against issue 13's targets, the CPU's Zen generation and the
 * BLAS description, and the alternating rounds' order and ratios. Nothing is timed: the tables
 * and figures are made up.
 */
import { describe, expect, it } from "vitest";
import { runAlternating, type Stretch, WARMUP_STRETCHES } from "../../bench/lib/alternating.js";
import { zenGeneration } from "../../bench/lib/machine.js";
import { type Row, ratioToBestPeer, ratioToTfjs, type Table } from "../../bench/lib/report.js";
import { summaryLines } from "../../bench/lib/summary.js";
import { describeBlas } from "../../bench/lib/torch.js";

const row = (peer: string, lib: Row["lib"], threads: number, median: number): Row => ({
  peer,
  lib,
  threads,
  value: { median, min: median, max: median },
});

const w2: Table = {
  title: "W2 MLP training 784-128-10, batch 64",
  unit: "samples/s",
  higherIsBetter: true,
  method: "epochs 1..3",
  rows: [
    row("deriva wasm nn", "deriva", 2, 30_000),
    row("deriva wasm functional", "deriva", 2, 60_000),
    row("tfjs wasm", "tfjs", 1, 7_500),
    row("jax-js wasm", "jax", 1, 25_000),
    row("pytorch", "torch", 1, 50_000),
    row("pytorch", "torch", 2, 40_000),
  ],
};

const w3: Table = {
  title: "W3 CNN training step, batch 64",
  unit: "ms/step",
  higherIsBetter: false,
  method: "20 timed steps",
  rows: [
    row("deriva wasm nn", "deriva", 2, 20),
    row("tfjs wasm", "tfjs", 1, 50),
    row("pytorch", "torch", 1, 10),
  ],
};

describe("bench reports", () => {
  it("gives each row's ratio to the best peer, whichever library it is", () => {
    expect(ratioToBestPeer(w2, w2.rows[0]!)).toBeCloseTo(0.6);
    expect(ratioToBestPeer(w2, w2.rows[1]!)).toBeCloseTo(1.2);
    expect(ratioToBestPeer(w2, w2.rows[3]!)).toBeCloseTo(0.5);
    expect(ratioToTfjs(w2, w2.rows[0]!)).toBeCloseTo(4);
    // times: lower is better, so the ratio is best / row
    expect(ratioToBestPeer(w3, w3.rows[0]!)).toBeCloseTo(0.5);
    expect(ratioToTfjs(w3, w3.rows[0]!)).toBeCloseTo(2.5);
  });

  it("summarizes W2 and W3 as deriva on its most threads against PyTorch on 1 thread", () => {
    const lines = summaryLines([w2, w3], [], "simd128 WebAssembly build");
    expect(lines).toContain(
      "W2, nn API: deriva on 2 threads 30000 samples/s vs PyTorch on 1 thread 50000: 0.60× (target ≥ 1: not met)",
    );
    expect(lines).toContain(
      "W2, functional API: deriva on 2 threads 60000 samples/s vs PyTorch on 1 thread 50000: 1.20× (target ≥ 1: met)",
    );
    expect(lines).toContain(
      "W3, nn API: deriva on 2 threads 20.0 ms/step vs PyTorch on 1 thread 10.0: 0.50× (target ≥ 1: not met)",
    );
  });

  it("alternates the contenders round by round, reversed every other round, after their warm-up stretches", async () => {
    const calls: string[] = [];
    // each contender returns its figures in turn, after its warm-up stretches (99)
    const contender = (peer: string, rounds: number[]): Stretch => {
      const figures = [...new Array<number>(WARMUP_STRETCHES).fill(99), ...rounds];
      return {
        peer,
        threads: peer === "pytorch" ? 1 : 2,
        measure: async () => {
          calls.push(peer);
          return figures.shift()!;
        },
      };
    };
    const [nn, functional] = await runAlternating(
      [
        {
          name: "W3",
          unit: "ms/step",
          higherIsBetter: false,
          stretch: "10 steps",
          deriva: [
            contender("deriva wasm nn", [10, 20, 10]),
            contender("deriva wasm functional", [40, 40, 40]),
          ],
          torch: contender("pytorch", [20, 10, 30]),
        },
      ],
      3,
    );
    const [d, f, t] = ["deriva wasm nn", "deriva wasm functional", "pytorch"];
    const warmUp = (peer: string) => new Array<string>(WARMUP_STRETCHES).fill(peer);
    expect(calls).toEqual([...warmUp(d), ...warmUp(f), ...warmUp(t), d, f, t, t, f, d, d, f, t]);
    // times: the ratio is PyTorch's time over deriva's, per round, warm-ups left out
    expect(nn!.ratios).toEqual([2, 0.5, 3]);
    expect(nn!.medianRatio).toBe(2);
    expect(functional!.ratios).toEqual([0.5, 0.25, 0.75]);
    expect(functional!.medianRatio).toBe(0.5);
  });

  it("takes the targets' verdicts from the alternating rounds where they ran", () => {
    const rounds = {
      workload: "W2",
      unit: "samples/s",
      stretch: "one epoch",
      peer: "deriva wasm nn",
      threads: 2,
      deriva: [60_000, 40_000, 55_000],
      torch: [50_000, 50_000, 50_000],
      ratios: [1.2, 0.8, 1.1],
      medianRatio: 1.1,
    };
    const lines = summaryLines([w2], [], "simd128 WebAssembly build", [rounds]);
    expect(lines).toContain(
      "W2, nn API: deriva on 2 threads 30000 samples/s vs PyTorch on 1 thread 50000: 0.60× in its table, timed minutes apart",
    );
    expect(lines).toContain(
      "W2, nn API, 3 alternating rounds of one epoch: deriva on 2 threads 55,000 samples/s vs PyTorch on 1 thread 50,000 (medians); rounds 1.20, 0.80, 1.10; median 1.10× (target ≥ 1: met)",
    );
    // the functional API had no rounds: its table gives the verdict
    expect(lines).toContain(
      "W2, functional API: deriva on 2 threads 60000 samples/s vs PyTorch on 1 thread 50000: 1.20× (target ≥ 1: met)",
    );
  });

  it("gives W1 as a share of the measured SIMD ceiling and against tfjs wasm", () => {
    const w1: Table = {
      title: "W1 matmul n=512",
      unit: "GFLOP/s",
      higherIsBetter: true,
      method: "10 repeats",
      rows: [
        row("deriva wasm", "deriva", 1, 36),
        row("tfjs wasm", "tfjs", 1, 30),
        row("pytorch", "torch", 1, 100),
      ],
    };
    const ceiling = { kind: "simd128" as const, threads: 1, value: { median: 40, min: 39, max: 41 } };
    const [line] = summaryLines([w1], [ceiling], "simd128 WebAssembly build");
    expect(line).toBe(
      "W1 n=512: deriva wasm 1 thread 36.0 GFLOP/s; 90 % of the SIMD128 ceiling 40.0 (target ≥ 85 %: met); 1.20× tfjs wasm (target > 1: met); PyTorch/OpenBLAS native, 1 thread: 100",
    );
  });

  it("names AMD's Zen generation from the CPU family and model", () => {
    expect(zenGeneration(26, 2)).toBe("Zen 5");
    expect(zenGeneration(25, 17)).toBe("Zen 4");
    expect(zenGeneration(25, 1)).toBe("Zen 3");
    expect(zenGeneration(23, 49)).toBe("Zen 2");
    expect(zenGeneration(6, 85)).toBeNull();
  });

  it("says which BLAS PyTorch called", () => {
    const openblas = {
      libraries: ["/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so"],
      name: "openblas",
      version: "0.3.21",
      threading: "pthreads",
      architecture: "Cooperlake",
    };
    expect(describeBlas(openblas)).toBe("OpenBLAS 0.3.21 (pthreads, Cooperlake kernels)");
    expect(describeBlas({ libraries: ["/usr/lib/x86_64-linux-gnu/blas/libblas.so.3"] })).toBe(
      "not OpenBLAS: /usr/lib/x86_64-linux-gnu/blas/libblas.so.3 (install libopenblas0-pthread)",
    );
  });
});
