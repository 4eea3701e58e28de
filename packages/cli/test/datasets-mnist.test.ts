import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { data } from "deriva";
import { describe, expect, it } from "vitest";
import { loadMnist } from "../src/datasets/mnist.js";

const sum = (values: ArrayLike<number>) => {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
};

describe("loadMnist", () => {
  it("builds the workloads' split: checksum of the 8,000 training digits", async () => {
    const { train, test } = await loadMnist();
    expect(train.x.shape).toEqual([8000, 1, 28, 28]);
    expect(train.x.dtype).toBe("float32");
    expect(train.y.shape).toEqual([8000]);
    expect(train.y.dtype).toBe("int32");
    expect(test.x.shape).toEqual([2000, 1, 28, 28]);
    expect(train.classNames).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    expect(train.task).toBe("classification");
    const counts = new Array(10).fill(0);
    for (const label of train.y.data()) counts[label]++;
    // checksum of shared/bench/WORKLOADS.md
    expect(counts).toEqual([807, 880, 811, 834, 775, 674, 802, 873, 751, 793]);
    // the checksum's pixel sum covers all 10,000 digits (train 824929.53 + test 203019.96)
    expect(sum(train.x.data()) + sum(test.x.data())).toBeCloseTo(1027949.49, 1);
    // the test part holds the rest of each digit: 1001/1127/991/... in all
    const testCounts = new Array(10).fill(0);
    for (const label of test.y.data()) testCounts[label]++;
    expect(counts.map((c, d) => c + testCounts[d])).toEqual([
      1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978,
    ]);
  });

  it("keeps each digit's pixels with its label: dataset[i] = concat[P[i]]", async () => {
    const { train, test } = await loadMnist({ flat: true });
    const folder = join(
      dirname(createRequire(import.meta.url).resolve("mnist/package.json")),
      "src",
      "digits",
    );
    const pixels: number[] = [];
    const labels: number[] = [];
    for (let digit = 0; digit < 10; digit++) {
      const data = (JSON.parse(readFileSync(join(folder, `${digit}.json`), "utf8")) as { data: number[] })
        .data;
      for (const v of data) pixels.push(v);
      for (let k = 0; k < data.length / 784; k++) labels.push(digit);
    }
    const order = data.permutation(10000, data.mulberry32(42));
    for (const i of [0, 1, 4321, 7999, 8000, 9999]) {
      const [part, row] = i < 8000 ? [train, i] : [test, i - 8000];
      const source = order[i]!;
      expect(part.y.data()[row]).toBe(labels[source]);
      const expected = Float32Array.from(pixels.slice(source * 784, (source + 1) * 784));
      expect(part.x.data().subarray(row * 784, (row + 1) * 784)).toEqual(expected);
    }
  });

  it("flat on request, pixels in [0, 1], cached within the process", async () => {
    const { train } = await loadMnist({ flat: true });
    expect(train.x.shape).toEqual([8000, 784]);
    expect(train.preprocessing).toEqual({
      kind: "image",
      height: 28,
      width: 28,
      channels: 1,
      layout: "flat",
    });
    const pixels = train.x.data();
    let min = Infinity;
    let max = -Infinity;
    for (const v of pixels) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    const start = performance.now();
    await loadMnist();
    expect(performance.now() - start).toBeLessThan(1000); // cached: no file is read again
  });
});
