/** The built-in datasets as 8-bit images in their train/test split, for `deriva data export`. */
import { CATS_VS_DOGS_CLASSES, catsVsDogsPixels, catsVsDogsSplit, photoOf } from "./datasets/cats-vs-dogs.js";
import { loadMnist } from "./datasets/mnist.js";
import type { ExportedImage } from "./image-export.js";

/** The datasets that `deriva data export` knows. */
export const DATASET_NAMES = ["mnist", "cats-vs-dogs"] as const;
/** A built-in dataset's name. */
export type DatasetName = (typeof DATASET_NAMES)[number];

/** Every image of a built-in dataset, train part first, named by its position in its part. */
export async function builtInImages(name: DatasetName): Promise<ExportedImage[]> {
  return name === "mnist" ? await mnistImages() : await catsVsDogsImages();
}

async function catsVsDogsImages(): Promise<ExportedImage[]> {
  const pixels = await catsVsDogsPixels();
  const plan = catsVsDogsSplit();
  return (["train", "test"] as const).flatMap((part) =>
    plan[part].map((ref, i) => ({
      part,
      className: CATS_VS_DOGS_CLASSES[ref.label]!,
      name: numbered(i, plan[part].length),
      width: 32,
      height: 32,
      channels: 3 as const,
      pixels: photoOf(pixels, ref),
    })),
  );
}

async function mnistImages(): Promise<ExportedImage[]> {
  const split = await loadMnist({ flat: true });
  return (["train", "test"] as const).flatMap((part) => {
    const set = split[part];
    const x = set.x.data();
    const y = set.y.data();
    return Array.from({ length: set.length }, (_, i) => ({
      part,
      className: set.classNames![y[i]!]!,
      name: numbered(i, set.length),
      width: 28,
      height: 28,
      channels: 1 as const,
      pixels: Uint8Array.from(x.subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255)),
    }));
  });
}

/** 7 of 1,600 → "0007": zero-padded so that names sort in dataset order. */
function numbered(i: number, total: number): string {
  return String(i).padStart(String(total - 1).length, "0");
}
