/** Timing helpers for the micro-benchmarks: wall-clock runs, medians and min–max spreads. */

export interface Timing {
  /** Median seconds per run. */
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** Seconds since an arbitrary origin (monotonic, nanosecond resolution). */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

/** Seconds of CPU time (user + system) this process has used: less disturbed by other processes on a shared machine. */
export function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Runs `run` once as a warm-up, then `repeats` times, and summarises the seconds per run as read by
 * `clock` (wall-clock by default).
 */
export function timeRuns(run: () => void, repeats = 5, clock: () => number = now): Timing {
  run();
  const seconds: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = clock();
    run();
    seconds.push(clock() - start);
  }
  seconds.sort((a, b) => a - b);
  return { median: seconds[Math.floor(seconds.length / 2)]!, min: seconds[0]!, max: seconds.at(-1)! };
}

/** Right-aligned plain-text table with a header row. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => cell.padStart(widths[c]!)).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** A number with thousands separators and `digits` decimals. */
export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
