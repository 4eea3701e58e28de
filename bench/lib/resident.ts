/** The resident set of a benchmark's own process. */
import { readFileSync } from "node:fs";

/**
 * This process's peak resident set, bytes: Linux's VmHWM, which starts afresh with the program.
 * getrusage's maxRSS does not: Linux carries it over from the process that forked this one, so a
 * child of a larger process (the benchmark suite) reports that parent's peak.
 */
export function peakResidentSet(): number {
  try {
    const line = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (line) return Number(line[1]) * 1024;
  } catch {
    // not Linux: maxRSS, which other systems keep per program
  }
  return process.resourceUsage().maxRSS * 1024;
}
