/**
 * Runs the SIMD peak kernel (compiled by bench/simd-ceiling.ts) on `threads` threads at once and
 * prints one JSON line: the GFLOP/s of each repeat, all threads together. Plain JavaScript, so
 * that it runs in a fresh Node (with or without --experimental-wasm-relaxed-simd) and in its own
 * worker threads without a TypeScript loader.
 *
 *   node [--experimental-wasm-relaxed-simd] bench/ceiling/simd-peak.mjs <kernel.wasm> <threads> <iterations> <repeats>
 *
 * Exits 2 when this Node cannot compile the kernel (relaxed SIMD behind a flag).
 */
import { readFileSync } from "node:fs";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

/** Floating-point operations of one loop iteration: 12 chains × 4 lanes × (multiply + add). */
const FLOPS_PER_ITERATION = 96;

if (isMainThread) {
  const [file, threadText, iterationText, repeatText] = process.argv.slice(2);
  const bytes = readFileSync(file);
  if (!WebAssembly.validate(bytes)) {
    console.error("this Node cannot compile the kernel");
    process.exit(2);
  }
  const threads = Number(threadText);
  const iterations = Number(iterationText);
  const workers = Array.from(
    { length: threads },
    () => new Worker(new URL(import.meta.url), { workerData: { bytes, iterations } }),
  );
  const next = (worker) => new Promise((resolve) => worker.once("message", resolve));
  await Promise.all(workers.map(next)); // compiled and warmed up
  const gflops = [];
  for (let r = 0; r < Number(repeatText); r++) {
    const done = workers.map(next);
    for (const worker of workers) worker.postMessage("run");
    const seconds = Math.max(...(await Promise.all(done)));
    gflops.push((threads * iterations * FLOPS_PER_ITERATION) / seconds / 1e9);
  }
  for (const worker of workers) await worker.terminate();
  console.log(JSON.stringify({ gflops }));
} else {
  const { bytes, iterations } = workerData;
  const { peak } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
  peak(Math.max(1, iterations >> 4));
  parentPort.postMessage(0);
  parentPort.on("message", () => {
    const start = process.hrtime.bigint();
    peak(iterations);
    parentPort.postMessage(Number(process.hrtime.bigint() - start) / 1e9);
  });
}
