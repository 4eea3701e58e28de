/**
 * The benchmark suite: bench/WORKLOADS.md's W1–W5 for deriva (js and wasm backends) and,
 * in the same process, TensorFlow.js (cpu and wasm backends); one table per workload with the
 * median, the min–max range and the ratio to the best TensorFlow.js backend. A workload whose
 * result check fails ends the run with exit code 1.
 *
 *   npm run bench -- [--quick] [--only W1,W3,MEM] [--json results.json] [--markdown tables.md] [--threads N] [--no-tfjs]
 *
 * --quick is a smoke run (small sizes, fewer repeats; the training workloads on the wasm
 * backends only). MEM (in --only) runs W2 in a child process per peer to compare peak RSS and
 * to show it stays flat over 20 epochs (w2-memory.ts).
 */
import { execFileSync } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { getNumThreads } from "deriva";
import { CheckFailed } from "./lib/check.js";
import { mnist } from "./lib/data.js";
import { allPeers, loadTfjs, type Peer } from "./lib/peers.js";
import { formatReport, markdownReport, markdownTable, ratioToTfjs, type Table } from "./lib/report.js";
import { formatTable } from "./lib/timing.js";
import { runW1 } from "./w1-matmul.js";
import { describeMemory, MEMORY_HEADER, type MemoryReport } from "./w2-memory.js";
import { runW2 } from "./w2-mlp.js";
import { runW3 } from "./w3-cnn.js";
import { runW4, runW5 } from "./w4-w5-small.js";

interface Options {
  quick: boolean;
  only: Set<string>;
  json: string | null;
  markdown: string | null;
  threads: number;
  tfjs: boolean;
}

function parse(argv: readonly string[]): Options {
  const options: Options = {
    quick: false,
    only: new Set(["W1", "W2", "W3", "W4", "W5", "MEM"]),
    json: null,
    markdown: null,
    threads: getNumThreads(),
    tfjs: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`bench: ${arg} needs a value`);
      return v;
    };
    if (arg === "--quick") options.quick = true;
    else if (arg === "--no-tfjs") options.tfjs = false;
    else if (arg === "--only") options.only = new Set(value().toUpperCase().split(","));
    else if (arg === "--json") options.json = value();
    else if (arg === "--markdown") options.markdown = value();
    else if (arg === "--threads") {
      const text = value();
      options.threads = Number(text);
      if (!Number.isInteger(options.threads) || options.threads < 1) {
        throw new Error(`bench: --threads must be a positive integer, got ${text}`);
      }
    } else throw new Error(`bench: unknown option ${arg}`);
  }
  return options;
}

/** W2 for `epochs` epochs in a child process per peer (peak RSS is a per-process figure). */
function memoryRuns(withTfjs: boolean, epochs: number): MemoryReport[] {
  const script = fileURLToPath(new URL("./w2-memory.ts", import.meta.url));
  return (withTfjs ? ["deriva", "tfjs"] : ["deriva"]).map((lib) => {
    const output = execFileSync(process.execPath, ["--import", "tsx", script, lib, String(epochs)], {
      encoding: "utf8",
    });
    return JSON.parse(output.trim().split("\n").at(-1)!) as MemoryReport;
  });
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  return `${cpu}, ${cpus().length} logical cores, Node ${process.version}`;
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  if (options.tfjs) {
    try {
      await loadTfjs();
    } catch {
      console.log("TensorFlow.js is not installed: running deriva only");
      options.tfjs = false;
    }
  }
  const peers = allPeers(options.threads, options.tfjs);
  const { quick } = options;
  // the quick run leaves out the slow paths of the training workloads (deriva js, tfjs cpu)
  const trainingPeers = peers.filter((p) => !quick || p.backend === "wasm");
  const isTfjsCpu = (p: Peer) => p.lib === "tfjs" && p.backend === "cpu";
  console.log(`deriva benchmark suite (${options.quick ? "quick" : "full"}): ${machine()}\n`);
  const tables: Table[] = [];
  const show = (table: Table) => {
    tables.push(table);
    console.log(`${formatReport(table)}\n`);
  };
  if (options.only.has("W1")) {
    const sizes = options.quick ? [64, 256] : [64, 256, 512, 1024];
    for (const table of await runW1(peers, sizes, options.quick ? 3 : 10)) show(table);
  }
  if (options.only.has("W2") || options.only.has("W3")) {
    const set = await mnist();
    if (options.only.has("W2")) show(await runW2(trainingPeers, set, quick ? 3 : 4));
    if (options.only.has("W3")) {
      for (const table of await runW3(trainingPeers, set, { warmup: 5, steps: 20, short: isTfjsCpu }))
        show(table);
    }
  }
  if (options.only.has("W4")) show(await runW4(peers, quick ? 1 : 5));
  if (options.only.has("W5")) show(await runW5(peers, quick ? 1 : 5));
  let memory: MemoryReport[] = [];
  if (options.only.has("MEM")) {
    memory = memoryRuns(options.tfjs, quick ? 3 : 20);
    console.log(`W2 memory, ${quick ? 3 : 20} epochs, one process per peer (MiB)`);
    console.log(`${formatTable(MEMORY_HEADER, memory.map(describeMemory))}\n`);
  }
  if (options.markdown) {
    const { writeFile } = await import("node:fs/promises");
    const sections = tables.map(markdownReport);
    if (memory.length > 0) {
      const title = `**W2 memory, ${quick ? 3 : 20} epochs, one process per peer** (MiB)`;
      sections.push(`${title}\n\n${markdownTable(MEMORY_HEADER, memory.map(describeMemory))}`);
    }
    await writeFile(options.markdown, `${machine()}\n\n${sections.join("\n\n")}\n`);
    console.log(`Markdown tables written to ${options.markdown}`);
  }
  if (options.json) {
    const { writeFile } = await import("node:fs/promises");
    const results = {
      machine: machine(),
      quick: options.quick,
      date: new Date().toISOString(),
      memory,
      tables: tables.map((t) => ({
        ...t,
        rows: t.rows.map((r) => ({ ...r, ratioToBestTfjs: ratioToTfjs(t, r) })),
      })),
    };
    await writeFile(options.json, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`results written to ${options.json}`);
  }
}

try {
  await main();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(error instanceof CheckFailed ? `check failed: ${message}` : `error: ${message}`);
  process.exit(1);
}
