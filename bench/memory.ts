/**
 * Flat memory over long runs, with no dispose() anywhere: a 1,000,000-element float32 tensor through
 * 10,000 chained op calls, then 1,000 gradient-descent steps on a tensor of the same size. Prints the
 * JS heap and typed-array memory (after forced GC) at every tenth of each run and exits 1 if either
 * grew by more than 16 MB (four copies of the tensor) past the first tenth.
 * Run: `npx tsx bench/memory.ts [--size 1000000] [--ops 10000] [--steps 1000]`.
 */
import { chainedOps, descentSteps, growth, type HeapSample } from "./lib/heap.js";
import { formatNumber, formatTable } from "./lib/timing.js";

const LIMIT = 16 * 2 ** 20;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const size = flag("size", 1_000_000);
const mb = (bytes: number) => formatNumber(bytes / 2 ** 20, 1);
let failed = false;

function report(title: string, unit: string, run: () => { samples: HeapSample[] }): void {
  const start = performance.now();
  const { samples } = run();
  const seconds = (performance.now() - start) / 1000;
  const g = growth(samples);
  console.log(`\n${title} (${formatNumber(seconds, 1)} s)`);
  console.log(
    formatTable(
      [unit, "heapUsed MB", "arrayBuffers MB"],
      samples.map((s) => [formatNumber(s.done), mb(s.heapUsed), mb(s.arrayBuffers)]),
    ),
  );
  const ok = g.heapUsed < LIMIT && g.arrayBuffers < LIMIT;
  console.log(
    `growth after the first tenth: heap ${mb(g.heapUsed)} MB, arrays ${mb(g.arrayBuffers)} MB: ${ok ? "flat" : "GROWING"}`,
  );
  if (!ok) failed = true;
}

const ops = flag("ops", 10_000);
const steps = flag("steps", 1_000);
report(`${formatNumber(size)}-element float32 tensor through ${formatNumber(ops)} chained ops`, "ops", () =>
  chainedOps(size, ops),
);
report(`${formatNumber(steps)} gradient steps on ${formatNumber(size)} parameters`, "steps", () =>
  descentSteps(size, steps),
);
if (failed) process.exit(1);
