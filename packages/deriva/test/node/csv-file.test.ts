import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { TabularPreprocessing } from "../../src/data/tabular.js";
import { loadCsv, loadCsvFeatures } from "../../src/node/csv-file.js";

const iris = fileURLToPath(new URL("../../../../examples/data/iris.csv", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "deriva-csv-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("loadCsv", () => {
  it("loads the iris fixture and re-applies its preprocessing to rows without the target", async () => {
    const ds = await loadCsv(iris);
    expect(ds.x.shape).toEqual([150, 4]);
    expect(ds.classNames).toEqual(["setosa", "versicolor", "virginica"]);
    const path = join(root, "new.csv");
    writeFileSync(path, "petal_width,petal_length,sepal_width,sepal_length\n0.2,1.4,3.5,5.1\n");
    const x = await loadCsvFeatures(path, ds.preprocessing as TabularPreprocessing);
    expect(x.data()).toEqual(ds.x.data().subarray(0, 4));
  });

  it("prefixes errors with the file", async () => {
    const path = join(root, "bad.csv");
    writeFileSync(path, "a,b,c,d,e\n1,2,3,4,x\n1,2,3,4\n");
    await expect(loadCsv(path)).rejects.toThrow(`${path}: row 3 has 4 fields, the header has 5`);
    await expect(loadCsv(join(root, "missing.csv"))).rejects.toThrow(
      `${join(root, "missing.csv")} does not exist`,
    );
    await expect(loadCsv(iris, { target: "kind" })).rejects.toThrow(
      `${iris}: target column 'kind' not found`,
    );
  });
});
