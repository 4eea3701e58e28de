/**
 * Data augmentation for training batches: new random variants of the inputs every epoch, so the
 * network learns what does not change a label (a digit moved by a pixel is the same digit).
 */
import { allocate } from "../tensor/dtype.js";
import { fromValues } from "../tensor/storage.js";
import type { Tensor } from "../tensor/tensor.js";

/** Turns a batch of inputs into augmented ones, drawing randomness from `random` (uniform in [0, 1)). */
export type Augment = (x: Tensor, random: () => number) => Tensor;

/**
 * The augmentations fit knows by name: "shift" moves each image by up to one pixel each way (for
 * digits); "flip-crop" mirrors half the images and cuts each from a copy padded by 4 pixels (for photos).
 */
export type AugmentName = "none" | "shift" | "flip-crop";

/** Every augmentation name, in the order the help lists them. */
export const AUGMENT_NAMES: readonly AugmentName[] = ["none", "shift", "flip-crop"];

/**
 * Moves each image of a batch [N, C, H, W] by a random whole number of pixels, dy and dx each
 * drawn uniformly from −maxShift..maxShift, filling the uncovered border with 0 (all channels of
 * an image move together). The result is a new tensor; x is unchanged.
 * @example
 * const batch = rand([4, 1, 28, 28]);
 * train.shiftImages(batch, data.mulberry32(1)).shape; // [4, 1, 28, 28]
 */
export function shiftImages(x: Tensor, random: () => number, maxShift = 1): Tensor {
  const [n, channels, height, width] = checkImages(x, "shiftImages", "shift", ["maxShift", maxShift]);
  const source = x.data();
  const out = allocate(x.dtype, source.length);
  const plane = height * width;
  const choices = 2 * maxShift + 1;
  for (let i = 0; i < n; i++) {
    const dy = Math.floor(random() * choices) - maxShift;
    const dx = Math.floor(random() * choices) - maxShift;
    // the rows and columns of the output that read from inside the source
    const y0 = Math.max(0, dy);
    const y1 = Math.min(height, height + dy);
    const x0 = Math.max(0, dx);
    const x1 = Math.min(width, width + dx);
    for (let c = 0; c < channels; c++) {
      const base = (i * channels + c) * plane;
      for (let y = y0; y < y1; y++) {
        const to = base + y * width;
        const from = base + (y - dy) * width - dx;
        for (let col = x0; col < x1; col++) out[to + col] = source[from + col]!;
      }
    }
  }
  return fromValues(out, x.shape);
}

/**
 * Random horizontal flip and random crop, the standard augmentation for small photos (CIFAR-10):
 * each image of a batch [N, C, H, W] is mirrored left-right with probability 1/2, then an H×W
 * window is cut at a random offset (dy, dx each uniform in 0..2·pad) from the image padded by
 * `pad` zeros on every side; the same for all channels of an image. The result is a new tensor.
 * @example
 * const batch = rand([4, 3, 32, 32]);
 * train.flipCropImages(batch, data.mulberry32(1)).shape; // [4, 3, 32, 32]
 */
export function flipCropImages(x: Tensor, random: () => number, pad = 4): Tensor {
  const [n, channels, height, width] = checkImages(x, "flipCropImages", "flip-crop", ["pad", pad]);
  const source = x.data();
  const out = allocate(x.dtype, source.length);
  const plane = height * width;
  const choices = 2 * pad + 1;
  for (let i = 0; i < n; i++) {
    const flip = random() < 0.5;
    // output (y, col) reads source (y + dy, col + dx) of the unpadded image, or 0 outside it
    const dy = Math.floor(random() * choices) - pad;
    const dx = Math.floor(random() * choices) - pad;
    const y0 = Math.max(0, -dy);
    const y1 = Math.min(height, height - dy);
    const x0 = Math.max(0, -dx);
    const x1 = Math.min(width, width - dx);
    for (let c = 0; c < channels; c++) {
      const base = (i * channels + c) * plane;
      for (let y = y0; y < y1; y++) {
        const row = base + (y + dy) * width;
        const to = base + y * width;
        // a mirrored image's column k is the source's column width − 1 − k
        if (flip) for (let col = x0; col < x1; col++) out[to + col] = source[row + width - 1 - (col + dx)]!;
        else for (let col = x0; col < x1; col++) out[to + col] = source[row + col + dx]!;
      }
    }
  }
  return fromValues(out, x.shape);
}

/** x's shape [N, C, H, W], after checking that x is a batch of images and the size option a whole number ≥ 0. */
function checkImages(
  x: Tensor,
  fn: string,
  augmentation: string,
  [option, value]: [string, number],
): [number, number, number, number] {
  if (x.ndim !== 4) {
    throw new Error(
      `${fn}: the ${augmentation} augmentation needs images [N, C, H, W], got inputs of shape [${x.shape.join(", ")}]`,
    );
  }
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${fn}: ${option} must be a whole number ≥ 0, got ${value}`);
  }
  return x.shape as [number, number, number, number];
}

/** Whether `augment` is none or one of fit's own augmentations (which keep nothing they are given or make). */
export function isOwnAugment(augment: Augment | null): boolean {
  return augment === null || augment === shiftImages || augment === flipCropImages;
}

/** The augmentation for a name or function (null for none). */
export function resolveAugment(choice: AugmentName | Augment | undefined): Augment | null {
  if (choice === undefined || choice === "none") return null;
  if (choice === "shift") return shiftImages;
  if (choice === "flip-crop") return flipCropImages;
  if (typeof choice === "function") return choice;
  throw new Error(`unknown augmentation ${JSON.stringify(choice)} (known: ${AUGMENT_NAMES.join(", ")})`);
}
