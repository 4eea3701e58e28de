/**
 * The layers of DESIGN.md, checked on the import graph of the library's sources: each folder
 * imports only from its own layer or the ones below, nothing inside the library imports the
 * public barrel (index.ts), and the command line reaches the library only through its package
 * exports. Type-only imports count too: a type from a higher layer is still a dependency on it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const LIBRARY = join(ROOT, "packages/deriva/src");

/**
 * Each top-level entry of packages/deriva/src and its layer, lowest first; a file may import
 * from its own layer and any lower one. Keep in step with DESIGN.md.
 */
const LAYERS: Record<string, number> = {
  "version.ts": 0,
  backend: 1,
  tensor: 2,
  autograd: 3,
  ops: 4,
  derivatives: 5,
  "core.ts": 6,
  expr: 7,
  nn: 7,
  loss: 7,
  optim: 7,
  minimize: 8,
  data: 8,
  io: 8,
  models: 9,
  train: 10,
  onnx: 11,
  node: 12,
  "index.ts": 13,
  "wasm-inline.ts": 13,
};

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** The module specifiers a file imports or re-exports (static and dynamic). */
function specifiers(path: string): string[] {
  const source = readFileSync(path, "utf8");
  const found = [...source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^"';]*?from\s*"([^"]+)"/g)].map(
    (m) => m[1]!,
  );
  found.push(...[...source.matchAll(/(?:^|\n)\s*import\s*"([^"]+)"/g)].map((m) => m[1]!));
  found.push(...[...source.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]!));
  return found;
}

/** The top-level entry of packages/deriva/src that a file lies in. */
function entryOf(path: string): string {
  return relative(LIBRARY, path).split("/")[0]!;
}

describe("the library's layers", () => {
  const files = sourceFiles(LIBRARY).filter((path) => !path.includes("/generated/"));

  it("every top-level folder and file has a layer", () => {
    const unknown = [...new Set(files.map(entryOf))].filter((entry) => !(entry in LAYERS));
    expect(unknown).toEqual([]);
  });

  it("imports go only to the same layer or below, and never through the public barrel", () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = entryOf(file);
      for (const specifier of specifiers(file)) {
        if (!specifier.startsWith(".")) continue;
        const target = normalize(join(dirname(file), specifier)).replace(/\.js$/, ".ts");
        const to = entryOf(target);
        const name = relative(LIBRARY, file);
        if (to === "index.ts" && from !== "index.ts") violations.push(`${name} imports the barrel index.ts`);
        else if ((LAYERS[to] ?? Infinity) > (LAYERS[from] ?? -1)) {
          violations.push(`${name} (${from}) imports ${relative(LIBRARY, target)} (${to}), a higher layer`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it("only deriva/node uses Node's built-in modules", () => {
    const nodeOnly = files.filter(
      (file) =>
        entryOf(file) !== "node" && specifiers(file).some((specifier) => specifier.startsWith("node:")),
    );
    expect(nodeOnly.map((file) => relative(LIBRARY, file))).toEqual([]);
  });
});

/** A file's code without its comments (a comment may name the storage field). */
function code(path: string): string {
  return readFileSync(path, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:])\/\/.*$/gm, "$1");
}

describe("the storage seam (backend/storage.ts)", () => {
  const files = sourceFiles(LIBRARY).filter((path) => !path.includes("/generated/"));
  /** The engine: the backend owns storage, tensor/ holds it, ops/ hands it to kernels. */
  const ENGINE = new Set(["backend", "tensor", "ops"]);

  it("no layer above the engine touches a tensor's storage or wraps a raw array as a tensor", () => {
    const violations: string[] = [];
    for (const file of files.filter((path) => !ENGINE.has(entryOf(path)))) {
      const source = code(file);
      const name = relative(LIBRARY, file);
      if (/\.storage\b/.test(source))
        violations.push(`${name} reads .storage (use data()/read() or tensor/storage.ts)`);
      if (/\bnew Tensor\(/.test(source))
        violations.push(`${name} calls new Tensor (use fromValues: an upload)`);
    }
    expect(violations).toEqual([]);
  });

  it("ops/ only hands storage to backend calls, never indexes or aliases it", () => {
    const violations: string[] = [];
    for (const file of files.filter((path) => entryOf(path) === "ops")) {
      const source = code(file);
      for (const match of source.matchAll(/\.storage\b(?!(?:\s+as\s+\w+)?\s*[,)])/g)) {
        const line = source.slice(0, match.index).split("\n").length;
        violations.push(`${relative(LIBRARY, file)}:${line}`);
      }
    }
    expect(violations).toEqual([]);
  });
});

describe("the command line", () => {
  it("reaches the library only through its package exports", () => {
    const cli = join(ROOT, "packages/cli/src");
    const exported = Object.keys(
      JSON.parse(readFileSync(join(ROOT, "packages/deriva/package.json"), "utf8")).exports as object,
    ).map((key) => join("deriva", key));
    const deep: string[] = [];
    for (const file of sourceFiles(cli)) {
      for (const specifier of specifiers(file)) {
        const intoLibrary = specifier.startsWith("deriva") && !exported.includes(normalize(specifier));
        const outOfPackage =
          specifier.startsWith(".") && !normalize(join(dirname(file), specifier)).startsWith(cli);
        if (intoLibrary || outOfPackage) deep.push(`${relative(cli, file)}: ${specifier}`);
      }
    }
    expect(deep).toEqual([]);
  });
});
