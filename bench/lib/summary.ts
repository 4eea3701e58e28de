/**
 * The run against the targets of issue 13 (and issue 10's W6), in a few lines under the tables:
 * W2, W3 and W6, deriva on its most threads (each API) against PyTorch on 1 thread; W1, deriva's
 * GFLOP/s on 1 thread as a share of the measured WebAssembly SIMD ceiling and against tfjs wasm,
 * with PyTorch/OpenBLAS's native figure for context; W4 and W5 against the best peer. Where the
 * alternating rounds ran (lib/alternating.ts), W2, W3 and W6's verdicts are theirs. Speed is
 * reported, never enforced: a target not met does not fail the run.
 */
import type { Ceiling } from "../simd-ceiling.js";
import { type AlternatingResult, describeAlternating } from "./alternating.js";
import { type Row, ratioToBestPeer, type Table } from "./report.js";

const W1_CEILING_SIZES = [256, 512, 1024];

const fmt = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const verdict = (met: boolean) => (met ? "met" : "not met");
const threadsText = (n: number) => `${n} thread${n === 1 ? "" : "s"}`;

function tableOf(tables: readonly Table[], prefix: string): Table | undefined {
  return tables.find((t) => t.title.startsWith(prefix));
}

/** The measured row of `peer` with the most threads (or exactly `threads`). */
function rowOf(table: Table, peer: string, threads?: number): Row | undefined {
  const rows = table.rows.filter(
    (r) => r.peer === peer && r.value && (threads === undefined || r.threads === threads),
  );
  return rows.sort((a, b) => b.threads - a.threads)[0];
}

/** How many times faster `a` is than `b` in `table`. */
function speedup(table: Table, a: Row, b: Row): number {
  return table.higherIsBetter ? a.value!.median / b.value!.median : b.value!.median / a.value!.median;
}

/**
 * W2, W3 or W6: deriva (each API, most threads) against PyTorch on 1 thread; the goal is ≥ 1.
 * Where the alternating rounds ran, the verdict is theirs and the table's ratio is given beside it.
 */
function trainingLines(
  table: Table | undefined,
  name: string,
  alternating: readonly AlternatingResult[],
): string[] {
  if (!table) return alternating.filter((r) => r.workload === name).map(describeAlternating);
  const torch = rowOf(table, "pytorch", 1);
  if (!torch) return [`${name}: no PyTorch row in this run (target: deriva on 2 threads ≥ PyTorch on 1)`];
  return ["deriva wasm nn", "deriva wasm functional"].flatMap((peer) => {
    const deriva = rowOf(table, peer);
    if (!deriva) return [];
    const ratio = speedup(table, deriva, torch);
    const head = `${name}, ${peer.slice("deriva wasm ".length)} API: deriva on ${threadsText(deriva.threads)} ${fmt(deriva.value!.median)} ${table.unit} vs PyTorch on 1 thread ${fmt(torch.value!.median)}: ${ratio.toFixed(2)}×`;
    const rounds = alternating.find((r) => r.workload === name && r.peer === peer);
    if (!rounds) return [`${head} (target ≥ 1: ${verdict(ratio >= 1)})`];
    return [`${head} in its table, timed minutes apart`, describeAlternating(rounds)];
  });
}

/** W1: deriva wasm on 1 thread against the SIMD ceilings and tfjs wasm, PyTorch for context. */
function matmulLines(tables: readonly Table[], ceilings: readonly Ceiling[], simd: string): string[] {
  const lines: string[] = [];
  const ceiling = (kind: Ceiling["kind"]) =>
    ceilings.find((c) => c.kind === kind && c.threads === 1)?.value?.median;
  const base = ceiling("simd128");
  const relaxed = ceiling("relaxed");
  for (const table of tables.filter((t) => t.title.startsWith("W1 "))) {
    const n = Number(table.title.split("n=")[1]);
    const deriva = rowOf(table, "deriva wasm", 1);
    if (!deriva) continue;
    const gflops = deriva.value!.median;
    const parts = [`W1 n=${n}: deriva wasm 1 thread ${fmt(gflops)} GFLOP/s`];
    if (base !== undefined && W1_CEILING_SIZES.includes(n)) {
      const share = gflops / base;
      parts.push(
        `${(100 * share).toFixed(0)} % of the SIMD128 ceiling ${fmt(base)} (target ≥ 85 %: ${verdict(share >= 0.85)})`,
      );
    }
    if (relaxed !== undefined)
      parts.push(`${(100 * (gflops / relaxed)).toFixed(0)} % of the relaxed-SIMD ceiling ${fmt(relaxed)}`);
    const tfjs = rowOf(table, "tfjs wasm");
    if (tfjs) {
      const ratio = speedup(table, deriva, tfjs);
      parts.push(`${ratio.toFixed(2)}× tfjs wasm (target > 1: ${verdict(ratio > 1)})`);
    }
    const torch = rowOf(table, "pytorch", 1);
    if (torch) parts.push(`PyTorch/OpenBLAS native, 1 thread: ${fmt(torch.value!.median)}`);
    lines.push(parts.join("; "));
  }
  if (lines.length > 0) lines.push(`W1: deriva's kernels in this run: ${simd}`);
  return lines;
}

/** W4, W5 (and any other table): deriva's best row against the best peer. */
function versusBestPeer(table: Table | undefined, name: string): string[] {
  if (!table) return [];
  const derivaRows = table.rows.filter((r) => r.lib === "deriva" && r.value);
  const best = derivaRows.sort(
    (a, b) => (ratioToBestPeer(table, b) ?? 0) - (ratioToBestPeer(table, a) ?? 0),
  )[0];
  const ratio = best ? ratioToBestPeer(table, best) : null;
  if (!best || ratio === null) return [];
  return [
    `${name}: best deriva row (${best.peer}, ${threadsText(best.threads)}) ${ratio.toFixed(2)}× the best peer`,
  ];
}

/** The summary lines for the tables of a run and the ceilings measured in it. */
export function summaryLines(
  tables: readonly Table[],
  ceilings: readonly Ceiling[],
  simd: string,
  alternating: readonly AlternatingResult[] = [],
): string[] {
  return [
    ...matmulLines(tables, ceilings, simd),
    ...trainingLines(tableOf(tables, "W2 "), "W2", alternating),
    ...trainingLines(tableOf(tables, "W3 CNN training"), "W3", alternating),
    ...versusBestPeer(tableOf(tables, "W4 "), "W4"),
    ...versusBestPeer(tableOf(tables, "W5 "), "W5"),
    ...trainingLines(tableOf(tables, "W6"), "W6", alternating),
  ];
}
