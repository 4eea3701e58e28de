/**
 * W2's memory: trains the MLP for 20 epochs in a process of its own (peak RSS is per process),
 * sampling the resident set after each epoch. Run by main.ts once per peer:
 *   tsx bench/w2-memory.ts <deriva|tfjs> <epochs>   → one JSON line on stdout
 * Both peers load MNIST with the same loader, so the comparison is of training, not of loading.
 */

import { getNumThreads, wasmInfo } from "deriva";
import { mnist } from "./lib/data.js";
import { collectGarbage } from "./lib/heap.js";
import type { Peer } from "./lib/peers.js";
import { peakResidentSet } from "./lib/resident.js";
import { checkMlp, makeTrainer, trainEpochs } from "./w2-mlp.js";

export interface MemoryReport {
  readonly peer: string;
  readonly threads: number;
  /** Peak resident set of this process (peakResidentSet), bytes. */
  readonly peakRss: number;
  /** Resident set after each epoch, bytes. */
  readonly rssByEpoch: number[];
  /** The JS heap in use after a full garbage collection at the end of each epoch, bytes. */
  readonly heapByEpoch: number[];
  /** ArrayBuffer memory (tensor data) after that collection, bytes. */
  readonly buffersByEpoch: number[];
  /** deriva: the WebAssembly memory's size after each epoch, bytes. */
  readonly wasmByEpoch: number[];
}

const MiB = 1024 * 1024;

async function main(): Promise<void> {
  const [lib, epochText] = process.argv.slice(2);
  const epochs = Number(epochText ?? 20);
  const peer: Exclude<Peer, { lib: "torch" }> =
    lib === "tfjs"
      ? { lib: "tfjs", backend: "wasm", threads: 1 }
      : { lib: "deriva", backend: "wasm", threads: getNumThreads() };
  const set = await mnist();
  const trainer = await makeTrainer(peer);
  const rssByEpoch: number[] = [];
  const heapByEpoch: number[] = [];
  const buffersByEpoch: number[] = [];
  const wasmByEpoch: number[] = [];
  const stats = await trainEpochs(trainer, set, epochs, () => {
    rssByEpoch.push(process.memoryUsage().rss);
    collectGarbage();
    const usage = process.memoryUsage();
    heapByEpoch.push(usage.heapUsed);
    buffersByEpoch.push(usage.arrayBuffers);
    const wasm = peer.lib === "deriva" ? wasmInfo() : null;
    if (wasm) wasmByEpoch.push(wasm.memoryBytes);
  });
  checkMlp(stats, `${lib} memory run`);
  const report: MemoryReport = {
    peer: `${peer.lib} ${peer.backend}`,
    threads: peer.threads,
    peakRss: peakResidentSet(),
    rssByEpoch,
    heapByEpoch,
    buffersByEpoch,
    wasmByEpoch,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

export const MEMORY_HEADER = [
  "peer",
  "threads",
  "peak RSS MiB",
  "RSS epoch 0 → last",
  "JS heap after GC, epoch 0 → last",
  "ArrayBuffers after GC",
  "wasm memory",
];

/** One table row of a report: peak RSS, then first → last epoch of RSS, GC'd JS heap and wasm memory (MiB). */
export function describeMemory(report: MemoryReport): string[] {
  const mib = (bytes: number) => (bytes / MiB).toFixed(1);
  const span = (values: readonly number[]) =>
    values.length > 0 ? `${mib(values[0]!)} → ${mib(values.at(-1)!)}` : "–";
  return [
    report.peer,
    String(report.threads),
    mib(report.peakRss),
    span(report.rssByEpoch),
    span(report.heapByEpoch),
    span(report.buffersByEpoch),
    span(report.wasmByEpoch),
  ];
}

if (process.argv[1]?.endsWith("w2-memory.ts")) await main();
