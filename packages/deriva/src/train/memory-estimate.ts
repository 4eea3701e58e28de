/**
 * The memory a training run needs, estimated from the architecture and the data before anything
 * is allocated, and the limit it is checked against: a run that would need gigabytes says so in
 * one line instead of failing after allocating them.
 */
import { configSizes } from "../nn/config-sizes.js";

/** The default memory limit: 2 GiB. */
export const DEFAULT_MAX_MEMORY = 2 * 2 ** 30;

/**
 * Bytes per value held by a layer: the weight, its gradient, two optimizer slots (Adam's moments),
 * and three checkpoints (the last good epoch, the latest, the best for early stopping).
 */
const BYTES_PER_VALUE = 4 * 7;
/** Bytes per activation value of a batch: the output, its gradient, and the ops' intermediates. */
const BYTES_PER_ACTIVATION = 4 * 3;

/** An estimate of a training run's memory in bytes, with its parts. */
export interface MemoryEstimate {
  /**
   * The estimated total in bytes: weights with their gradients, optimizer slots and checkpoints, a
   * batch's activations, and the data twice (a validation split copies it).
   */
  bytes: number;
  /** Values held by the model's layers. */
  values: number;
  /** Values a batch's forward pass keeps for the backward one. */
  activations: number;
}

/**
 * Estimates the memory of training `architecture` on samples of `inputShape` in batches of
 * `batchSize`, beside `dataBytes` of data (which a validation split copies once more).
 */
export function estimateTraining(
  architecture: unknown,
  inputShape: readonly number[],
  batchSize: number,
  dataBytes: number,
): MemoryEstimate {
  const sizes = configSizes(architecture, inputShape);
  const activations = batchSize * (sizes.activations + inputShape.reduce((a, b) => a * b, 1));
  return {
    bytes: sizes.values * BYTES_PER_VALUE + activations * BYTES_PER_ACTIVATION + 2 * dataBytes,
    values: sizes.values,
    activations,
  };
}

/**
 * Refuses `bytes` over `limit` with one line: `<what> needs about 49.2 GB, more than the memory
 * limit of 2.0 GiB; <how>` (how to raise the limit, or what to change).
 */
export function checkMemory(what: string, bytes: number, limit: number, how: string): void {
  if (bytes > limit) {
    throw new Error(
      `${what} needs about ${formatBytes(bytes)}, more than the memory limit of ${formatBytes(limit)}; ${how}`,
    );
  }
}

/** 1536 → "1.5 KiB", 52_800_000_000 → "49.2 GiB". */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
