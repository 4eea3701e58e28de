/**
 * `deriva bench` from the built binary: it runs the suite of bench/ (here only W5, the quickest
 * workload), prints its table and exits 0; the peers are chosen with --peers; a peer's wrong
 * result fails the run; bad flags end with a one-line error. Nothing is timed here: the figures
 * are printed, never checked.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriva, ensureBuilt } from "./cli.js";

const PYTHON = "/usr/bin/python3";
/** A run of the suite starts tsx and the peers: seconds, or minutes on a busy machine. */
const RUN_TIMEOUT = 300_000;
const hasTorch = spawnSync(PYTHON, ["-c", "import torch"]).status === 0;

describe("deriva bench", () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it(
    "runs a workload and prints its table",
    () => {
      const run = deriva(["bench", "--quick", "--only", "W5", "--peers", "deriva", "--threads", "1"]);
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toContain("W5 scalar descent");
      expect(run.stdout).toMatch(/AMD|Intel|CPU|family/); // every table names the CPU
      expect(run.stdout).toMatch(/deriva wasm\s+1\s+[\d,]+/);
      expect(run.stdout).toContain("final x 2.000000476837158");
      expect(run.stdout).not.toContain("pytorch");
    },
    RUN_TIMEOUT,
  );

  it(
    "runs jax-js in process and reaches the same x",
    () => {
      const run = deriva(["bench", "--quick", "--only", "W5", "--peers", "deriva,jax", "--threads", "1"]);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/jax-js wasm\s+1\s+[\d,]+/);
      expect(run.stdout).toContain("jax-js wasm (1): final x 2.000000476837158");
    },
    RUN_TIMEOUT,
  );

  it.skipIf(!hasTorch && !process.env.CI)(
    "runs PyTorch in a child process and reaches the same x",
    () => {
      const run = deriva(["bench", "--quick", "--only", "W5", "--peers", "torch", "--threads", "1"]);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/pytorch\s+1\s+[\d,]+/);
      expect(run.stdout).toContain("pytorch (1): final x 2.000000476837158");
      expect(run.stdout).toMatch(/pytorch: torch [\d.a-z]+, OpenBLAS/); // the BLAS it used, under the table
    },
    RUN_TIMEOUT,
  );

  describe("with a Python whose results are wrong", () => {
    const folder = mkdtempSync(join(tmpdir(), "deriva-bench-stub-"));
    // answers like bench/pytorch/peer.py, but its W5 descent "ends" at x = 8
    const python = join(folder, "python");
    writeFileSync(
      python,
      `#!${process.execPath}
const meta = { torch: "stub", threads: Number(process.argv.at(-1)), blas: { libraries: [] } };
console.log(JSON.stringify(meta));
require("node:readline")
  .createInterface({ input: process.stdin })
  .on("line", () => console.log(JSON.stringify({ ...meta, seconds: [0.1], result: 8 })));
`,
    );
    chmodSync(python, 0o755);
    afterAll(() => rmSync(folder, { recursive: true, force: true }));

    it(
      "fails the run with the check that caught it",
      () => {
        const run = deriva([
          "bench",
          "--quick",
          "--only",
          "W5",
          "--peers",
          "torch",
          "--threads",
          "1",
          "--python",
          python,
        ]);
        expect(run.status).toBe(1);
        expect(run.stderr).toContain(
          "check failed: W5 pytorch (1 thread): x ends at 8, not within 1e-6 of 2",
        );
        expect(run.stderr.trim().split("\n").at(-1)).toMatch(/^error: bench: a workload failed/);
      },
      RUN_TIMEOUT,
    );
  });

  it(
    "leaves out a PyTorch that is not there, and says so",
    () => {
      const run = deriva([
        "bench",
        "--quick",
        "--only",
        "W5",
        "--peers",
        "deriva,torch",
        "--python",
        "/nonexistent/python3",
      ]);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain("PyTorch left out: no Python interpreter at /nonexistent/python3");
      expect(run.stdout).not.toMatch(/^\s*pytorch\s/m);
    },
    RUN_TIMEOUT,
  );

  it(
    "refuses a bad thread count with a one-line error",
    () => {
      const run = deriva(["bench", "--only", "W5", "--threads", "zero"]);
      expect(run.status).toBe(1);
      expect(run.stderr.trim().split("\n").at(-1)).toMatch(
        /^error: bench: (--threads must be a positive integer|a workload failed)/,
      );
    },
    RUN_TIMEOUT,
  );

  it(
    "refuses an unknown peer with a one-line error",
    () => {
      const run = deriva(["bench", "--only", "W5", "--peers", "deriva,numpy"]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("bench: --peers knows deriva, tfjs, jax, torch, not numpy");
    },
    RUN_TIMEOUT,
  );
});
