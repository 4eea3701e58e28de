import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { TabularPreprocessing } from "../../src/data/tabular.js";
import { loadCsv, loadCsvFeatures, readCsvFile } from "../../src/node/csv-file.js";

const iris = fileURLToPath(new URL("../../../../examples/data/iris.csv", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "deriva-csv-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("readCsvFile", () => {
  it("streams a file larger than its chunks into columns, reporting progress", async () => {
    const path = join(root, "big.csv");
    const rows = Array.from({ length: 300_000 }, (_, i) => `${i},${i % 7 === 0 ? "a" : "b"},"q, ${i % 3}"`);
    writeFileSync(path, `n,c,q\n${rows.join("\n")}\n`);
    const seen: number[] = [];
    const table = await readCsvFile(path, { onProgress: (p) => seen.push(p.rows) });
    expect(table.length).toBe(300_000);
    expect(table.columns[0]!.numbers[299_999]).toBe(299_999);
    expect(table.columns[2]!.distinct).toEqual(["q, 0", "q, 1", "q, 2"]);
    expect(table.lines[299_999]).toBe(300_001);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r, i) => i === 0 || r >= seen[i - 1]!)).toBe(true);
  });
});

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
