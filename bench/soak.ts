/**
 * The soak run: 20 epochs of the MNIST MLP and of the CNN, as `deriva train` and `deriva train
 * --model cnn` run them (train.prepareRun's defaults), each in a process of its own, sampling after
 * every epoch the resident set, and after a full garbage collection the JS heap, the ArrayBuffer
 * memory (tensor data) and the WebAssembly memory. Memory must stay flat: the median of the last
 * third of the epochs may exceed the median of the first third (epoch 1, the warm-up, left out) by
 * at most 8 MiB of heap, 16 MiB of tensor data and 96 MiB of resident set (exit 1 otherwise).
 * Medians, because a sample after an epoch sometimes catches buffers not yet freed, and the CNN's
 * resident set swings by tens of MiB from one epoch to the next as large buffers are freed and
 * allocated again.
 * Run: `npm run build && npx tsx bench/soak.ts [--epochs 20] [--only mlp|cnn]`.
 */
import { spawnSync } from "node:child_process";
import { loadMnist } from "@deriva/cli/datasets";
import { train, wasmInfo } from "deriva";
import { collectGarbage } from "./lib/heap.js";
import { machine } from "./lib/machine.js";
import { peakResidentSet } from "./lib/resident.js";
import { formatNumber, formatTable } from "./lib/timing.js";

const MiB = 2 ** 20;
/** Growth allowed from the first third of the epochs to the last. */
const ALLOWED = { heap: 8 * MiB, buffers: 16 * MiB, rss: 96 * MiB };

interface Sample {
  rss: number;
  heap: number;
  buffers: number;
  wasm: number;
}

interface Report {
  model: string;
  seconds: number;
  testAccuracy: number;
  peakRss: number;
  samples: Sample[];
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function child(model: "mlp" | "cnn", epochs: number): Promise<void> {
  const { train: digits, test } = await loadMnist();
  const started = performance.now();
  const samples: Sample[] = [];
  const run = train.prepareRun(digits, { model, epochs, test, dataName: "mnist" });
  const result = await run.fit({
    onEpochEnd() {
      const rss = process.memoryUsage().rss;
      collectGarbage();
      const { heapUsed, arrayBuffers } = process.memoryUsage();
      samples.push({ rss, heap: heapUsed, buffers: arrayBuffers, wasm: wasmInfo()?.memoryBytes ?? 0 });
    },
  });
  const report: Report = {
    model,
    seconds: (performance.now() - started) / 1000,
    testAccuracy: result.test!.accuracy!,
    peakRss: peakResidentSet(),
    samples,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

/** The median of the last third of the epochs (epoch 1 left out) minus the median of the first third. */
function growth(samples: readonly Sample[], pick: (s: Sample) => number): number {
  const values = samples.slice(1).map(pick);
  const third = Math.max(1, Math.floor(values.length / 3));
  return median(values.slice(-third)) - median(values.slice(0, third));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  const epochs = Number(flag("epochs") ?? 20);
  const only = flag("child") ?? flag("only");
  if (flag("child") !== undefined) return child(only as "mlp" | "cnn", epochs);
  const models = only === undefined ? (["mlp", "cnn"] as const) : [only];
  console.log(`Soak: ${epochs} epochs on MNIST per model, memory after each epoch (${machine()})`);
  let failed = false;
  for (const model of models) {
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", import.meta.filename, "--child", model, "--epochs", String(epochs)],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
    );
    if (run.status !== 0) {
      console.error(`${model}: the run failed (exit code ${run.status})`);
      process.exit(1);
    }
    const report = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Report;
    const mb = (bytes: number) => formatNumber(bytes / MiB, 1);
    const rows = report.samples.map((s, i) => [
      String(i + 1),
      mb(s.rss),
      mb(s.heap),
      mb(s.buffers),
      mb(s.wasm),
    ]);
    console.log(
      `\n${model}: ${formatNumber(report.seconds, 1)} s, test accuracy ${formatNumber(100 * report.testAccuracy, 2)} %, peak RSS ${mb(report.peakRss)} MiB`,
    );
    console.log(formatTable(["epoch", "RSS MiB", "heap MiB", "buffers MiB", "wasm MiB"], rows));
    const grown = {
      heap: growth(report.samples, (s) => s.heap),
      buffers: growth(report.samples, (s) => s.buffers),
      rss: growth(report.samples, (s) => s.rss),
    };
    console.log(
      `growth, last third of the epochs over the first (medians): heap ${mb(grown.heap)} MiB, buffers ${mb(grown.buffers)} MiB, RSS ${mb(grown.rss)} MiB`,
    );
    for (const key of ["heap", "buffers", "rss"] as const) {
      if (grown[key] > ALLOWED[key]) {
        console.error(`${model}: ${key} grew by ${mb(grown[key])} MiB (allowed ${mb(ALLOWED[key])})`);
        failed = true;
      }
    }
  }
  if (failed) process.exit(1);
}

await main();
