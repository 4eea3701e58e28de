/**
 * Decoded images → network inputs: resize to a fixed size, choose 1 or 3 channels, scale pixels
 * to [0, 1], lay out channel-first (CHW). Works on RGBA bytes, so a browser can feed a canvas's
 * ImageData as well as Node can feed a decoded PNG or JPEG.
 */

/** 8-bit RGBA pixels, row-major, 4 bytes a pixel (the layout of ImageData, pngjs and jpeg-js). */
export interface RgbaImage {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** The pixels, 4 bytes (R, G, B, A) each, row after row: width × height × 4 bytes. */
  readonly data: Uint8Array | Uint8ClampedArray;
}

/**
 * How images become inputs; saved with a model and re-applied to the images given to predict.
 * (A type alias, not an interface, so that it is assignable to JSON value types.)
 */
export type ImagePreprocessing = {
  /** Tells image preprocessing from tabular preprocessing. */
  kind: "image";
  /** The input height in pixels that every image is resized to. */
  height: number;
  /** The input width in pixels that every image is resized to. */
  width: number;
  /** 1: gray (luminance); 3: RGB. Alpha is dropped. */
  channels: 1 | 3;
  /** "nchw": x is [N, C, H, W]; "flat": x is [N, C·H·W]. */
  layout: "nchw" | "flat";
  /**
   * Per-channel standardization fitted on the training images, one value per channel: an input
   * is (pixel in [0, 1] − mean[c]) / std[c]. Absent: pixels stay in [0, 1].
   */
  mean?: number[];
  /** The standard deviation per channel for the standardization above (with mean). */
  std?: number[];
};

/** How imageToInput fits an image to the input size. */
export interface ImageToInputOptions {
  /**
   * "stretch" (default): the whole image, resized to height × width whatever its aspect;
   * "center": the largest centred window of the input's aspect (a square for square inputs), so
   * that a photo is not distorted.
   */
  fit?: "stretch" | "center";
}

/** Whether every pixel has R = G = B (a gray image, even if stored as color). */
export function isGray(image: RgbaImage): boolean {
  const { data } = image;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] !== data[i + 1] || data[i] !== data[i + 2]) return false;
  }
  return true;
}

/**
 * The image resized to height × width (area averaging when shrinking, bilinear when enlarging),
 * as three planes R, G, B of values in [0, 1]: a Float32Array [3, height, width]. Alpha is dropped.
 */
export function resizeToRgb(image: RgbaImage, height: number, width: number): Float32Array {
  checkImage(image);
  const out = new Float32Array(3 * height * width);
  const columns = resampleTaps(image.width, width);
  const rows = resampleTaps(image.height, height);
  const across = new Float32Array(image.height * width);
  for (let c = 0; c < 3; c++) {
    // along each source row (RGBA bytes → [0, 1]), then along each column of that result
    resample(
      image.data,
      { base: c, lineStride: image.width * 4, step: 4 },
      image.height,
      columns,
      across,
      { base: 0, lineStride: width, step: 1 },
      1 / 255,
    );
    resample(
      across,
      { base: 0, lineStride: 1, step: width },
      width,
      rows,
      out,
      { base: c * height * width, lineStride: 1, step: width },
      1,
    );
  }
  return out;
}

/**
 * RGB planes [3, H, W] → the planes of `channels`: themselves for 3, the luminance
 * 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as PIL's "L") for 1.
 */
export function toChannels(rgb: Float32Array, channels: 1 | 3): Float32Array {
  if (channels === 3) return rgb;
  const plane = rgb.length / 3;
  const gray = new Float32Array(plane);
  for (let i = 0; i < plane; i++) {
    gray[i] = 0.299 * rgb[i]! + 0.587 * rgb[plane + i]! + 0.114 * rgb[2 * plane + i]!;
  }
  return gray;
}

/**
 * One image as a network input [channels, height, width]: (cropped,) resized, gray or RGB, values
 * in [0, 1], then standardized when the preprocessing has a mean and std.
 * @example
 * const photo = { width: 2, height: 2, data: new Uint8Array(16).fill(255) }; // 2×2 white RGBA pixels
 * const preprocessing: data.ImagePreprocessing = { kind: "image", height: 4, width: 4, channels: 1, layout: "nchw" };
 * data.imageToInput(photo, preprocessing, { fit: "center" }).length; // 16
 */
export function imageToInput(
  image: RgbaImage,
  prep: ImagePreprocessing,
  opts: ImageToInputOptions = {},
): Float32Array {
  const source = opts.fit === "center" ? centerCrop(image, prep.width / prep.height) : image;
  const input = toChannels(resizeToRgb(source, prep.height, prep.width), prep.channels);
  if (prep.mean !== undefined && prep.std !== undefined) standardizeInPlace(input, prep.mean, prep.std);
  return input;
}

/**
 * The largest centred window of `image` whose width / height is `aspect` (1: a square), as a new
 * image; the image itself when it has that aspect already.
 */
export function centerCrop(image: RgbaImage, aspect: number): RgbaImage {
  checkImage(image);
  if (!(aspect > 0 && Number.isFinite(aspect)))
    throw new Error(`centerCrop: aspect must be positive, got ${aspect}`);
  const width = Math.max(1, Math.min(image.width, Math.round(image.height * aspect)));
  const height = Math.max(1, Math.min(image.height, Math.round(image.width / aspect)));
  if (width === image.width && height === image.height) return image;
  const left = Math.floor((image.width - width) / 2);
  const top = Math.floor((image.height - height) / 2);
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * 4;
    data.set(image.data.subarray(from, from + width * 4), y * width * 4);
  }
  return { width, height, data };
}

/**
 * Standardizes images in place: `values` holds [C, H, W] samples one after another (planes of
 * `planeSize` = H·W values, cycling through the channels), and each value of channel c becomes
 * (value − mean[c]) / std[c].
 */
export function standardizeInPlace(
  values: Float32Array,
  mean: readonly number[],
  std: readonly number[],
  planeSize: number = values.length / mean.length,
): void {
  const channels = mean.length;
  if (
    std.length !== channels ||
    !Number.isInteger(planeSize) ||
    values.length % (channels * planeSize) !== 0
  ) {
    throw new Error(
      `standardize: ${mean.length} means and ${std.length} stds do not fit ${values.length} values in planes of ${planeSize}`,
    );
  }
  for (let start = 0, c = 0; start < values.length; start += planeSize, c = (c + 1) % channels) {
    const m = mean[c]!;
    const scale = 1 / std[c]!;
    for (let i = start; i < start + planeSize; i++) values[i] = (values[i]! - m) * scale;
  }
}

function checkImage(image: RgbaImage): void {
  const { width, height, data } = image;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`image: width and height must be positive integers, got ${width}×${height}`);
  }
  if (data.length !== width * height * 4) {
    throw new Error(`image: ${data.length} bytes do not hold ${width}×${height} RGBA pixels`);
  }
}

/** For each output index along one axis: the source indices it reads and their weights. */
interface Taps {
  readonly start: Int32Array;
  readonly count: Int32Array;
  /** `maxCount` weights per output index. */
  readonly weights: Float32Array;
  readonly maxCount: number;
}

/**
 * Resampling weights from `source` to `target` samples on one axis, pixel centres at i + 0.5.
 * Shrinking: each output averages the source span it covers, partial pixels by their covered
 * fraction (area averaging, no aliasing). Enlarging or equal: linear interpolation between the
 * two nearest source centres, clamped at the edges.
 */
function resampleTaps(source: number, target: number): Taps {
  const scale = source / target;
  const maxCount = scale > 1 ? Math.ceil(scale) + 1 : 2;
  const start = new Int32Array(target);
  const count = new Int32Array(target);
  const weights = new Float32Array(target * maxCount);
  for (let o = 0; o < target; o++) {
    if (scale > 1) {
      const low = o * scale;
      const high = Math.min((o + 1) * scale, source);
      const first = Math.floor(low);
      const last = Math.min(Math.ceil(high), source);
      start[o] = first;
      count[o] = last - first;
      for (let s = first; s < last; s++) {
        weights[o * maxCount + s - first] = (Math.min(s + 1, high) - Math.max(s, low)) / scale;
      }
    } else {
      const centre = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), source - 1);
      const first = Math.floor(centre);
      const fraction = centre - first;
      start[o] = first;
      count[o] = first + 1 < source ? 2 : 1;
      weights[o * maxCount] = 1 - fraction;
      if (count[o] === 2) weights[o * maxCount + 1] = fraction;
    }
  }
  return { start, count, weights, maxCount };
}

/** Where the samples of one pass lie in a flat array: sample (line, i) is at base + line·lineStride + i·step. */
interface Layout {
  base: number;
  lineStride: number;
  step: number;
}

/**
 * One separable pass: resamples each of `lines` lines of `source` along its length with `taps`,
 * multiplying by `scale`. The horizontal pass runs along rows, the vertical one along columns.
 */
function resample(
  source: ArrayLike<number>,
  from: Layout,
  lines: number,
  taps: Taps,
  out: Float32Array,
  to: Layout,
  scale: number,
): void {
  const length = taps.start.length;
  for (let line = 0; line < lines; line++) {
    const sourceLine = from.base + line * from.lineStride;
    const outLine = to.base + line * to.lineStride;
    for (let o = 0; o < length; o++) {
      const first = sourceLine + taps.start[o]! * from.step;
      const weights = o * taps.maxCount;
      let sum = 0;
      for (let k = 0; k < taps.count[o]!; k++)
        sum += taps.weights[weights + k]! * source[first + k * from.step]!;
      out[outLine + o * to.step] = sum * scale;
    }
  }
}
