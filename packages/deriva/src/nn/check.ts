/** Argument checks shared by the layer constructors: one clear line naming the layer and the argument. */
import type { Size2 } from "./config-types.js";

export function positiveInt(layer: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new Error(`${layer}: ${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** One number or [height, width] of integers ≥ min, as a pair. */
export function size2(layer: string, name: string, value: unknown, min: number): [number, number] {
  const pair = typeof value === "number" ? [value, value] : value;
  const ok =
    Array.isArray(pair) &&
    pair.length === 2 &&
    pair.every((v) => typeof v === "number" && Number.isInteger(v) && v >= min);
  if (!ok) {
    throw new Error(
      `${layer}: ${name} must be an integer ≥ ${min} or a pair [height, width] of them, got ${JSON.stringify(value)}`,
    );
  }
  return [pair[0], pair[1]];
}

/** The compact config form of a pair: one number when both axes agree. */
export function compact(pair: readonly [number, number]): Size2 {
  return pair[0] === pair[1] ? pair[0] : [pair[0], pair[1]];
}

export function numberIn(layer: string, name: string, value: unknown, lo: number, hi: number): number {
  if (typeof value !== "number" || !(value >= lo && value <= hi)) {
    throw new Error(`${layer}: ${name} must be a number in [${lo}, ${hi}], got ${JSON.stringify(value)}`);
  }
  return value;
}
