/**
 * What a user gets, measured the user's way: the packages packed by npm and installed into fresh
 * apps, then an app importing `{ tensor, grad }` bundled by esbuild for the browser and compared
 * with the same app on TensorFlow.js (tfjs-core + its cpu backend) and on jax-js.
 *
 *   npm run bench:size [-- --markdown size.md]
 *
 * It also checks the two ways of loading the package that a top-level await used to break:
 * `require("deriva")` from CommonJS, and an esbuild IIFE bundle. Needs `npm run build` first
 * (the npm script does it) and the npm registry or cache for the library's dependencies.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const ROOT = resolve(import.meta.dirname, "..");
const KB = 1024;
const MB = 1024 * 1024;

/** Bytes of every file under a folder (what the files hold, not the disk blocks they take). */
function folderBytes(folder: string): number {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) total += folderBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Packs a workspace with npm and returns the tarball's path. */
function pack(workspace: string, into: string): string {
  const out = run("npm", ["pack", "--json", "-w", workspace, "--pack-destination", into], ROOT);
  const [{ filename }] = JSON.parse(out) as { filename: string }[];
  return join(into, filename);
}

/** A fresh app folder with these tarballs installed; returns the folder. */
function installApp(name: string, tarballs: string[], scratch: string): string {
  const app = join(scratch, name);
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name, private: true, type: "module" }));
  run(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--legacy-peer-deps", ...tarballs],
    app,
  );
  return app;
}

interface BundleSize {
  readonly label: string;
  readonly js: number;
  readonly jsGzip: number;
  readonly wasmGzip: number | null;
}

async function bundleSize(label: string, entry: string, wasmFile: string | null): Promise<BundleSize> {
  const result = await build({
    entryPoints: [entry],
    outfile: join(scratch, "bundle.js"),
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  const bytes = Buffer.concat(result.outputFiles.map((file) => file.contents));
  return {
    label,
    js: bytes.length,
    jsGzip: gzipSync(bytes, { level: 9 }).length,
    wasmGzip: wasmFile ? gzipSync(readFileSync(wasmFile), { level: 9 }).length : null,
  };
}

const markdownAt = process.argv.indexOf("--markdown");
const scratch = mkdtempSync(join(tmpdir(), "deriva-size-"));
const tarballs = mkdtempSync(join(tmpdir(), "deriva-packs-"));
const library = pack("deriva", tarballs);
const cli = pack("@deriva/cli", tarballs);

const libraryApp = installApp("library-app", [library], scratch);
const cliApp = installApp("cli-app", [library, cli], scratch);
const installs = [
  { label: "`npm install deriva` (the library)", app: libraryApp },
  { label: "`npm install @deriva/cli` (command line, datasets)", app: cliApp },
];

// the app of the bundle comparison, written three times
writeFileSync(
  join(libraryApp, "app.js"),
  `import { grad, tensor } from "deriva";\nconst f = (x) => x.mul(x).sub(x.mul(4)).add(6);\nconsole.log(grad(f)(tensor(8)).item());\n`,
);
writeFileSync(
  join(ROOT, "node_modules", ".deriva-size-tfjs.js"),
  `import * as tf from "@tensorflow/tfjs-core";\nimport "@tensorflow/tfjs-backend-cpu";\nconst f = (x) => x.mul(x).sub(x.mul(4)).add(6);\nconsole.log(tf.grad(f)(tf.scalar(8)).dataSync()[0]);\n`,
);
writeFileSync(
  join(ROOT, "node_modules", ".deriva-size-jax.js"),
  `import { grad, numpy as np } from "@jax-js/jax";\nconst f = (x) => x.ref.mul(x).sub(x.mul(4)).add(6);\nconsole.log(grad(f)(np.array(8)).js());\n`,
);
const wasmAsset = join(
  libraryApp,
  "node_modules/deriva/dist/backend/wasm/generated/kernels-relaxed-threads.wasm",
);
const bundles = [
  await bundleSize("deriva", join(libraryApp, "app.js"), wasmAsset),
  await bundleSize(
    "TensorFlow.js (tfjs-core + tfjs-backend-cpu)",
    join(ROOT, "node_modules/.deriva-size-tfjs.js"),
    null,
  ),
  await bundleSize("jax-js (@jax-js/jax)", join(ROOT, "node_modules/.deriva-size-jax.js"), null),
];

// the two ways of loading that a top-level await broke
const required = run(
  process.execPath,
  ["-e", 'const d = require("deriva"); console.log(d.getBackend(), d.grad((x) => x.mul(x))(3).item())'],
  libraryApp,
).trim();
await build({
  entryPoints: [join(libraryApp, "app.js")],
  bundle: true,
  format: "iife",
  platform: "browser",
  outfile: join(libraryApp, "app.iife.js"),
  logLevel: "silent",
});
const iife = run(process.execPath, [join(libraryApp, "app.iife.js")], libraryApp).trim();

const lines = [
  "| install | node_modules (file bytes) |",
  "| --- | --- |",
  ...installs.map(
    ({ label, app }) => `| ${label} | ${(folderBytes(join(app, "node_modules")) / MB).toFixed(2)} MB |`,
  ),
  "",
  "| `{ tensor, grad }` app, esbuild --minify, browser | JavaScript | gzipped | + WebAssembly, gzipped |",
  "| --- | --- | --- | --- |",
  ...bundles.map(
    (b) =>
      `| ${b.label} | ${(b.js / KB).toFixed(1)} KB | ${(b.jsGzip / KB).toFixed(1)} KB | ${
        b.wasmGzip === null ? "–" : `${(b.wasmGzip / KB).toFixed(1)} KB (one .wasm file)`
      } |`,
  ),
  "",
  `require("deriva") from CommonJS: ${required} (backend, d/dx x² at 3)`,
  `esbuild --format=iife bundle, run by node: ${iife} (f′(8))`,
];
const table = lines.join("\n");
console.log(table);
if (markdownAt > 0) writeFileSync(process.argv[markdownAt + 1]!, `${table}\n`);
