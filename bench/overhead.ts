/**
 * Per-op dispatch overhead: how much a tiny op costs beyond its arithmetic, and what that means for
 * the founding document's small examples. Run: `npx tsx bench/overhead.ts [--backend js]`.
 *
 * - dispatch: `a.add(b)` on 1- and 16-element float32 tensors in a loop (ns per op), plain and
 *   with an input that requires grad (the op is then recorded for differentiation).
 * - W5 (bench/WORKLOADS.md): 10,000 steps of x ← x − 0.1·f′(x), f = x² − 4x + 6, x0 = 8, f′ from grad,
 *   float32 scalar; checked |x − 2| < 1e-5.
 * - W4: a sigmoid neuron ŷ = σ(Xw + b) on the 256 two-blob points, cost 1/(2N)·Σ(ŷ − y)²,
 *   2,000 full-batch steps of lr 0.5 through grad; checked against the reference parameters.
 * Each figure is the median of 5 timed runs after one warm-up run, with the min–max range.
 */
import { getBackend, grad, matmul, setBackend, sigmoid, type Tensor, tensor, zeros } from "../src/index.js";
import { formatNumber, formatTable, type Timing, timeRuns } from "./lib/timing.js";

const backendFlag = process.argv.indexOf("--backend");
if (backendFlag >= 0) setBackend(process.argv[backendFlag + 1]!);

function check(ok: boolean, what: string): void {
  if (!ok) {
    console.error(`check failed: ${what}`);
    process.exit(1);
  }
}

const rows: string[][] = [];
function report(name: string, unit: string, timing: Timing, perRun: number, per: "time" | "rate"): void {
  // per "time": ns per unit of work; per "rate": units of work per second
  const value = (seconds: number) => (per === "time" ? (seconds / perRun) * 1e9 : perRun / seconds);
  const [lo, hi] = per === "time" ? [timing.min, timing.max] : [timing.max, timing.min];
  rows.push([
    name,
    formatNumber(value(timing.median)),
    `${formatNumber(value(lo))}–${formatNumber(value(hi))}`,
    unit,
  ]);
}

// ── dispatch cost of one tiny elementwise op ───────────────────────────────────────────

const DISPATCH_OPS = 200_000;

function dispatch(size: number, requiresGrad: boolean): Timing {
  const a = tensor(new Float32Array(size).fill(1.5), { requiresGrad });
  const b = tensor(new Float32Array(size).fill(0.25));
  let sink = 0;
  const timing = timeRuns(() => {
    for (let i = 0; i < DISPATCH_OPS; i++) sink += a.add(b).size;
  });
  check(sink > 0, "dispatch loop ran");
  return timing;
}

report("add, 1 element", "ns/op", dispatch(1, false), DISPATCH_OPS, "time");
report("add, 16 elements", "ns/op", dispatch(16, false), DISPATCH_OPS, "time");
report("add, 16 elements, recorded", "ns/op", dispatch(16, true), DISPATCH_OPS, "time");

// ── W5: the seed's scalar gradient descent ─────────────────────────────────────────────

const W5_STEPS = 10_000;
const parabola = (x: Tensor) => x.pow(2).sub(x.mul(4)).add(6);
const dParabola = grad(parabola) as (x: Tensor) => Tensor;
let w5x = 0;
const w5 = timeRuns(() => {
  let x = tensor(8);
  for (let step = 0; step < W5_STEPS; step++) x = x.sub(dParabola(x).mul(0.1));
  w5x = x.item();
});
check(Math.abs(w5x - 2) < 1e-5, `W5 ends at x = ${w5x}, not within 1e-5 of 2`);
report("W5 scalar descent", "steps/s", w5, W5_STEPS, "rate");

// ── W4: a sigmoid neuron on two blobs ──────────────────────────────────────────────────

/** mulberry32, the benchmark suite's PRNG (WORKLOADS.md). */
function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function twoBlobs(n: number): { x: Tensor; y: Tensor } {
  const rand = mulberry32(7);
  const gaussian = () => {
    let u = rand();
    while (u === 0) u = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const xs = new Float32Array(2 * n);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const centre = i < n / 2 ? -1 : 1;
    ys[i] = i < n / 2 ? 0 : 1;
    xs[2 * i] = centre + gaussian();
    xs[2 * i + 1] = centre + gaussian();
  }
  return { x: tensor(xs, { shape: [n, 2] }), y: tensor(ys) };
}

const W4_STEPS = 2_000;
const W4_N = 256;
const blobs = twoBlobs(W4_N);
const neuronCost = (w: Tensor, b: Tensor) =>
  sigmoid(matmul(blobs.x, w).add(b))
    .sub(blobs.y)
    .square()
    .sum()
    .div(2 * W4_N);
const dCost = grad(neuronCost, { argnums: [0, 1] }) as (w: Tensor, b: Tensor) => Tensor[];
let w4w = zeros([2]);
let w4b = zeros([]);
const w4 = timeRuns(() => {
  let w = zeros([2]);
  let b = zeros([]);
  for (let step = 0; step < W4_STEPS; step++) {
    const [gw, gb] = dCost(w, b);
    w = w.sub(gw!.mul(0.5));
    b = b.sub(gb!.mul(0.5));
  }
  w4w = w;
  w4b = b;
});
const [w0, w1] = w4w.data();
check(
  Math.abs(w0! - 1.8053) < 1e-3 && Math.abs(w1! - 1.7937) < 1e-3 && Math.abs(w4b.item() - 0.2883) < 1e-3,
  `W4 ends at w = (${w0}, ${w1}), b = ${w4b.item()}, expected ≈ (1.8053, 1.7937), 0.2883`,
);
report("W4 sigmoid neuron", "steps/s", w4, W4_STEPS, "rate");

console.log(`deriva overhead, backend ${getBackend()}, Node ${process.version}\n`);
console.log(formatTable(["measure", "median", "min–max", "unit"], rows));
console.log(`\nW5 x = ${w5x}; W4 w = (${w0!.toFixed(4)}, ${w1!.toFixed(4)}), b = ${w4b.item().toFixed(4)}`);
