import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readCsvTable } from "../../src/data/csv.js";
import { parseCsv, parseCsvFeatures } from "../../src/data/csv-dataset.js";
import type { TabularPreprocessing } from "../../src/data/tabular.js";

const iris = readFileSync(new URL("../../../../examples/data/iris.csv", import.meta.url), "utf8");

describe("the iris fixture", () => {
  it("is the UCI table: 150 rows, 50 of each class, well-known rows in place", () => {
    const table = readCsvTable(iris);
    expect(table.header).toEqual(["sepal_length", "sepal_width", "petal_length", "petal_width", "species"]);
    expect(table.length).toBe(150);
    const species = table.columns[4]!;
    const counts = new Map<string, number>();
    for (const code of species.codes!)
      counts.set(species.distinct![code]!, (counts.get(species.distinct![code]!) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ setosa: 50, versicolor: 50, virginica: 50 });
    const row = (r: number) => [0, 1, 2, 3].map((c) => table.columns[c]!.numbers[r]);
    expect(row(0)).toEqual([5.1, 3.5, 1.4, 0.2]);
    expect(row(50)).toEqual([7.0, 3.2, 4.7, 1.4]);
    expect(row(100)).toEqual([6.3, 3.3, 6.0, 2.5]);
    expect(row(149)).toEqual([5.9, 3.0, 5.1, 1.8]);
    // column sums of the UCI file (its summary: means 5.84, 3.05, 3.76, 1.20)
    const sums = [0, 1, 2, 3].map((c) => table.columns[c]!.numbers.reduce((a, b) => a + b, 0));
    expect(sums.map((s) => Math.round(s * 10) / 10)).toEqual([876.5, 458.1, 563.8, 179.8]);
  });
});

describe("parseCsv", () => {
  it("reads iris: 4 standardized features, 3 classes from the string target", () => {
    const ds = parseCsv(iris);
    expect(ds.x.shape).toEqual([150, 4]);
    expect(ds.x.dtype).toBe("float32");
    expect(ds.y.shape).toEqual([150]);
    expect(ds.y.dtype).toBe("int32");
    expect(ds.task).toBe("classification");
    expect(ds.classNames).toEqual(["setosa", "versicolor", "virginica"]);
    expect(ds.featureNames).toEqual(["sepal_length", "sepal_width", "petal_length", "petal_width"]);
    const y = ds.y.toArray() as number[];
    expect([y[0], y[50], y[149]]).toEqual([0, 1, 2]);
    const prep = ds.preprocessing as TabularPreprocessing;
    const sepal = prep.columns[0]!;
    expect(sepal.kind).toBe("numeric");
    if (sepal.kind !== "numeric") return;
    expect(sepal.mean).toBeCloseTo(876.5 / 150, 10);
    expect(sepal.std).toBeCloseTo(0.8253, 4); // population std
    // each standardized column has mean 0 and variance 1
    const x = ds.x.toArray() as number[][];
    for (let c = 0; c < 4; c++) {
      const column = x.map((row) => row[c]!);
      const mean = column.reduce((s, v) => s + v, 0) / 150;
      const variance = column.reduce((s, v) => s + (v - mean) ** 2, 0) / 150;
      expect(Math.abs(mean)).toBeLessThan(1e-6);
      expect(variance).toBeCloseTo(1, 5);
    }
    expect(x[0]![0]).toBeCloseTo((5.1 - sepal.mean) / sepal.std, 6);
  });

  it("one-hot encodes string columns and records the categories", () => {
    const text = "size,color,price\n1,red,10.5\n2,blue,11\n3,red,12.25\n4,green,13\n";
    const ds = parseCsv(text, { standardize: false });
    expect(ds.task).toBe("regression");
    expect(ds.y.shape).toEqual([4, 1]);
    expect(ds.y.toArray()).toEqual([[10.5], [11], [12.25], [13]]);
    expect(ds.featureNames).toEqual(["size", "color=blue", "color=green", "color=red"]);
    expect(ds.x.toArray()).toEqual([
      [1, 0, 0, 1],
      [2, 1, 0, 0],
      [3, 0, 0, 1],
      [4, 0, 1, 0],
    ]);
    const prep = ds.preprocessing as TabularPreprocessing;
    expect(prep.columns[1]).toEqual({
      name: "color",
      kind: "categorical",
      categories: ["blue", "green", "red"],
    });
  });

  it("chooses the target by name; integers with few values are classes, floats a regression", () => {
    const text = "a,label,b\n0.5,1,x\n1.5,0,y\n2.5,2,x\n3.5,1,y\n";
    const ds = parseCsv(text, { target: "label" });
    expect(ds.task).toBe("classification");
    expect(ds.classNames).toEqual(["0", "1", "2"]);
    expect(ds.y.toArray()).toEqual([1, 0, 2, 1]);
    expect(ds.featureNames).toEqual(["a", "b=x", "b=y"]);
    expect(parseCsv(text, { target: "a" }).task).toBe("regression");
    expect(parseCsv(text, { target: "label", task: "regression" }).task).toBe("regression");
    const many = `x,y\n${Array.from({ length: 30 }, (_, i) => `${i},${i}`).join("\n")}\n`;
    expect(parseCsv(many).task).toBe("regression");
    expect(parseCsv(many, { maxClasses: 30 }).task).toBe("classification");
  });

  it("a constant column stays finite; quoted fields and CRLF are read", () => {
    const ds = parseCsv('"a, b",c,t\r\n1,"x",p\r\n1,"y",q\r\n');
    expect(ds.featureNames).toEqual(["a, b", "c=x", "c=y"]);
    expect(ds.x.toArray()).toEqual([
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });

  it("a column constant to 12 digits at float64's limit stays finite in float32 (found by the property test)", () => {
    const ds = parseCsv("c0,c1,c2,c3\n0,0,1.7976931348587172e+308,-1\nred,0,1.797693134855122e+308,0");
    const values = Array.from(ds.x.data());
    expect(values.every(Number.isFinite)).toBe(true);
    // c2 is the last feature: ±(half the spread) / the magnitude, about ±1e-12
    const c2 = [values[3]!, values[7]!];
    expect(c2[0]).toBeCloseTo(-c2[1]!, 15);
    expect(Math.abs(c2[0]!)).toBeLessThan(1e-11);
  });

  it("re-applies a saved preprocessing to new rows (columns by name, any order)", () => {
    const train = parseCsv("n,color,t\n1,red,a\n3,blue,b\n");
    const prep = JSON.parse(JSON.stringify(train.preprocessing)) as TabularPreprocessing;
    const again = parseCsv("color,t,n,extra\nblue,b,2,zzz\nred,a,5,zzz\n", { preprocessing: prep });
    expect(again.classNames).toEqual(["a", "b"]);
    expect(again.y.toArray()).toEqual([1, 0]);
    // n: mean 2, std 1
    expect(again.x.toArray()).toEqual([
      [0, 1, 0],
      [3, 0, 1],
    ]);
    const features = parseCsvFeatures("n,color\n3,red\n", prep);
    expect(features.toArray()).toEqual([[1, 0, 1]]);
  });

  it("unknown categories: an error by default, all zeros on request", () => {
    const prep = parseCsv("n,color,t\n1,red,a\n3,blue,b\n").preprocessing as TabularPreprocessing;
    expect(() => parseCsvFeatures("n,color\n3,green\n", prep)).toThrow(
      "row 2, column 'color': category 'green' was not seen in training (known: blue, red)",
    );
    expect(parseCsvFeatures("n,color\n3,green\n", prep, { unknownCategory: "zeros" }).toArray()).toEqual([
      [1, 0, 0],
    ]);
    expect(() => parseCsv("n,color,t\n1,red,c\n", { preprocessing: prep })).toThrow(
      "row 2, column 't': class 'c' was not seen in training (classes: a, b)",
    );
    expect(() => parseCsvFeatures("color\nred\n", prep)).toThrow(
      "input column 'n' not found; the columns are: color (the model's input columns: n, color)",
    );
  });
});

describe("parseCsv errors name the row and the column", () => {
  it("ragged rows", () => {
    const text = "a,b,c,d,e\n1,2,3,4,x\n1,2,3,4\n";
    expect(() => parseCsv(text)).toThrow("row 3 has 4 fields, the header has 5");
  });

  it("rows are lines of the file, blank lines counted", () => {
    const text = "a,b\n1,x\n\n2,y\n3\n";
    expect(() => parseCsv(text)).toThrow("row 5 has 1 fields, the header has 2");
  });

  it("a non-numeric cell in a numeric column", () => {
    const rows = Array.from({ length: 8 }, (_, i) => `${i}.5,${i % 2}`);
    rows.splice(7, 0, "abc,1");
    const text = `sepal_length,t\n${rows.join("\n")}\n`;
    expect(() => parseCsv(text)).toThrow("row 9, column 'sepal_length': 'abc' is not a number");
    const empty = "a,t\n1,0\n,1\n3,0\n";
    expect(() => parseCsv(empty)).toThrow(
      "row 3, column 'a': the cell is empty (missing values are not supported)",
    );
  });

  it("a missing target column lists the columns", () => {
    expect(() => parseCsv(iris, { target: "class" })).toThrow(
      "target column 'class' not found; the columns are: sepal_length, sepal_width, petal_length, petal_width, species",
    );
  });

  it("a regression on a string target, a header-only or empty file, bad headers, bad quoting", () => {
    expect(() => parseCsv(iris, { task: "regression" })).toThrow(
      "the target column 'species' holds strings; a regression target must be numeric",
    );
    expect(() => parseCsv("a,b\n")).toThrow("the CSV has a header but no data rows");
    expect(() => parseCsv("")).toThrow("the CSV is empty");
    expect(() => parseCsv("a,,b\n1,2,3\n")).toThrow("column 2 has an empty name in the header (row 1)");
    expect(() => parseCsv("a,b,a\n1,2,3\n")).toThrow(
      "column 'a' appears twice in the header (columns 1 and 3)",
    );
    expect(() => parseCsv('a,b\n1,"2\n')).toThrow("invalid CSV: row 2: Quoted field unterminated");
    expect(() => parseCsv("y\n1\n2\n")).toThrow(
      "the CSV has no feature columns: its only column is the target 'y'",
    );
  });
});

describe("parseCsv refuses what it used to read silently wrong", () => {
  it("hexadecimal, binary and 'Infinity' cells are not numbers; 1e999 is beyond range", () => {
    const rows = (cell: string) => `a,t\n1,x\n2,y\n${cell},x\n4,y\n`;
    expect(() => parseCsv(rows("0x10"))).toThrow("row 4, column 'a': '0x10' is not a number");
    expect(() => parseCsv(rows("0b11"))).toThrow("row 4, column 'a': '0b11' is not a number");
    expect(() => parseCsv(rows("Infinity"))).toThrow("row 4, column 'a': 'Infinity' is not a number");
    expect(() => parseCsv(rows("1e999"))).toThrow(
      "row 4, column 'a': '1e999' is beyond the range of numbers (±1.8e308)",
    );
  });

  it("huge values give finite statistics (the variance of 1e160 or 1e308 no longer overflows)", () => {
    for (const big of ["1e160", "1e308", "-1.7e308"]) {
      const ds = parseCsv(`a,t\n1,x\n2,y\n${big},x\n4,y\n`);
      const column = (ds.preprocessing as TabularPreprocessing).columns[0]!;
      if (column.kind !== "numeric") throw new Error("numeric expected");
      expect(Number.isFinite(column.mean), big).toBe(true);
      expect(Number.isFinite(column.std) && column.std > 0, big).toBe(true);
      expect(Array.from(ds.x.data()).every(Number.isFinite), big).toBe(true);
    }
    // against the textbook formula where it does not overflow
    const ds = parseCsv("a,t\n1e150,x\n3e150,y\n");
    const column = (ds.preprocessing as TabularPreprocessing).columns[0] as { mean: number; std: number };
    expect(column.mean).toBeCloseTo(2e150, -140);
    expect(column.std / 1e150).toBeCloseTo(1, 12);
  });

  it("a target with one class, or with an empty cell, is refused", () => {
    expect(() => parseCsv("a,t\n1,x\n2,x\n3,x\n")).toThrow(
      "the target column 't' has one class ('x') in all 3 rows: a classifier needs at least two",
    );
    expect(() => parseCsv("a,t\n1,x\n2,\n3,y\n")).toThrow(
      "row 3, column 't': the target is empty (every row needs one)",
    );
    expect(() => parseCsv("a,t\n1,1\n2,\n3,0\n")).toThrow("row 3, column 't': the target is empty");
  });

  it("a regression target beyond float32 is refused", () => {
    const rows = Array.from({ length: 12 }, (_, i) => `${i},${i + 0.5}`);
    rows.push("12,1e300");
    expect(() => parseCsv(`a,t\n${rows.join("\n")}\n`)).toThrow(
      "row 14, column 't': 1e+300 is beyond float32's range (±3.4e38)",
    );
  });

  it("counts lines of quoted cells that span lines", () => {
    const text = 'a,b,t\n1,"two\nlines",x\n2,z\n';
    expect(() => parseCsv(text)).toThrow("row 4 has 2 fields, the header has 3");
  });
});
