/**
 * Builds the playground: writes the image datasets as compact binary assets (from the CLI's own
 * loaders, once: they are kept while their format version holds), then runs Vite, then prints
 * the bundle-size figures (the JavaScript of the first load, gzipped, and each lazy chunk).
 * Run by `npm run build -w @deriva/playground` (and so by the root build).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { loadCatsVsDogs, loadMnist } from "@deriva/cli/datasets";
import type { data } from "deriva";
import { build } from "vite";
import { encodeImageSet } from "../src/data/image-set.js";

const ROOT = join(import.meta.dirname, "..");
const DATA = join(ROOT, "public/data");

/** Train and test sets as one image set, 8-bit pixels (the loaders give k/255 values: exact). */
function imageSet(train: data.Dataset, test: data.Dataset, classes: number): Uint8Array {
  const [count, trainCount] = [train.length + test.length, train.length];
  const sample = train.x.shape.slice(1) as [number, number, number];
  const pixels = new Uint8Array(count * sample[0] * sample[1] * sample[2]);
  const labels = new Uint8Array(count);
  let offset = 0;
  [train, test].forEach((part, p) => {
    const values = part.x.data();
    for (let i = 0; i < values.length; i++) pixels[offset + i] = Math.round(values[i]! * 255);
    offset += values.length;
    labels.set(part.y.data(), p === 0 ? 0 : trainCount);
  });
  const [channels, height, width] = sample;
  return encodeImageSet({ count, trainCount, channels, height, width, classes, labels, pixels });
}

async function writeDatasets(): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  const sets = [
    ["mnist.bin", async () => ((s) => imageSet(s.train, s.test, 10))(await loadMnist())],
    ["cats-vs-dogs.bin", async () => ((s) => imageSet(s.train, s.test, 2))(await loadCatsVsDogs())],
  ] as const;
  for (const [name, make] of sets) {
    const path = join(DATA, name);
    if (existsSync(path) && readFileSync(path).subarray(0, 8).readUInt32LE(4) === 1) continue;
    writeFileSync(path, await make());
    console.log(`wrote ${path}`);
  }
}

/** Gzipped bytes of a file. */
const gzipped = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;

/**
 * The sizes of what the first load fetches (the entry, what index.html preloads, and the worker,
 * which the page starts at once; the first chapter's chunks come on top: the browser test
 * measures the whole first load) and of the rest.
 */
function reportSizes(): void {
  const dist = join(ROOT, "dist");
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const assets = readdirSync(join(dist, "assets"));
  const first = [
    ...[...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!),
    ...assets.filter((file) => file.startsWith("worker-")).map((file) => `assets/${file}`),
  ];
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const rows = assets
    .filter((file) => /\.(js|wasm|css)$/.test(file))
    .map((file) => {
      const path = join(dist, "assets", file);
      return {
        file,
        raw: readFileSync(path).length,
        gz: gzipped(path),
        first: first.includes(`assets/${file}`),
      };
    });
  const firstGz = rows.filter((r) => r.first).reduce((sum, r) => sum + r.gz, 0);
  console.log(`entry and worker: ${kb(firstGz)} of gzipped JavaScript (${first.join(", ")})`);
  for (const r of rows.sort((a, b) => b.gz - a.gz)) {
    console.log(
      `  ${r.first ? "*" : " "} ${r.file.padEnd(40)} ${kb(r.raw).padStart(10)} ${kb(r.gz).padStart(10)} gz`,
    );
  }
  writeFileSync(
    join(dist, "sizes.json"),
    `${JSON.stringify({ firstLoadGzip: firstGz, files: rows }, null, 2)}\n`,
  );
}

await writeDatasets();
await build({ root: ROOT, configFile: join(ROOT, "vite.config.ts"), logLevel: "warn" });
reportSizes();
