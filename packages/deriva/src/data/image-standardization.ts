/**
 * Per-channel standardization of image data sets: the mean and standard deviation of each channel
 * over the training images, saved in the preprocessing (so eval and predict re-apply them) and
 * subtracted and divided out of every pixel. Photos train faster and better centred on 0.
 */
import { fromValues } from "../tensor/storage.js";
import type { Tensor } from "../tensor/tensor.js";
import { Dataset } from "./dataset.js";
import { type ImagePreprocessing, standardizeInPlace } from "./image.js";

/** The mean and standard deviation of each channel. */
export interface ChannelStats {
  /** One mean per channel. */
  mean: number[];
  /** One positive standard deviation per channel. */
  std: number[];
}

/**
 * The mean and (population) standard deviation of each channel over all the images of `x`
 * ([N, C, H, W], or [N, C·H·W] with `prep`'s sizes), in float64. A channel that never varies gets
 * std 1, so dividing by it is harmless.
 */
export function fitChannelStats(x: Tensor, prep: ImagePreprocessing): ChannelStats {
  const { channels, height, width } = prep;
  const plane = height * width;
  const values = x.data();
  if (values.length % (channels * plane) !== 0) {
    throw new Error(
      `fitChannelStats: x ${JSON.stringify(x.shape)} does not hold ${channels}×${height}×${width} images`,
    );
  }
  const sum = new Float64Array(channels);
  const squares = new Float64Array(channels);
  for (let start = 0, c = 0; start < values.length; start += plane, c = (c + 1) % channels) {
    let s = 0;
    let q = 0;
    for (let i = start; i < start + plane; i++) {
      const v = values[i]!;
      s += v;
      q += v * v;
    }
    sum[c]! += s;
    squares[c]! += q;
  }
  const count = values.length / channels;
  const mean = Array.from(sum, (s) => s / count);
  const std = mean.map((m, c) => {
    const variance = squares[c]! / count - m * m;
    return variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
  return { mean, std };
}

/**
 * The image data set standardized per channel: with `stats` (e.g. a saved model's), those; else
 * fitted on this data set's images. The result's preprocessing records them, so that a model
 * trained on it applies the same to the images it is given later.
 * @example
 * const preprocessing: data.ImagePreprocessing = { kind: "image", height: 4, width: 4, channels: 3, layout: "nchw" };
 * const photos = new data.Dataset({ x: rand([8, 3, 4, 4]), y: randint(0, 2, [8], { dtype: "int32" }), preprocessing });
 * const ready = data.standardizeImages(photos); // each channel now has mean 0 and std 1
 * const stats = ready.preprocessing as data.ImagePreprocessing; // with the fitted mean and std
 * const more = data.standardizeImages(photos, { mean: stats.mean!, std: stats.std! }); // the same statistics
 */
export function standardizeImages(dataset: Dataset, stats?: ChannelStats): Dataset {
  const prep = dataset.preprocessing;
  if (prep?.kind !== "image")
    throw new Error("standardizeImages: the data set is not images (no image preprocessing)");
  if (prep.mean !== undefined) throw new Error("standardizeImages: the images are standardized already");
  const { mean, std } = stats ?? fitChannelStats(dataset.x, prep);
  if (mean.length !== prep.channels || std.length !== prep.channels || !std.every((s) => s > 0)) {
    throw new Error(
      `standardizeImages: needs ${prep.channels} means and positive stds, got ${JSON.stringify({ mean, std })}`,
    );
  }
  const values = Float32Array.from(dataset.x.data());
  standardizeInPlace(values, mean, std, prep.height * prep.width);
  return new Dataset({
    x: fromValues(values, dataset.x.shape),
    y: dataset.y,
    task: dataset.task,
    classNames: dataset.classNames,
    preprocessing: { ...prep, mean: [...mean], std: [...std] },
  });
}
