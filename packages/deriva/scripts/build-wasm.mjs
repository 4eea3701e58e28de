#!/usr/bin/env node
/**
 * Compiles the AssemblyScript kernels in assembly/ into the four WebAssembly variants the
 * backend picks from at run time (SIMD128 or relaxed SIMD × shared memory for threads or plain
 * memory), as files in src/backend/wasm/generated/ (kernels-*.wasm: the assets the backend loads
 * by URL, only the one the platform needs) and, for single-file builds, the same bytes as base64
 * in generated/inline.ts (imported only by the deriva/wasm-inline entry).
 *
 *   node scripts/build-wasm.mjs [--force] [--copy-to <folder>]
 *
 * Skips the compilation when the sources, flags and compiler version are unchanged (`--force`
 * rebuilds); `--copy-to` then copies the .wasm files there (the build puts them beside the
 * compiled JavaScript in dist/).
 */
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const sourceDir = join(root, "assembly");
const generated = join(root, "src/backend/wasm/generated");
const target = join(generated, "inline.ts");

/** Largest memory the module accepts (pages of 64 KiB): 4 GiB, the wasm32 limit. */
const MAX_PAGES = 65536;
/**
 * The first 64 KiB of memory belong to the loader: the thread pool's control block below 32 KiB,
 * the kernels' constant tables (Math's) from 32 KiB; the arena starts at 64 KiB.
 */
const DATA_START = 32768;
const DATA_END = 65536;
const common = [
  "-O3",
  "--noAssert",
  "--runtime",
  "stub",
  "--importMemory",
  "--maximumMemory",
  String(MAX_PAGES),
  "--memoryBase",
  String(DATA_START),
];
/** The variants by file name (src/backend/wasm/kernel-files.ts names the same four). */
const variants = {
  "kernels-simd-threads": ["--enable", "simd", "--enable", "threads", "--sharedMemory"],
  "kernels-simd": ["--enable", "simd"],
  "kernels-relaxed-threads": [
    "--enable",
    "simd",
    "--enable",
    "relaxed-simd",
    "--enable",
    "threads",
    "--sharedMemory",
  ],
  "kernels-relaxed": ["--enable", "simd", "--enable", "relaxed-simd"],
};

const sources = readdirSync(sourceDir)
  .filter((f) => f.endsWith(".ts"))
  .sort();
const hash = createHash("sha256");
hash.update(`${asc.version}\n${JSON.stringify([common, variants])}\n`);
for (const file of sources) hash.update(`${file}\n${readFileSync(join(sourceDir, file), "utf8")}\n`);
const digest = hash.digest("hex").slice(0, 16);

const copyAt = process.argv.indexOf("--copy-to");
const copyTo = copyAt > 0 ? process.argv[copyAt + 1] : null;

function copyFiles() {
  if (!copyTo) return;
  const folder = join(process.cwd(), copyTo);
  mkdirSync(folder, { recursive: true });
  for (const name of Object.keys(variants))
    copyFileSync(join(generated, `${name}.wasm`), join(folder, `${name}.wasm`));
}

let previous = "";
try {
  previous = readFileSync(target, "utf8");
} catch {}
const complete = Object.keys(variants).every((name) => {
  try {
    return readFileSync(join(generated, `${name}.wasm`)).length > 0;
  } catch {
    return false;
  }
});
if (!process.argv.includes("--force") && complete && previous.includes(`source hash ${digest}`)) {
  copyFiles();
  process.exit(0);
}

function readLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at.i++];
    value |= (byte & 0x7f) << shift;
    if (byte < 0x80) return value >>> 0;
    shift += 7;
  }
}

/**
 * Refuses what would break on a memory shared by several instances: a start function, or data
 * outside [DATA_START, DATA_END) (each instance rewrites its constant data when it starts, which
 * is harmless only for constants in a place nothing else uses).
 */
function checkLayout(name, bytes) {
  const at = { i: 8 };
  while (at.i < bytes.length) {
    const id = bytes[at.i++];
    const size = readLeb(bytes, at);
    const end = at.i + size;
    if (id === 8) throw new Error(`build-wasm: ${name} has a start function`);
    if (id === 11) {
      const count = readLeb(bytes, at);
      for (let s = 0; s < count; s++) {
        const flags = readLeb(bytes, at);
        if (flags !== 0 || bytes[at.i++] !== 0x41)
          throw new Error(`build-wasm: ${name}: unexpected data segment kind`);
        const offset = readLeb(bytes, at); // i32.const (small positive: unsigned LEB reads it right)
        at.i++; // end
        const length = readLeb(bytes, at);
        at.i += length;
        if (offset < DATA_START || offset + length > DATA_END) {
          throw new Error(
            `build-wasm: ${name}: data at [${offset}, ${offset + length}) leaves [${DATA_START}, ${DATA_END})`,
          );
        }
      }
    }
    at.i = end;
  }
}

async function compile(name, flags) {
  let binary = null;
  const stderr = asc.createMemoryStream();
  const { error } = await asc.main([join(sourceDir, "index.ts"), "-o", "kernels.wasm", ...common, ...flags], {
    stdout: asc.createMemoryStream(),
    stderr,
    writeFile(file, contents) {
      if (file.endsWith(".wasm")) binary = contents;
    },
  });
  if (error || !binary)
    throw new Error(`build-wasm: ${name} failed: ${error?.message ?? ""}\n${stderr.toString()}`);
  checkLayout(name, binary);
  return binary;
}

/** Writes a file by a rename, so that a reader never sees half of it. */
function writeWhole(path, contents) {
  writeFileSync(`${path}.tmp`, contents);
  renameSync(`${path}.tmp`, path);
}

const lines = [
  "// Generated by scripts/build-wasm.mjs from assembly/*.ts: do not edit.",
  `// assemblyscript ${asc.version}, source hash ${digest}`,
  "",
  "/** The four kernel builds as base64, by file name (for single-file builds: deriva/wasm-inline). */",
  "export const INLINE_KERNELS: Readonly<Record<string, string>> = {",
];
mkdirSync(generated, { recursive: true });
for (const [name, flags] of Object.entries(variants)) {
  const binary = await compile(name, flags);
  writeWhole(join(generated, `${name}.wasm`), binary);
  lines.push(`  "${name}": "${Buffer.from(binary).toString("base64")}",`);
}
lines.push("};");
writeWhole(target, `${lines.join("\n")}\n`);
copyFiles();
console.log(
  `build-wasm: wrote ${generated.slice(root.length + 1)} (${sources.length} sources, hash ${digest})`,
);
