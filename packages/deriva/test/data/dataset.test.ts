import { describe, expect, it } from "vitest";
import { Dataset } from "../../src/data/dataset.js";
import { DataLoader } from "../../src/data/loader.js";
import { mulberry32, permutation } from "../../src/data/seeded-shuffle.js";
import { tensor } from "../../src/index.js";

/** 10 samples: x[i] = [i, 10 i], y[i] = i mod 3. */
function tiny(): Dataset {
  const x = tensor(
    Array.from({ length: 10 }, (_, i) => [i, 10 * i]),
    { dtype: "float32" },
  );
  const y = tensor(
    Array.from({ length: 10 }, (_, i) => i % 3),
    { dtype: "int32" },
  );
  return new Dataset({ x, y, classNames: ["a", "b", "c"], featureNames: ["u", "v"] });
}

describe("Dataset", () => {
  it("holds x, y and metadata; infers the task from y", () => {
    const ds = tiny();
    expect(ds.length).toBe(10);
    expect(ds.task).toBe("classification");
    expect(ds.classNames).toEqual(["a", "b", "c"]);
    const reg = new Dataset({ x: tensor([[1], [2]]), y: tensor([0.5, 1.5]) });
    expect(reg.task).toBe("regression");
    expect(reg.classNames).toBeNull();
    const unnamed = new Dataset({ x: tensor([[1], [2]]), y: tensor([0, 4], { dtype: "int32" }) });
    expect(unnamed.classNames).toEqual(["0", "1", "2", "3", "4"]);
  });

  it("refuses mismatched or invalid data", () => {
    expect(() => new Dataset({ x: tensor([[1], [2]]), y: tensor([1], { dtype: "int32" }) })).toThrow(
      "Dataset: x [2, 1] and y [1] hold different numbers of samples",
    );
    expect(() => new Dataset({ x: tensor([[1]]), y: tensor([0.5]), task: "classification" })).toThrow(
      /classification labels are int32 class indices/,
    );
    expect(
      () => new Dataset({ x: tensor([[1]]), y: tensor([3], { dtype: "int32" }), classNames: ["a", "b"] }),
    ).toThrow("Dataset: label 3 is out of range for 2 class names");
    expect(() => new Dataset({ x: tensor([[1]]), y: tensor([-1], { dtype: "int32" }) })).toThrow(/negative/);
    expect(() => new Dataset({ x: tensor([[1, 2]]), y: tensor([0.5]), featureNames: ["a"] })).toThrow(
      /1 feature names do not match x \[1, 2\]/,
    );
  });

  it("subset copies the rows asked for, in order", () => {
    const part = tiny().subset([7, 2, 2]);
    expect(part.x.toArray()).toEqual([
      [7, 70],
      [2, 20],
      [2, 20],
    ]);
    expect(part.y.toArray()).toEqual([1, 2, 2]);
    expect(part.classNames).toEqual(["a", "b", "c"]);
    expect(part.featureNames).toEqual(["u", "v"]);
    expect(() => tiny().subset([10])).toThrow("gatherRows: index 10 is out of range for 10 rows");
  });

  it("split is a seeded shuffle: same seed same parts, parts disjoint and complete", () => {
    const [train, validation] = tiny().split(0.3, 5);
    expect(train.length).toBe(7);
    expect(validation.length).toBe(3);
    const ids = (d: Dataset) => (d.x.toArray() as number[][]).map((row) => row[0]!);
    expect([...ids(train), ...ids(validation)]).toEqual([...permutation(10, mulberry32(5))]);
    const [again] = tiny().split(0.3, 5);
    expect(ids(again)).toEqual(ids(train));
    const [other] = tiny().split(0.3, 6);
    expect(ids(other)).not.toEqual(ids(train));
    // labels travel with their rows
    for (const d of [train, validation]) expect(d.y.toArray()).toEqual(ids(d).map((id) => id % 3));
  });

  it("split refuses fractions that leave a part empty", () => {
    expect(() => tiny().split(0, 1)).toThrow(/strictly between 0 and 1/);
    expect(() => tiny().split(1, 1)).toThrow(/strictly between 0 and 1/);
    expect(() => tiny().split(0.01, 1)).toThrow(
      "Dataset.split: a fraction of 0.01 of 10 samples leaves one part empty",
    );
  });
});

describe("DataLoader", () => {
  const ids = (x: { toArray(): unknown }) => (x.toArray() as number[][]).map((row) => row[0]!);

  it("without shuffling visits the data in order, with a short last batch", () => {
    const loader = new DataLoader(tiny(), { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = [...loader];
    expect(batches.map((b) => ids(b.x))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(batches[2]!.y.toArray()).toEqual([2, 0]);
    expect(batches[2]!.y.dtype).toBe("int32");
    expect([...batches[1]!.indices]).toEqual([4, 5, 6, 7]);
  });

  it("dropLast leaves out the short batch", () => {
    const loader = new DataLoader(tiny(), { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect([...loader].map((b) => b.x.shape)).toEqual([
      [4, 2],
      [4, 2],
    ]);
  });

  it("shuffles with permutation(N, mulberry32(seed + epoch)): new order each epoch, reproducible", () => {
    const loader = new DataLoader(tiny(), { batchSize: 3, shuffle: true, seed: 1000 });
    const epoch0 = [...loader].flatMap((b) => ids(b.x));
    const epoch1 = [...loader].flatMap((b) => ids(b.x));
    expect(epoch0).toEqual([...permutation(10, mulberry32(1000))]);
    expect(epoch1).toEqual([...permutation(10, mulberry32(1001))]);
    expect(epoch1).not.toEqual(epoch0);
    expect(loader.epoch).toBe(2);
    const again = new DataLoader(tiny(), { batchSize: 3, shuffle: true, seed: 1000 });
    expect([...again].flatMap((b) => ids(b.x))).toEqual(epoch0);
    again.setEpoch(1);
    expect([...again].flatMap((b) => ids(b.x))).toEqual(epoch1);
    // rows keep their labels
    for (const b of loader.batches(4)) {
      expect(b.y.toArray()).toEqual(ids(b.x).map((id) => id % 3));
    }
  });

  it("gathers rows of any shape and dtype", () => {
    const x = tensor(
      Array.from({ length: 24 }, (_, i) => i),
      { dtype: "float64", shape: [3, 2, 2, 2] },
    );
    const y = tensor([[0.5], [1.5], [2.5]]);
    const [batch] = new DataLoader({ x, y }, { batchSize: 2 }).batches(0);
    expect(batch!.x.shape).toEqual([2, 2, 2, 2]);
    expect(batch!.x.dtype).toBe("float64");
    expect(Array.from(batch!.x.data())).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(batch!.y.toArray()).toEqual([[0.5], [1.5]]);
  });

  it("refuses bad options", () => {
    expect(() => new DataLoader(tiny(), { batchSize: 0 })).toThrow(/batchSize must be a positive integer/);
    expect(() => new DataLoader(tiny(), { seed: Number.NaN })).toThrow(/seed must be a finite number/);
    expect(() => new DataLoader(tiny()).setEpoch(-1)).toThrow(/non-negative integer/);
  });
});
