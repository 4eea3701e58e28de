/**
 * What a workload run produces, and the tables printed from it: one row per peer (library,
 * backend, threads) with the median and the min–max range, and the ratio of each deriva row to the
 * best TensorFlow.js row of the same table (> 1: deriva is faster).
 */

import type { Summary } from "./stats.js";
import { formatNumber, formatTable } from "./timing.js";

export interface Row {
  /** "deriva js", "deriva wasm", "tfjs cpu", "tfjs wasm". */
  readonly peer: string;
  /** Threads really used. */
  readonly threads: number;
  /** Absent when the peer cannot run this workload (`note` says why). */
  readonly value?: Summary;
  readonly note?: string;
  /** Extra facts (losses, accuracy, final parameters), printed after the table. */
  readonly detail?: string;
}

export interface Table {
  readonly title: string;
  readonly unit: string;
  /** true for rates (GFLOP/s, samples/s), false for times (ms/step). */
  readonly higherIsBetter: boolean;
  readonly rows: readonly Row[];
  /** Repeats behind each figure, e.g. "10 repeats" (said once under the table). */
  readonly method: string;
}

/** How many times faster `row` is than the best TensorFlow.js row (null when there is none). */
export function ratioToTfjs(table: Table, row: Row): number | null {
  const peers = table.rows.filter((r) => r.peer.startsWith("tfjs") && r.value);
  if (!row.value || peers.length === 0) return null;
  const values = peers.map((r) => r.value!.median);
  const best = table.higherIsBetter ? Math.max(...values) : Math.min(...values);
  return table.higherIsBetter ? row.value.median / best : best / row.value.median;
}

function digitsFor(value: number): number {
  const magnitude = Math.abs(value);
  return magnitude >= 1000 ? 0 : magnitude >= 100 ? 1 : magnitude >= 1 ? 2 : 4;
}

const fmt = (value: number) => formatNumber(value, digitsFor(value));

/** The cells of a table: header and one row per peer. */
function cells(table: Table): { header: string[]; rows: string[][] } {
  const rows = table.rows.map((row) => {
    const ratio = row.peer.startsWith("deriva") ? ratioToTfjs(table, row) : null;
    if (!row.value) return [row.peer, String(row.threads), row.note ?? "–", "", ""];
    const { median, min, max } = row.value;
    const [lo, hi] = min <= max ? [min, max] : [max, min];
    return [
      row.peer,
      String(row.threads),
      fmt(median),
      `${fmt(lo)}–${fmt(hi)}`,
      ratio === null ? "" : `${ratio.toFixed(2)}×`,
    ];
  });
  return { header: ["peer", "threads", `median ${table.unit}`, "min–max", "vs best tfjs"], rows };
}

function details(table: Table): string[] {
  return table.rows.filter((r) => r.detail).map((r) => `${r.peer} (${r.threads}): ${r.detail}`);
}

export function formatReport(table: Table): string {
  const { header, rows } = cells(table);
  const notes = details(table).map((line) => `  ${line}`);
  return [`${table.title} (${table.method})`, formatTable(header, rows), ...notes].join("\n");
}

/** A Markdown table with the same cells (for the README). */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (row: readonly string[]) => `| ${row.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export function markdownReport(table: Table): string {
  const { header, rows } = cells(table);
  const notes = details(table).map((line) => `- ${line}`);
  return [`**${table.title}** (${table.method})`, "", markdownTable(header, rows), "", ...notes].join("\n");
}
