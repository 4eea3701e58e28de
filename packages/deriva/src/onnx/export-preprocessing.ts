/**
 * A saved model's preprocessing, carried into the ONNX file: either as nodes at the front of the
 * graph (the file then takes raw inputs) or only described in its metadata (the file takes the
 * inputs the network itself takes, and says how to make them).
 */
import type { Preprocessing } from "../data/dataset.js";
import type { ImagePreprocessing } from "../data/image.js";
import type { TabularPreprocessing } from "../data/tabular.js";
import type { GraphBuilder } from "./graph-builder.js";

/** Where the preprocessing goes: into the graph, or only into metadata_props. */
export type PreprocessingPlacement = "graph" | "metadata";

/** The metadata key that holds the preprocessing's JSON (as deriva saves it in model.json). */
export const PREPROCESSING_KEY = "deriva.preprocessing";
/** "graph" or "metadata": whether the file applies the preprocessing itself. */
export const PLACEMENT_KEY = "deriva.preprocessing_placement";
/** A sentence saying what the graph's input holds. */
export const INPUT_KEY = "deriva.input";

/**
 * Writes the nodes that turn raw inputs into the network's inputs: (x − mean) / std per table
 * column; pixel / 255 for images, then (· − mean) / std per channel when the model standardizes
 * them. Returns the value the network reads (`input` when nothing is needed).
 */
export function emitPreprocessing(b: GraphBuilder, prep: Preprocessing, input: string): string {
  if (prep.kind === "image") {
    const scaled = b.node("preprocessing", "Div", [input, b.scalar("preprocessing.scale", 255)]);
    const stats = channelStandardization(prep);
    return stats === null ? scaled : standardize(b, scaled, stats);
  }
  const { mean, std } = standardization(prep);
  if (mean.every((m) => m === 0) && std.every((s) => s === 1)) return input;
  return standardize(b, input, { dims: [mean.length], mean, std });
}

interface Standardization {
  /** The shape mean and std broadcast from against one sample. */
  dims: number[];
  mean: Float32Array;
  std: Float32Array;
}

/** (x − mean) / std. */
function standardize(b: GraphBuilder, input: string, { dims, mean, std }: Standardization): string {
  const centered = b.node("preprocessing", "Sub", [input, b.floats("preprocessing.mean", dims, mean)]);
  return b.node("preprocessing", "Div", [centered, b.floats("preprocessing.std", dims, std)]);
}

/** An image's per-channel statistics, as [C, 1, 1] for NCHW inputs or repeated per pixel for flat ones. */
function channelStandardization(prep: ImagePreprocessing): Standardization | null {
  const { mean, std, channels, height, width } = prep;
  if (mean === undefined || std === undefined) return null;
  if (prep.layout === "nchw") {
    return { dims: [channels, 1, 1], mean: Float32Array.from(mean), std: Float32Array.from(std) };
  }
  const plane = height * width;
  const repeat = (values: number[]) =>
    Float32Array.from({ length: channels * plane }, (_, i) => values[Math.floor(i / plane)]!);
  return { dims: [channels * plane], mean: repeat(mean), std: repeat(std) };
}

/** The metadata_props entries that describe the preprocessing and what the input holds. */
export function preprocessingMetadata(
  prep: Preprocessing,
  placement: PreprocessingPlacement,
): Record<string, string> {
  return {
    [PREPROCESSING_KEY]: JSON.stringify(prep),
    [PLACEMENT_KEY]: placement,
    [INPUT_KEY]: prep.kind === "image" ? describeImage(prep, placement) : describeTable(prep, placement),
  };
}

/** Per encoded feature: its column's mean and std, or 0 and 1 for a one-hot feature. */
function standardization(prep: TabularPreprocessing): { mean: Float32Array; std: Float32Array } {
  const mean: number[] = [];
  const std: number[] = [];
  for (const column of prep.columns) {
    if (column.kind === "numeric") {
      mean.push(column.mean);
      std.push(column.std);
    } else {
      for (const _ of column.categories) {
        mean.push(0);
        std.push(1);
      }
    }
  }
  return { mean: Float32Array.from(mean), std: Float32Array.from(std) };
}

function describeImage(prep: ImagePreprocessing, placement: PreprocessingPlacement): string {
  const { height, width, channels } = prep;
  const shape =
    prep.layout === "flat" ? `[N, ${channels * height * width}]` : `[N, ${channels}, ${height}, ${width}]`;
  const colors = channels === 1 ? "gray (0.299 R + 0.587 G + 0.114 B)" : "RGB planes";
  const standardized =
    prep.mean === undefined
      ? ""
      : `, then standardized per channel by the mean and std in ${PREPROCESSING_KEY}`;
  const scale =
    placement === "graph"
      ? `pixel values 0–255 (the graph divides by 255${standardized === "" ? "" : " and standardizes per channel"})`
      : `pixel values / 255 (0–1)${standardized}`;
  return `float32 ${shape}: images resized to ${height}×${width}, ${colors}, channel-first, ${scale}`;
}

function describeTable(prep: TabularPreprocessing, placement: PreprocessingPlacement): string {
  const numeric = prep.columns.filter((c) => c.kind === "numeric").map((c) => c.name);
  const scale =
    placement === "graph"
      ? "numeric columns as they are (the graph standardizes them)"
      : `numeric columns standardized as (value − mean) / std with the statistics in ${PREPROCESSING_KEY}`;
  const oneHot = prep.columns.length > numeric.length ? ", categorical columns one-hot (0/1)" : "";
  return `float32 [N, ${prep.featureNames.length}]: the features ${prep.featureNames.join(", ")} in this order; ${scale}${oneHot}`;
}
