/**
 * What a workload run produces, and the tables printed from it: one row per peer (library,
 * backend, threads) with the median and the min–max range, the ratio of each row to the best
 * peer of the table (the best row of another library than deriva: TensorFlow.js, jax-js or
 * PyTorch) and of each deriva row to the best TensorFlow.js row (> 1: faster). Every table names
 * the CPU it ran on.
 */

import { type Library, type Peer, peerName } from "./peers.js";
import type { Summary } from "./stats.js";
import { formatNumber, formatTable } from "./timing.js";

export interface Row {
  /** "deriva js", "deriva wasm nn", "tfjs wasm", "jax-js wasm", "pytorch", … */
  readonly peer: string;
  readonly lib: Library;
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
  /** The CPU the figures come from (main.ts sets it on every table). */
  readonly cpu?: string;
  /** Lines said once under the table (what a peer could not do, which BLAS PyTorch used). */
  readonly notes?: readonly string[];
}

/** The identifying part of a row for `peer`. */
export function rowOf(peer: Peer): Pick<Row, "peer" | "lib" | "threads"> {
  return { peer: peerName(peer), lib: peer.lib, threads: peer.threads };
}

/** The best median among the rows `which` selects (null when none has a figure). */
function best(table: Table, which: (row: Row) => boolean): number | null {
  const values = table.rows.filter((r) => which(r) && r.value).map((r) => r.value!.median);
  if (values.length === 0) return null;
  return table.higherIsBetter ? Math.max(...values) : Math.min(...values);
}

/** How many times faster `row` is than `reference` (a median of the same table). */
function ratio(table: Table, row: Row, reference: number | null): number | null {
  if (!row.value || reference === null) return null;
  return table.higherIsBetter ? row.value.median / reference : reference / row.value.median;
}

/** How many times faster `row` is than the best TensorFlow.js row (null when there is none). */
export function ratioToTfjs(table: Table, row: Row): number | null {
  return ratio(
    table,
    row,
    best(table, (r) => r.lib === "tfjs"),
  );
}

/** How many times faster `row` is than the best peer: the best row of a library other than deriva. */
export function ratioToBestPeer(table: Table, row: Row): number | null {
  return ratio(
    table,
    row,
    best(table, (r) => r.lib !== "deriva"),
  );
}

function digitsFor(value: number): number {
  const magnitude = Math.abs(value);
  return magnitude >= 1000 ? 0 : magnitude >= 100 ? 1 : magnitude >= 1 ? 2 : 4;
}

const fmt = (value: number) => formatNumber(value, digitsFor(value));

const times = (value: number | null) => (value === null ? "" : `${value.toFixed(2)}×`);

/** The cells of a table: header and one row per peer. */
function cells(table: Table): { header: string[]; rows: string[][] } {
  const rows = table.rows.map((row) => {
    const versusPeer = times(ratioToBestPeer(table, row));
    const versusTfjs = row.lib === "deriva" ? times(ratioToTfjs(table, row)) : "";
    if (!row.value) return [row.peer, String(row.threads), row.note ?? "–", "", "", ""];
    const { median, min, max } = row.value;
    const [lo, hi] = min <= max ? [min, max] : [max, min];
    return [row.peer, String(row.threads), fmt(median), `${fmt(lo)}–${fmt(hi)}`, versusPeer, versusTfjs];
  });
  const header = ["peer", "threads", `median ${table.unit}`, "min–max", "vs best peer", "vs best tfjs"];
  return { header, rows };
}

/** The lines under a table: its notes, then each row's details. */
function details(table: Table): string[] {
  const rows = table.rows.filter((r) => r.detail).map((r) => `${r.peer} (${r.threads}): ${r.detail}`);
  return [...(table.notes ?? []), ...rows];
}

/** "(20 timed steps after 5 warm-up; AMD EPYC (Zen 5, family 26 model 2))". */
function subtitle(table: Table): string {
  return `(${table.method}${table.cpu ? `; ${table.cpu}` : ""})`;
}

export function formatReport(table: Table): string {
  const { header, rows } = cells(table);
  const notes = details(table).map((line) => `  ${line}`);
  return [`${table.title} ${subtitle(table)}`, formatTable(header, rows), ...notes].join("\n");
}

/** A Markdown table with the same cells (for the README). */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (row: readonly string[]) => `| ${row.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export function markdownReport(table: Table): string {
  const { header, rows } = cells(table);
  const notes = details(table).map((line) => `- ${line}`);
  return [`**${table.title}** ${subtitle(table)}`, "", markdownTable(header, rows), "", ...notes].join("\n");
}
