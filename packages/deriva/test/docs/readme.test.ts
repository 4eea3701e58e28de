/** The README's TypeScript section on saving and loading a model runs as written, in one program. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { markdownSection, runExample } from "./examples.js";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

it("README: Saving and loading a model in TypeScript", async () => {
  const readme = readFileSync(`${ROOT}README.md`, "utf8");
  const code = markdownSection(readme, "### Saving and loading a model in TypeScript");
  expect(code).toContain("saveModel(");
  expect(code).toContain("loadModel(");
  expect(code).toContain("train.decodeModel(");
  await runExample(code, { "iris.csv": `${ROOT}examples/data/iris.csv` });
});
