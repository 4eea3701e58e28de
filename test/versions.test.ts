/** The versions compiled into the code (written into saved models, printed by --version) match the packages'. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VERSION as CLI_VERSION } from "../packages/cli/src/version.js";
import { VERSION as LIBRARY_VERSION } from "../packages/deriva/src/version.js";

const versionOf = (folder: string): string =>
  JSON.parse(readFileSync(new URL(`../packages/${folder}/package.json`, import.meta.url), "utf8")).version;

describe("versions", () => {
  it("the library's VERSION is its package.json version", () => {
    expect(LIBRARY_VERSION).toBe(versionOf("deriva"));
  });
  it("the command line's VERSION is its package.json version, and it depends on that library version", () => {
    expect(CLI_VERSION).toBe(versionOf("cli"));
    const cli = JSON.parse(readFileSync(new URL("../packages/cli/package.json", import.meta.url), "utf8"));
    expect(cli.dependencies.deriva).toBe(versionOf("deriva"));
  });
});
