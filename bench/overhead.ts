/**
 * Per-op dispatch overhead: how much a tiny op costs beyond its arithmetic, and what that means for
 * the founding document's small examples, on every registered backend (or only the one named by
 * `--backend`). Run: `npx tsx bench/overhead.ts [--backend js] [--cpu]` or `npm run bench:overhead`.
 * `--cpu` times runs by this process's CPU time instead of the wall clock (for a busy shared machine).
 *
 * - dispatch: `a.add(b)` on 1- and 16-element float32 tensors in a loop (ns per op), plain and
 *   with an input that requires grad (the op is then recorded for differentiation).
 * - W5 (bench/WORKLOADS.md): 10,000 steps of x ← x − 0.1·f′(x), f = x² − 4x + 6, x0 = 8, f′ from grad,
 *   float32 scalar; checked |x − 2| < 1e-5.
 * - W4: a sigmoid neuron ŷ = σ(Xw + b) on the 256 two-blob points, cost 1/(2N)·Σ(ŷ − y)²,
 *   2,000 full-batch steps of lr 0.5 through grad; checked against the reference parameters.
 * Each figure is the median of 5 timed runs after one warm-up run, with the min–max range.
 */
import { grad, listBackends, matmul, setBackend, sigmoid, type Tensor, tensor, zeros } from "deriva";
import { twoBlobs } from "./lib/data.js";
import { cpuNow, formatNumber, formatTable, now, type Timing, timeRuns } from "./lib/timing.js";

const useCpuTime = process.argv.includes("--cpu");
const clock = useCpuTime ? cpuNow : now;
const time = (run: () => void): Timing => timeRuns(run, 5, clock);

function check(ok: boolean, what: string): void {
  if (!ok) {
    console.error(`check failed: ${what}`);
    process.exit(1);
  }
}

interface Measure {
  readonly name: string;
  readonly unit: "ns/op" | "steps/s";
  readonly timing: Timing;
  /** Ops or steps in one timed run. */
  readonly perRun: number;
}

function cells(backend: string, m: Measure): string[] {
  const value = (seconds: number) => (m.unit === "ns/op" ? (seconds / m.perRun) * 1e9 : m.perRun / seconds);
  const [lo, hi] = m.unit === "ns/op" ? [m.timing.min, m.timing.max] : [m.timing.max, m.timing.min];
  const range = `${formatNumber(value(lo))}–${formatNumber(value(hi))}`;
  return [backend, m.name, formatNumber(value(m.timing.median)), range, m.unit];
}

// ── dispatch cost of one tiny elementwise op ───────────────────────────────────────────

const DISPATCH_OPS = 200_000;

function dispatch(name: string, size: number, requiresGrad: boolean): Measure {
  const a = tensor(new Float32Array(size).fill(1.5), { requiresGrad });
  const b = tensor(new Float32Array(size).fill(0.25));
  let sink = 0;
  const timing = time(() => {
    for (let i = 0; i < DISPATCH_OPS; i++) sink += a.add(b).size;
  });
  check(sink > 0, "dispatch loop ran");
  return { name, unit: "ns/op", timing, perRun: DISPATCH_OPS };
}

// ── W5: the seed's scalar gradient descent ─────────────────────────────────────────────

const W5_STEPS = 10_000;

function scalarDescent(): Measure {
  const parabola = (x: Tensor) => x.pow(2).sub(x.mul(4)).add(6);
  const dParabola = grad(parabola);
  let last = 0;
  const timing = time(() => {
    let x = tensor(8);
    for (let step = 0; step < W5_STEPS; step++) x = x.sub(dParabola(x).mul(0.1));
    last = x.item();
  });
  check(Math.abs(last - 2) < 1e-5, `W5 ends at x = ${last}, not within 1e-5 of 2`);
  return { name: "W5 scalar descent", unit: "steps/s", timing, perRun: W5_STEPS };
}

// ── W4: a sigmoid neuron on two blobs ──────────────────────────────────────────────────

const W4_STEPS = 2_000;
const W4_N = 256;

function sigmoidNeuron(): Measure {
  const points = twoBlobs(W4_N);
  const blobs = { x: tensor(points.x, { shape: [W4_N, 2] }), y: tensor(points.y) };
  const cost = (w: Tensor, b: Tensor) =>
    sigmoid(matmul(blobs.x, w).add(b))
      .sub(blobs.y)
      .square()
      .sum()
      .div(2 * W4_N);
  const dCost = grad(cost, { argnums: [0, 1] });
  let w = zeros([2]);
  let b = zeros([]);
  const timing = time(() => {
    w = zeros([2]);
    b = zeros([]);
    for (let step = 0; step < W4_STEPS; step++) {
      const [gw, gb] = dCost(w, b);
      w = w.sub(gw!.mul(0.5));
      b = b.sub(gb!.mul(0.5));
    }
  });
  const [w0, w1] = w.data();
  check(
    Math.abs(w0! - 1.8053) < 1e-3 && Math.abs(w1! - 1.7937) < 1e-3 && Math.abs(b.item() - 0.2883) < 1e-3,
    `W4 ends at w = (${w0}, ${w1}), b = ${b.item()}, expected ≈ (1.8053, 1.7937), 0.2883`,
  );
  return { name: "W4 sigmoid neuron", unit: "steps/s", timing, perRun: W4_STEPS };
}

const backendFlag = process.argv.indexOf("--backend");
const backends = backendFlag >= 0 ? [process.argv[backendFlag + 1]!] : listBackends();
const rows: string[][] = [];
for (const backend of backends) {
  setBackend(backend);
  const measures = [
    dispatch("add, 1 element", 1, false),
    dispatch("add, 16 elements", 16, false),
    dispatch("add, 16 elements, recorded", 16, true),
    scalarDescent(),
    sigmoidNeuron(),
  ];
  for (const m of measures) rows.push(cells(backend, m));
}
const clockName = useCpuTime ? "CPU time" : "wall clock";
console.log(`deriva dispatch overhead, Node ${process.version}, ${clockName}, median of 5 runs [min–max]\n`);
console.log(formatTable(["backend", "measure", "median", "min–max", "unit"], rows));
