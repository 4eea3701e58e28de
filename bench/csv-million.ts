/**
 * A large table end to end, as `deriva train --data big.csv` runs it: a 1,000,000-row CSV of 21
 * columns (20 numbers and a two-class label, ~190 MB) read as a stream into typed columns, then one
 * epoch of the default MLP. The run happens in a process of its own so that its peak resident set
 * (VmHWM, see lib/resident.ts) is the run's alone; exits 1 if that peak reaches 1 GiB.
 * Run: `npm run build && npx tsx bench/csv-million.ts [--rows 1000000]` (the CSV is written once
 * to the system's temporary folder).
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { data, train } from "deriva";
import { loadCsv, memoryLimit } from "deriva/node";
import { machine } from "./lib/machine.js";
import { peakResidentSet } from "./lib/resident.js";
import { formatNumber, formatTable } from "./lib/timing.js";

const LIMIT = 2 ** 30;
const FEATURES = 20;

interface Report {
  rows: number;
  loadSeconds: number;
  trainSeconds: number;
  peakRss: number;
  valAccuracy: number;
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Writes the table: 20 uniform features in [−1, 1] (6 decimals) and a label that depends on them. */
async function writeCsv(path: string, rows: number): Promise<void> {
  const random = data.mulberry32(7);
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  let text = `${Array.from({ length: FEATURES }, (_, i) => `f${i}`).join(",")},label\n`;
  for (let r = 0; r < rows; r++) {
    let score = 0;
    const cells: string[] = [];
    for (let c = 0; c < FEATURES; c++) {
      const v = random() * 2 - 1;
      score += v * ((c % 3) - 1);
      cells.push(v.toFixed(6));
    }
    cells.push(score > 0 ? "yes" : "no");
    text += `${cells.join(",")}\n`;
    if (text.length > 1 << 20) {
      if (!out.write(text)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      text = "";
    }
  }
  await new Promise((resolve) => out.end(text, () => resolve(undefined)));
  renameSync(partial, path);
}

/** The child: load the CSV, train one epoch of the default run, report. */
async function child(path: string): Promise<void> {
  const started = performance.now();
  const dataset = await loadCsv(path);
  const loaded = performance.now();
  const run = train.prepareRun(dataset, { epochs: 1, maxMemory: memoryLimit() });
  const { history } = await run.fit();
  const report: Report = {
    rows: dataset.length,
    loadSeconds: (loaded - started) / 1000,
    trainSeconds: (performance.now() - loaded) / 1000,
    peakRss: peakResidentSet(),
    valAccuracy: history.epochs[0]!.valAccuracy!,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

async function main(): Promise<void> {
  const childPath = flag("child");
  if (childPath !== undefined) return child(childPath);
  const rows = Number(flag("rows") ?? 1_000_000);
  const path = join(tmpdir(), `deriva-bench-${rows}x21.csv`);
  if (!existsSync(path)) {
    console.log(`writing ${path} ...`);
    await writeCsv(path, rows);
  }
  const run = spawnSync(process.execPath, ["--import", "tsx", import.meta.filename, "--child", path], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (run.status !== 0) {
    console.error(`the run failed (exit code ${run.status})`);
    process.exit(1);
  }
  const report = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Report;
  console.log(
    `\nA ${formatNumber(rows)}-row × 21-column CSV, loaded and trained for one epoch (${machine()})`,
  );
  console.log(
    formatTable(
      ["rows", "load s", "1 epoch s", "peak RSS MiB", "val accuracy"],
      [
        [
          formatNumber(report.rows),
          formatNumber(report.loadSeconds, 1),
          formatNumber(report.trainSeconds, 1),
          formatNumber(report.peakRss / 2 ** 20),
          formatNumber(report.valAccuracy, 4),
        ],
      ],
    ),
  );
  if (report.peakRss >= LIMIT) {
    console.error(`peak RSS ${formatNumber(report.peakRss / 2 ** 20)} MiB is not under 1 GiB`);
    process.exit(1);
  }
}

await main();
