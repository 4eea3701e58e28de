/**
 * Fields over the plane drawn as images (the decision boundary, a neuron's activation): values in
 * [−1, 1] from orange through white to blue, as TensorFlow Playground colours them.
 */

const NEGATIVE = [245, 147, 34];
const ZERO = [232, 234, 235];
const POSITIVE = [8, 119, 189];

/** The colour of a value in [−1, 1] (clamped). */
export function divergingColor(value: number): [number, number, number] {
  const t = Math.max(-1, Math.min(1, Number.isFinite(value) ? value : 0));
  const [from, to, k] = t < 0 ? [ZERO, NEGATIVE, -t] : [ZERO, POSITIVE, t];
  return [0, 1, 2].map((i) => Math.round(from[i]! + (to[i]! - from[i]!) * k)) as [number, number, number];
}

/** A CSS colour of a value in [−1, 1]. */
export function cssColor(value: number): string {
  const [r, g, b] = divergingColor(value);
  return `rgb(${r}, ${g}, ${b})`;
}

/** One small canvas and pixel buffer per field size, reused frame after frame (no allocation per draw). */
const tiles = new Map<number, { tile: HTMLCanvasElement; image: ImageData }>();

function tileOf(n: number): { tile: HTMLCanvasElement; image: ImageData } {
  let entry = tiles.get(n);
  if (entry === undefined) {
    const tile = document.createElement("canvas");
    tile.width = n;
    tile.height = n;
    entry = { tile, image: new ImageData(n, n) };
    tiles.set(n, entry);
  }
  return entry;
}

/**
 * Draws an n×n field (row 0 at the top) into the rectangle, through `toUnit` (value → [−1, 1]);
 * `discretize` shows only the sign.
 */
export function drawField(
  context: CanvasRenderingContext2D,
  values: ArrayLike<number>,
  n: number,
  rect: { x: number; y: number; width: number; height: number },
  toUnit: (value: number) => number,
  discretize = false,
): void {
  const { tile, image } = tileOf(n);
  const pixels = image.data;
  for (let i = 0; i < n * n; i++) {
    let unit = toUnit(values[i]!);
    if (discretize) unit = unit >= 0 ? 1 : -1;
    const [r, g, b] = divergingColor(unit * 0.85);
    pixels[i * 4] = r;
    pixels[i * 4 + 1] = g;
    pixels[i * 4 + 2] = b;
    pixels[i * 4 + 3] = 255;
  }
  tile.getContext("2d")!.putImageData(image, 0, 0);
  context.save();
  context.imageSmoothingEnabled = true;
  context.drawImage(tile, rect.x, rect.y, rect.width, rect.height);
  context.restore();
}
