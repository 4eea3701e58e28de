/**
 * A picture of what a model sees and says: a PNG grid of images, each enlarged, with its predicted
 * class under it; a misclassified image gets a red frame, its prediction in red and its true
 * class after it. Written to a model folder after training (predictions.png) and by
 * `deriva eval --grid`.
 */
import { type data, type nn, train } from "deriva";
import { writeFileAtomic } from "deriva/node";
import { fonts, renderPixels } from "js-pixel-fonts";
import { PNG } from "pngjs";

/** The grid's file in a model folder. */
export const PREDICTIONS_PNG = "predictions.png";

type Rgb = readonly [number, number, number];
const GREEN: Rgb = [22, 130, 50];
const RED: Rgb = [205, 30, 30];
const INK: Rgb = [40, 40, 40];
const PAPER: Rgb = [255, 255, 255];
const FONT = fonts.sevenPlus;
const LINE = FONT.lineHeight + 4;
const FRAME = 2;
const GAP = 6;

/** How many images a prediction grid shows, and how many to a row. */
export interface GridOptions {
  /** How many images, from the first (default 48). */
  count?: number;
  /** Images per row (default 8). */
  columns?: number;
}

/** One image of the grid: its pixels as the model's input ([C, H, W] values), its true and predicted class. */
interface Cell {
  input: Float32Array;
  truth: string;
  predicted: string;
}

/**
 * The grid as PNG bytes, for the first images of `dataset` (images with their preprocessing) and
 * the classes `predicted` for them. Standardized inputs are turned back into pixels for display.
 */
export function predictionGridPng(
  dataset: data.Dataset,
  predicted: Int32Array,
  opts: GridOptions = {},
): Uint8Array {
  const prep = dataset.preprocessing;
  if (prep?.kind !== "image" || dataset.classNames === null) {
    throw new Error("a prediction grid needs a classification data set of images");
  }
  const names = dataset.classNames;
  const count = Math.min(opts.count ?? 48, dataset.length);
  const size = prep.channels * prep.height * prep.width;
  const x = dataset.x.data() as Float32Array;
  const y = dataset.y.data() as Int32Array;
  const cells: Cell[] = Array.from({ length: count }, (_, i) => ({
    input: x.subarray(i * size, (i + 1) * size),
    truth: names[y[i]!]!,
    predicted: names[predicted[i]!]!,
  }));
  const wrong = cells.filter((c) => c.truth !== c.predicted).length;
  const title = `predicted class under each image; red: misclassified, with the true class (${wrong} of ${count})`;
  return drawGrid(cells, prep, title, opts.columns ?? 8);
}

/** Predicts the first images of `dataset` with `model` and writes the grid to `path` (atomically). */
export async function writePredictionGrid(
  path: string,
  model: nn.Module,
  dataset: data.Dataset,
  opts: GridOptions = {},
): Promise<void> {
  const count = Math.min(opts.count ?? 48, dataset.length);
  const first = dataset.subset(Int32Array.from({ length: count }, (_, i) => i));
  const predicted = train.predictedClasses(train.predict(model, first.x));
  await writeFileAtomic(path, predictionGridPng(first, predicted, opts));
}

function drawGrid(
  cells: readonly Cell[],
  prep: data.ImagePreprocessing,
  title: string,
  columns: number,
): Uint8Array {
  // enlarge small images so that they can be seen (32 px → 96 px), keep large ones as they are
  const scale = Math.max(1, Math.floor(96 / Math.max(prep.height, prep.width)));
  const imageWidth = prep.width * scale;
  const cellWidth = Math.max(imageWidth + 2 * FRAME, widestLabel(cells));
  const cellHeight = prep.height * scale + 2 * FRAME + LINE;
  const rows = Math.ceil(cells.length / columns);
  const width = GAP + columns * (cellWidth + GAP);
  const height = GAP + LINE + rows * (cellHeight + GAP);
  const png = new PNG({ width, height });
  png.data.fill(255);
  const canvas = { data: png.data, width };
  text(canvas, title, GAP, GAP, INK);
  cells.forEach((cell, i) => {
    const left = GAP + (i % columns) * (cellWidth + GAP);
    const top = GAP + LINE + Math.floor(i / columns) * (cellHeight + GAP);
    const right = cell.truth === cell.predicted;
    const frameLeft = left + Math.floor((cellWidth - imageWidth - 2 * FRAME) / 2);
    rectangle(
      canvas,
      frameLeft,
      top,
      imageWidth + 2 * FRAME,
      prep.height * scale + 2 * FRAME,
      right ? PAPER : RED,
    );
    image(canvas, cell.input, prep, scale, frameLeft + FRAME, top + FRAME);
    const label = labelOf(cell);
    text(canvas, label, left, top + prep.height * scale + 2 * FRAME + 2, right ? GREEN : RED);
  });
  return PNG.sync.write(png);
}

interface Canvas {
  data: Uint8Array;
  width: number;
}

function rectangle(canvas: Canvas, left: number, top: number, w: number, h: number, color: Rgb): void {
  for (let y = top; y < top + h; y++) {
    for (let x = left; x < left + w; x++) canvas.data.set(color, (y * canvas.width + x) * 4);
  }
}

/** An input [C, H, W] drawn as pixels, each `scale`×`scale`; standardized values are turned back first. */
function image(
  canvas: Canvas,
  input: Float32Array,
  prep: data.ImagePreprocessing,
  scale: number,
  left: number,
  top: number,
): void {
  const plane = prep.height * prep.width;
  const pixel = (c: number, p: number) => {
    const v = input[c * plane + p]!;
    const raw = prep.mean === undefined || prep.std === undefined ? v : v * prep.std[c]! + prep.mean[c]!;
    return Math.round(255 * Math.min(1, Math.max(0, raw)));
  };
  for (let py = 0; py < prep.height; py++) {
    for (let px = 0; px < prep.width; px++) {
      const p = py * prep.width + px;
      const color: Rgb =
        prep.channels === 1
          ? [pixel(0, p), pixel(0, p), pixel(0, p)]
          : [pixel(0, p), pixel(1, p), pixel(2, p)];
      rectangle(canvas, left + px * scale, top + py * scale, scale, scale, color);
    }
  }
}

function text(canvas: Canvas, line: string, left: number, top: number, color: Rgb): void {
  const rows = renderPixels(printable(line), FONT);
  rows.forEach((row, y) => {
    row.forEach((on, x) => {
      if (on === 1 && left + x < canvas.width)
        canvas.data.set(color, ((top + y) * canvas.width + left + x) * 4);
    });
  });
}

function widestLabel(cells: readonly Cell[]): number {
  let widest = 0;
  for (const cell of cells) {
    widest = Math.max(widest, renderPixels(printable(labelOf(cell)), FONT)[0]?.length ?? 0);
  }
  return widest;
}

function labelOf(cell: Cell): string {
  return cell.truth === cell.predicted ? cell.predicted : `${cell.predicted} (true: ${cell.truth})`;
}

/** The font covers printable ASCII: other characters become "?". */
function printable(line: string): string {
  return line.replace(/[^\x20-\x7e]/g, "?");
}
