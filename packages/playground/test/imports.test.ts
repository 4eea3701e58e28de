/**
 * The playground is an app like any user's: it reaches deriva only through the package's public
 * exports ("deriva", "deriva/package.json"), never its sources ("deriva/src/...", a relative path
 * into packages/deriva) and never the Node-only "deriva/node"; and its own relative imports stay
 * inside the playground package.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const PACKAGE = resolve(import.meta.dirname, "..");
const SOURCES = join(PACKAGE, "src");
/** What an app may import from the library. */
const ALLOWED_FROM_DERIVA = new Set(["deriva", "deriva/package.json"]);

function files(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return files(path);
    return /\.(ts|js|css)$/.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier a file names: static imports and re-exports, side-effect imports, import(), new URL(). */
function specifiersOf(source: string): string[] {
  const patterns = [
    /(?:^|\n)\s*(?:import|export)\b[^"';]*?\bfrom\s*["']([^"']+)["']/g,
    /(?:^|\n)\s*import\s*["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\bnew URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url/g,
    /@import\s+["']([^"']+)["']/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1]!));
}

/** Why a specifier is a deep import (null when it is fine). */
function deepImport(file: string, specifier: string): string | null {
  if (specifier.startsWith(".")) {
    const target = resolve(dirname(file), specifier);
    return target.startsWith(PACKAGE)
      ? null
      : `reaches outside the playground (${relative(PACKAGE, target)})`;
  }
  if (specifier === "deriva" || specifier.startsWith("deriva/")) {
    return ALLOWED_FROM_DERIVA.has(specifier) ? null : `is not one of deriva's public browser exports`;
  }
  return null;
}

describe("the playground uses only deriva's public API", () => {
  it("finds the imports it is meant to check", () => {
    const source =
      'import { a } from "deriva";\nimport "./x.css";\nconst m = import("deriva/src/core");\nnew URL("../../deriva/src/a.wasm", import.meta.url);';
    expect(specifiersOf(source)).toEqual(["deriva", "./x.css", "deriva/src/core", "../../deriva/src/a.wasm"]);
    const main = join(SOURCES, "main.ts");
    expect(deepImport(main, "deriva/src/index.ts")).toMatch(/public/);
    expect(deepImport(main, "deriva/node")).toMatch(/public/);
    expect(deepImport(main, "../../deriva/src/core.ts")).toMatch(/outside/);
    expect(deepImport(main, "./engine")).toBeNull();
    expect(deepImport(main, "deriva")).toBeNull();
  });

  it("has no deep import anywhere in its sources", () => {
    const found: string[] = [];
    let derivaImports = 0;
    for (const file of files(SOURCES)) {
      for (const specifier of specifiersOf(readFileSync(file, "utf8"))) {
        if (specifier.startsWith("deriva")) derivaImports++;
        const why = deepImport(file, specifier);
        if (why !== null) found.push(`${relative(PACKAGE, file)}: "${specifier}" ${why}`);
      }
    }
    expect(found).toEqual([]);
    expect(derivaImports).toBeGreaterThan(5);
  });
});
