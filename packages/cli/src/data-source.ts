/**
 * Where `--data` points: the built-in MNIST or cats-vs-dogs, a CSV file or an image folder (one
 * sub-folder per class). Training fits the preprocessing; evaluating, predicting and resuming
 * re-apply a saved one (its per-channel standardization included).
 */
import { stat } from "node:fs/promises";
import { data } from "deriva";
import { type LoadedModel, loadCsv, loadImageFolder, loadModel } from "deriva/node";
import { loadCatsVsDogs } from "./datasets/cats-vs-dogs.js";
import { loadMnist } from "./datasets/mnist.js";
import { UserError } from "./errors.js";
import { readingProgress } from "./progress.js";

export type DataKind = "mnist" | "cats-vs-dogs" | "csv" | "images";

/** The built-in datasets' names as --data takes them. */
const BUILT_IN = ["mnist", "cats-vs-dogs"] as const;

export interface LoadedData {
  kind: DataKind;
  /** What --data said. */
  source: string;
  /** Everything to train on (or to evaluate, for eval). */
  data: data.Dataset;
  /** A built-in dataset's held-out test part (MNIST's 2,000 digits, cats-vs-dogs' 400 photos); null for files. */
  test: data.Dataset | null;
}

export interface DataOptions {
  /** CSV: the target column. */
  target?: string;
  /** Image folders: the output size (default 28) and channels (default "auto"). */
  imageSize?: number | [number, number];
  channels?: 1 | 3 | "auto";
  /** A saved model's preprocessing and classes, re-applied instead of fitted. */
  saved?: { preprocessing: data.Preprocessing; classes: readonly string[] | null };
  /** Reports skipped files. */
  onWarning: (message: string) => void;
}

/** Which kind of data a --data value names (checked against the file system). */
export async function dataKind(source: string): Promise<DataKind> {
  if ((BUILT_IN as readonly string[]).includes(source)) return source as DataKind;
  if (/\.csv$/i.test(source)) return "csv"; // a missing .csv file is reported by the loader
  const info = await stat(source).catch(() => null);
  if (info === null) {
    throw new UserError(
      `'${source}' does not exist (--data takes mnist, cats-vs-dogs, a .csv file or an image folder)`,
    );
  }
  if (info.isDirectory()) return "images";
  throw new UserError(
    `'${source}' is neither a .csv file nor an image folder (a folder with one sub-folder per class)`,
  );
}

/** Loads the data of a --data value, fitting its preprocessing or re-applying a saved one. */
export async function loadData(source: string, opts: DataOptions): Promise<LoadedData> {
  const kind = await dataKind(source);
  const saved = opts.saved;
  if (saved !== undefined) checkKind(kind, saved.preprocessing, source);
  if (kind === "mnist" || kind === "cats-vs-dogs") {
    const flat = saved?.preprocessing.kind === "image" && saved.preprocessing.layout === "flat";
    const { train, test } = kind === "mnist" ? await loadMnist({ flat }) : await loadCatsVsDogs({ flat });
    return { kind, source, data: asSaved(train, saved), test: asSaved(test, saved) };
  }
  if (kind === "csv") {
    const tabular = saved?.preprocessing as data.TabularPreprocessing | undefined;
    const progress = readingProgress(source, process.stderr);
    const data = await loadCsv(source, {
      ...(tabular === undefined ? { target: opts.target } : { preprocessing: tabular }),
      onProgress: progress.update,
    }).finally(progress.done);
    return { kind, source, data, test: null };
  }
  const image = saved?.preprocessing as data.ImagePreprocessing | undefined;
  const data = await loadImageFolder(source, {
    size: opts.imageSize,
    channels: opts.channels,
    onWarning: opts.onWarning,
    preprocessing: image,
    classNames: saved?.classes ?? undefined,
  });
  return { kind, source, data: asSaved(data, saved), test: null };
}

/** Images standardized as a saved model's preprocessing says (unchanged without a saved standardization). */
function asSaved(images: data.Dataset, saved: DataOptions["saved"]): data.Dataset {
  const prep = saved?.preprocessing;
  if (prep?.kind !== "image" || prep.mean === undefined || prep.std === undefined) return images;
  return data.standardizeImages(images, { mean: prep.mean, std: prep.std });
}

/** A saved model whose inputs come from data: it must have a preprocessing (CSV columns, image size). */
export async function loadModelForData(
  dir: string,
): Promise<LoadedModel & { preprocessing: data.Preprocessing }> {
  const model = await loadModel(dir);
  if (model.preprocessing === null) {
    throw new UserError(
      `${dir} has no preprocessing in its model.json: the command line reads CSV files and images through one`,
    );
  }
  return model as LoadedModel & { preprocessing: data.Preprocessing };
}

/** A model trained on images needs MNIST or an image folder; one trained on a table needs a CSV file. */
function checkKind(kind: DataKind, prep: data.Preprocessing, source: string): void {
  const tabular = prep.kind === "tabular";
  if (tabular && kind !== "csv") {
    throw new UserError(`the model reads table rows, but '${source}' is not a CSV file`);
  }
  if (!tabular && kind === "csv") {
    throw new UserError(`the model reads images, but '${source}' is a CSV file`);
  }
  const builtIn = {
    mnist: [28, 1, "MNIST has 28×28 gray digits"],
    "cats-vs-dogs": [32, 3, "cats-vs-dogs has 32×32 color photos"],
  } as const;
  if (prep.kind !== "image" || (kind !== "mnist" && kind !== "cats-vs-dogs")) return;
  const [side, channels, what] = builtIn[kind];
  if (prep.height !== side || prep.width !== side || prep.channels !== channels) {
    throw new UserError(
      `the model reads ${prep.height}×${prep.width} images with ${prep.channels} channel(s), ${what}`,
    );
  }
}
