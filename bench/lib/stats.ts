/** Wall-clock samples and their summary (median, min, max), as every workload reports them. */

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** Seconds on a monotonic clock. */
export function seconds(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

/** Seconds `fn` takes. */
export function timed(fn: () => void): number {
  const start = seconds();
  fn();
  return seconds() - start;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error("summarize: no samples");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

/** A summary of rates (work / seconds) from a summary of times: the fastest time is the highest rate. */
export function rates(work: number, times: readonly number[]): Summary {
  return summarize(times.map((t) => work / t));
}
