/**
 * The benchmark suite: bench/WORKLOADS.md's W1–W5 (and W6, cats vs dogs) for deriva (js and wasm backends, imported as
 * a user does: the built package through its exports) and its peers: TensorFlow.js (cpu and wasm
 * backends) and jax-js (wasm, its jit path) in the same process, PyTorch (Debian's python3-torch)
 * in a child process at 1 thread and at every core. The training workloads W2 and W3 run deriva
 * through nn + optim and through the functional API (valueAndGrad and a plain SGD update). One
 * table per workload, each naming the CPU, with the median, the min–max range, the ratio to the
 * best peer and to the best TensorFlow.js backend; then the measured WebAssembly SIMD ceiling
 * (CEIL) and a summary against the targets of issue 13. A workload whose result check fails ends
 * the run with exit code 1 (the checks are the same for every peer).
 *
 *   npm run bench -- [--quick] [--only W1,W3,MEM,CEIL] [--peers deriva,tfjs,jax,torch] [--no-tfjs]
 *                    [--threads N] [--python /usr/bin/python3] [--json results.json] [--markdown tables.md]
 *
 * --quick is a smoke run (small sizes, fewer repeats; the training workloads without the slow
 * paths deriva js and tfjs cpu, jax-js's slow W3 as a short run; no SIMD ceiling unless --only
 * names CEIL), and it runs and checks every peer present. --peers chooses the libraries (a peer that is not installed is left out with a
 * message). MEM (in --only) runs W2 in a child process per peer to compare peak RSS and to show
 * it stays flat over 20 epochs (w2-memory.ts). ALT times deriva (its most threads, each API) and
 * PyTorch (1 thread) in alternating rounds on W2, W3 and W6 (lib/alternating.ts), the measurement
 * the targets' verdicts take where it ran (the full run; not --quick).
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { getNumThreads, matmul, wasmInfo, zeros } from "deriva";
import { type AlternatingResult, describeAlternating, runAlternating } from "./lib/alternating.js";
import { CheckFailed } from "./lib/check.js";
import { mnist } from "./lib/data.js";
import { loadJax } from "./lib/jax.js";
import { cpuModel, machine } from "./lib/machine.js";
import {
  allPeers,
  type DerivaPeer,
  isSlowPath,
  LIBRARIES,
  type Library,
  loadTfjs,
  type Peer,
  type TorchPeer,
  withBothApis,
} from "./lib/peers.js";
import {
  formatReport,
  markdownReport,
  markdownTable,
  ratioToBestPeer,
  ratioToTfjs,
  type Table,
} from "./lib/report.js";
import { summaryLines } from "./lib/summary.js";
import { formatTable } from "./lib/timing.js";
import { TorchRunner } from "./lib/torch.js";
import { CEILING_HEADER, type Ceiling, describeCeiling, measureCeilings } from "./simd-ceiling.js";
import { runW1 } from "./w1-matmul.js";
import { describeMemory, MEMORY_HEADER, type MemoryReport } from "./w2-memory.js";
import { runW2, w2Alternating } from "./w2-mlp.js";
import { runW3, w3Alternating } from "./w3-cnn.js";
import { runW4, runW5 } from "./w4-w5-small.js";
import { runW6, w6Alternating } from "./w6-cats-vs-dogs.js";

const WORKLOADS = ["W1", "W2", "W3", "W4", "W5", "W6", "MEM", "CEIL", "ALT"];
/** What --quick runs unless --only says otherwise: every workload and peer, not the SIMD ceiling or the alternating rounds. */
const QUICK = WORKLOADS.filter((w) => w !== "CEIL" && w !== "ALT");
/** Rounds of the alternating measurement (ALT; lib/alternating.ts). */
const ROUNDS = 5;

interface Options {
  quick: boolean;
  only: Set<string>;
  json: string | null;
  markdown: string | null;
  threads: number;
  libs: Set<Library>;
  python: string;
}

function parseList<T extends string>(
  flag: string,
  text: string,
  known: readonly T[],
  normalize: (s: string) => string,
) {
  const items = text.split(",").map((s) => normalize(s.trim()));
  const unknown = items.filter((s) => !known.includes(s as T));
  if (unknown.length > 0)
    throw new Error(`bench: ${flag} knows ${known.join(", ")}, not ${unknown.join(", ")}`);
  return new Set(items as T[]);
}

function parse(argv: readonly string[]): Options {
  const options: Options = {
    quick: false,
    only: new Set(argv.includes("--quick") ? QUICK : WORKLOADS),
    json: null,
    markdown: null,
    threads: getNumThreads(),
    libs: new Set(LIBRARIES),
    python: "/usr/bin/python3",
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`bench: ${arg} needs a value`);
      return v;
    };
    if (arg === "--quick") options.quick = true;
    else if (arg === "--no-tfjs") options.libs.delete("tfjs");
    else if (arg === "--peers") options.libs = parseList(arg, value(), LIBRARIES, (s) => s.toLowerCase());
    else if (arg === "--only") options.only = parseList(arg, value(), WORKLOADS, (s) => s.toUpperCase());
    else if (arg === "--python") options.python = value();
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

/** Loads the in-process peers that were asked for, leaving out (with a message) those not installed. */
async function loadPeers(options: Options): Promise<TorchRunner | null> {
  const optional: [Library, string, () => Promise<unknown>][] = [
    ["tfjs", "TensorFlow.js is not installed", loadTfjs],
    ["jax", "jax-js (@jax-js/jax) is not installed", loadJax],
  ];
  for (const [lib, absent, load] of optional) {
    if (!options.libs.has(lib)) continue;
    try {
      await load();
    } catch {
      console.log(`${absent}: leaving it out`);
      options.libs.delete(lib);
    }
  }
  if (!options.libs.has("torch")) return null;
  const torch = await TorchRunner.start(options.python);
  if (typeof torch === "string") {
    console.log(`PyTorch left out: ${torch}`);
    options.libs.delete("torch");
    return null;
  }
  return torch;
}

/** What the notes under a table say about the peers in it (which BLAS PyTorch used, jax-js's thread). */
function peerNotes(table: Table, torch: TorchRunner | null): string[] {
  const notes: string[] = [];
  if (torch && table.rows.some((r) => r.lib === "torch")) notes.push(`pytorch: ${torch.description}`);
  if (table.rows.some((r) => r.lib === "jax"))
    notes.push("jax-js: wasm device, 1 thread (in Node its worker pool needs a global Worker)");
  return notes;
}

/** Which of deriva's wasm builds ran: "simd128" or "relaxed" (relaxed SIMD needs a flag on Node 20). */
function derivaKernels(): string {
  matmul(zeros([2, 2]), zeros([2, 2])); // the backend loads its build on the first kernel call
  const info = wasmInfo();
  return info ? `${info.simd} WebAssembly build` : "no WebAssembly backend";
}

/** W2, W3 (each API) and W6 (nn) in alternating rounds: deriva wasm on its most threads against PyTorch on 1. */
async function alternatingRounds(peers: readonly Peer[], rounds: number): Promise<AlternatingResult[]> {
  const torch = peers.find((p): p is TorchPeer => p.lib === "torch" && p.threads === 1);
  const most = Math.max(...peers.filter((p) => p.lib === "deriva").map((p) => p.threads));
  const deriva = withBothApis(peers).filter(
    (p): p is DerivaPeer => p.lib === "deriva" && p.backend === "wasm" && p.threads === most,
  );
  if (!torch || deriva.length === 0) return [];
  const set = await mnist();
  const workloads = [await w2Alternating(deriva, torch, set), await w3Alternating(deriva, torch, set)];
  const w6 = await w6Alternating(deriva.filter((p) => p.api !== "functional"));
  if (w6) workloads.push(w6);
  return runAlternating(workloads, rounds);
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const torch = await loadPeers(options);
  try {
    await runSuite(options, torch);
  } finally {
    await torch?.close();
  }
}

async function runSuite(options: Options, torch: TorchRunner | null): Promise<void> {
  const peers = allPeers(options.threads, options.libs, torch);
  const { quick } = options;
  const trainingPeers = withBothApis(peers.filter((p) => !quick || !isSlowPath(p)));
  // tfjs cpu (about 10 s a step) and, in the quick run, jax-js (about 1 s a step) train W3 briefly
  const shortW3 = (p: Peer) => (p.lib === "tfjs" && p.backend === "cpu") || (quick && p.lib === "jax");
  const cpu = cpuModel();
  const simd = derivaKernels();
  console.log(`deriva benchmark suite (${quick ? "quick" : "full"}): ${machine()}; deriva ${simd}`);
  if (torch) console.log(`PyTorch: ${torch.description}`);
  console.log("");
  const tables: Table[] = [];
  const show = (table: Table) => {
    const shown = { ...table, cpu, notes: [...(table.notes ?? []), ...peerNotes(table, torch)] };
    tables.push(shown);
    console.log(`${formatReport(shown)}\n`);
  };
  if (options.only.has("W1")) {
    const sizes = quick ? [64, 256] : [64, 256, 512, 1024];
    for (const table of await runW1(peers, sizes, quick ? 3 : 10)) show(table);
  }
  if (options.only.has("W2") || options.only.has("W3")) {
    const set = await mnist();
    if (options.only.has("W2")) show(await runW2(trainingPeers, set, quick ? 3 : 4));
    if (options.only.has("W3")) {
      for (const table of await runW3(trainingPeers, set, { warmup: 5, steps: 20, short: shortW3 }))
        show(table);
    }
  }
  if (options.only.has("W4")) show(await runW4(peers, quick ? 1 : 5));
  if (options.only.has("W5")) show(await runW5(peers, quick ? 1 : 5));
  if (options.only.has("W6")) {
    const torchThreads = peers.filter((p) => p.lib === "torch").map((p) => p.threads);
    const short = (p: Peer) => p.lib === "tfjs" && p.backend === "cpu";
    const w6 = {
      warmup: quick ? 1 : 5,
      steps: quick ? 2 : 20,
      short,
      torchThreads: quick ? [] : torchThreads,
    };
    for (const table of await runW6(trainingPeers, w6)) show(table);
  }
  let memory: MemoryReport[] = [];
  if (options.only.has("MEM")) {
    memory = memoryRuns(options.libs.has("tfjs"), quick ? 3 : 20);
    console.log(`W2 memory, ${quick ? 3 : 20} epochs, one process per peer (MiB; ${cpu})`);
    console.log(`${formatTable(MEMORY_HEADER, memory.map(describeMemory))}\n`);
  }
  let ceilings: Ceiling[] = [];
  if (options.only.has("CEIL")) {
    ceilings = await measureCeilings(options.threads, quick);
    console.log(`WebAssembly SIMD ceiling: 12 independent f32x4 multiply-add chains (GFLOP/s; ${cpu})`);
    console.log(`${formatTable(CEILING_HEADER, ceilings.map(describeCeiling))}\n`);
  }
  let alternating: AlternatingResult[] = [];
  if (options.only.has("ALT") && torch) {
    alternating = await alternatingRounds(peers, quick ? 2 : ROUNDS);
    console.log(`Alternating rounds, deriva against PyTorch on 1 thread (${cpu}):`);
    console.log(`${alternating.map((r) => `  ${describeAlternating(r)}`).join("\n")}\n`);
  }
  const summary = summaryLines(tables, ceilings, simd, alternating);
  if (summary.length > 0)
    console.log(`Against the targets (issue 13; ${cpu}):\n${summary.map((l) => `  ${l}`).join("\n")}`);
  if (options.markdown) {
    const { writeFile } = await import("node:fs/promises");
    const sections = tables.map(markdownReport);
    if (memory.length > 0) {
      const title = `**W2 memory, ${quick ? 3 : 20} epochs, one process per peer** (MiB; ${cpu})`;
      sections.push(`${title}\n\n${markdownTable(MEMORY_HEADER, memory.map(describeMemory))}`);
    }
    if (ceilings.length > 0) {
      const title = `**WebAssembly SIMD ceiling** (12 independent f32x4 multiply-add chains, GFLOP/s; ${cpu})`;
      sections.push(`${title}\n\n${markdownTable(CEILING_HEADER, ceilings.map(describeCeiling))}`);
    }
    if (alternating.length > 0) {
      const title = `**Alternating rounds, deriva against PyTorch on 1 thread** (${cpu})`;
      sections.push(`${title}\n\n${alternating.map((r) => `- ${describeAlternating(r)}`).join("\n")}`);
    }
    if (summary.length > 0)
      sections.push(`**Against the targets** (${cpu})\n\n${summary.map((l) => `- ${l}`).join("\n")}`);
    await writeFile(options.markdown, `${machine()}\n\n${sections.join("\n\n")}\n`);
    console.log(`Markdown tables written to ${options.markdown}`);
  }
  if (options.json) {
    const { writeFile } = await import("node:fs/promises");
    const results = {
      machine: machine(),
      cpu,
      derivaKernels: simd,
      pytorch: torch?.description ?? null,
      quick,
      date: new Date().toISOString(),
      memory,
      ceilings,
      summary,
      alternating,
      tables: tables.map((t) => ({
        ...t,
        rows: t.rows.map((r) => ({
          ...r,
          ratioToBestPeer: ratioToBestPeer(t, r),
          ratioToBestTfjs: ratioToTfjs(t, r),
        })),
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
